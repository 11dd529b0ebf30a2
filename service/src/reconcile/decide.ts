import type { MessageState } from '../db/schema';

/** The default reconcile window: Meta retries a status webhook it could not deliver for up to 36 h. */
export const DEFAULT_RECONCILE_WINDOW = 'PT36H';

/** What the decision needs of a message (plain data, as read from `messages`). */
export interface ReconcileCandidate {
  id: number;
  state: MessageState;
  /** When the message was last handed to the provider; null for rows from before it was kept. */
  attemptedAt: Date | null;
  updatedAt: Date;
}

export interface LostVerdict {
  id: number;
  /** For the journey's history. */
  detail: string;
}

/** The latest attempt time that has run out of the window at `now`: older attempts are lost. */
export function lostCutoff(now: Date, windowMs: number): Date {
  return new Date(now.getTime() - windowMs);
}

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return Number.isInteger(h) ? `${h} h` : `${Math.round(ms / 60_000)} min`;
}

/**
 * Which `unknown` messages are lost at `now` (pure): those handed to the provider at least
 * `windowMs` ago (their attempt time, or their last update for a row without one) with no status
 * since — any status would have moved them out of `unknown`. Every other state is left alone:
 * a message the provider answered, one still queued, one already lost or settled.
 */
export function decideLost(rows: readonly ReconcileCandidate[], now: Date, windowMs: number): LostVerdict[] {
  const cutoff = lostCutoff(now, windowMs).getTime();
  const lost: LostVerdict[] = [];
  for (const row of rows) {
    if (row.state !== 'unknown') continue;
    const attempted = (row.attemptedAt ?? row.updatedAt).getTime();
    if (attempted > cutoff) continue;
    lost.push({
      id: row.id,
      detail: `no status from WhatsApp within ${hours(windowMs)} of the send (${new Date(attempted).toISOString()}); lost, never resent`,
    });
  }
  return lost;
}
