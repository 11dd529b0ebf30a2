import { defaultLaneSettings } from '../../src/engine/lanes';
import { moveFor, nextStepDue, replan } from '../../src/recovery/journey';

const settings = defaultLaneSettings('abandoned_cart'); // steps at 15 min, 4 h, 23 h
const anchor = new Date('2026-11-21T16:10:00Z');
const at = (minutes: number) => new Date(anchor.getTime() + minutes * 60_000);

describe('nextStepDue', () => {
  it('is the anchor plus the delay when the step before went on time, or did not go', () => {
    expect(nextStepDue(settings, anchor, 0, null)).toEqual(at(15));
    expect(nextStepDue(settings, anchor, 1, at(15))).toEqual(at(240));
    expect(nextStepDue(settings, anchor, 1, null)).toEqual(at(240));
    expect(nextStepDue(settings, anchor, 3, at(23 * 60))).toBeNull();
  });

  it('keeps the gap between two steps after one that went late (a quiet night)', () => {
    // Step 1 deferred to 09:00 the next morning (11 h 20 min late): step 2 comes 3 h 45 min after it.
    const morning = at(11 * 60 + 35);
    expect(nextStepDue(settings, anchor, 1, morning)).toEqual(new Date(morning.getTime() + 225 * 60_000));
  });
});

describe('moveFor', () => {
  const enrollment = { nextStep: 0, anchorAt: anchor };
  it('spaces the next step from a late send or hold-out, not from a skip', () => {
    const late = at(600);
    const spaced = new Date(late.getTime() + 225 * 60_000);
    expect(moveFor({ kind: 'send' }, settings, enrollment, late).enrollment).toEqual({
      state: 'active',
      nextStep: 1,
      nextDueAt: spaced,
    });
    expect(moveFor({ kind: 'held_out', reason: 'held_out' }, settings, enrollment, late).enrollment).toMatchObject({
      nextDueAt: spaced,
    });
    expect(
      moveFor({ kind: 'skip', reason: 'frequency_cap_contact' }, settings, enrollment, late).enrollment,
    ).toMatchObject({ nextDueAt: at(240) });
  });
});

describe('replan', () => {
  it('puts a step deferred under the old settings back to its time under the new ones (at once when past)', () => {
    expect(
      replan(settings, {
        nextStep: 0,
        anchorAt: anchor,
        nextDueAt: new Date('2026-11-22T03:30:00Z'),
        previousWentAt: null,
      }),
    ).toEqual({ kind: 'due', at: at(15) });
  });

  it('leaves a step whose time does not change', () => {
    expect(replan(settings, { nextStep: 1, anchorAt: anchor, nextDueAt: at(240), previousWentAt: at(15) })).toEqual({
      kind: 'unchanged',
    });
  });

  it('completes a journey past the new last step', () => {
    const single = { ...settings, steps: settings.steps.slice(0, 1) };
    expect(replan(single, { nextStep: 1, anchorAt: anchor, nextDueAt: at(240), previousWentAt: at(15) })).toEqual({
      kind: 'completed',
    });
  });
});
