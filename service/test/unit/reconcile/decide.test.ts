import type { MessageState } from '../../../src/db/schema';
import { decideLost, lostCutoff, type ReconcileCandidate } from '../../../src/reconcile/decide';

const NOW = new Date('2026-11-21T10:00:00.000Z');
const HOUR = 3_600_000;
const WINDOW = 36 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

function row(id: number, state: MessageState, attemptedAgoMs: number | null, updatedAgoMs = 0): ReconcileCandidate {
  return {
    id,
    state,
    attemptedAt: attemptedAgoMs === null ? null : ago(attemptedAgoMs),
    updatedAt: ago(updatedAgoMs),
  };
}

describe('which unknown sends are lost (fixed clock, 36 h window)', () => {
  it('leaves an unknown send attempted 1 ms inside the window, and loses one attempted exactly at its end or before', () => {
    const verdicts = decideLost(
      [row(1, 'unknown', WINDOW - 1), row(2, 'unknown', WINDOW), row(3, 'unknown', WINDOW + 1), row(4, 'unknown', 0)],
      NOW,
      WINDOW,
    );
    expect(verdicts.map((v) => v.id)).toEqual([2, 3]);
  });

  it('counts from the attempt, not the last update (a late retry bookkeeping write does not extend it)', () => {
    expect(decideLost([row(1, 'unknown', WINDOW + HOUR, 0)], NOW, WINDOW).map((v) => v.id)).toEqual([1]);
    expect(decideLost([row(2, 'unknown', HOUR, WINDOW + HOUR)], NOW, WINDOW)).toEqual([]);
  });

  it('falls back to the last update for a row from before attempts were kept', () => {
    expect(decideLost([row(1, 'unknown', null, WINDOW)], NOW, WINDOW).map((v) => v.id)).toEqual([1]);
    expect(decideLost([row(2, 'unknown', null, WINDOW - 1)], NOW, WINDOW)).toEqual([]);
  });

  it('never touches a message in any other state, however old', () => {
    const others: MessageState[] = [
      'queued',
      'submitting',
      'submitted',
      'sent',
      'delivered',
      'read',
      'failed',
      'lost',
      'held_out',
      'skipped',
    ];
    const rows = others.map((state, i) => row(i + 1, state, WINDOW * 10, WINDOW * 10));
    expect(decideLost(rows, NOW, WINDOW)).toEqual([]);
  });

  it('says in the history why, with the window and when the send was attempted', () => {
    const [verdict] = decideLost([row(7, 'unknown', WINDOW)], NOW, WINDOW);
    expect(verdict?.detail).toBe(
      'no status from WhatsApp within 36 h of the send (2026-11-19T22:00:00.000Z); lost, never resent',
    );
    const [short] = decideLost([row(8, 'unknown', 90 * 60_000)], NOW, 90 * 60_000);
    expect(short?.detail).toMatch(/^no status from WhatsApp within 90 min of the send/);
  });

  it('follows the window it is given: a shorter one loses sooner', () => {
    const rows = [row(1, 'unknown', 2 * HOUR), row(2, 'unknown', 30 * 60_000)];
    expect(decideLost(rows, NOW, HOUR).map((v) => v.id)).toEqual([1]);
    expect(decideLost(rows, NOW, 24 * HOUR)).toEqual([]);
    expect(lostCutoff(NOW, HOUR).toISOString()).toBe('2026-11-21T09:00:00.000Z');
  });
});
