import type { FinalDecision } from '../engine/decision';
import { holdoutCell, type Cell } from '../engine/holdout';
import { parseDurationMs, type LaneSettings } from '../engine/lanes';

/**
 * A journey's moves, pure: when an enrollment starts and in which cell, when each step falls
 * due, and what a step's decision does to the enrollment.
 */

/** When step `index` is due, counted from the anchor (for a cart: its last change). */
export function stepDueAt(settings: LaneSettings, anchor: Date, index: number): Date | null {
  const step = settings.steps[index];
  return step ? new Date(anchor.getTime() + parseDurationMs(step.delay)) : null;
}

export interface NewEnrollment {
  cell: Cell;
  anchorAt: Date;
  nextDueAt: Date;
}

/**
 * A consenting contact's cart, idle for the lane's inactivity delay, starts a journey: its cell
 * is decided once (a hash of contact, lane and the store's salt), and step 1 is due at the
 * anchor plus its delay (at once if the planner comes late).
 */
export function startEnrollment(
  settings: LaneSettings,
  lane: string,
  candidate: { contactId: number; lastChangeAt: Date; consented: boolean },
  salt: string,
  now: Date,
): NewEnrollment | null {
  if (!settings.enabled || !candidate.consented) return null;
  const idleFor = now.getTime() - candidate.lastChangeAt.getTime();
  if (idleFor < parseDurationMs(settings.inactivity_delay)) return null;
  const due = stepDueAt(settings, candidate.lastChangeAt, 0) as Date;
  return {
    cell: holdoutCell(String(candidate.contactId), lane, salt, settings.holdout_percent),
    anchorAt: candidate.lastChangeAt,
    nextDueAt: due.getTime() > now.getTime() ? due : now,
  };
}

/** What a decision does to the enrollment and which message row records the step. */
export interface StepMove {
  /** The message row for this step: queued to send, or kept as the record of why not. */
  message: { state: 'queued' | 'held_out' | 'skipped'; reason: string | null } | null;
  enrollment:
    | { state: 'active'; nextStep: number; nextDueAt: Date }
    | { state: 'completed' }
    | { state: 'stopped'; reason: string };
  history: { kind: string; reason: string | null };
}

/**
 * When step `index` is due, given when the step before it went (was sent or held out), if it
 * did: the anchor plus the step's delay, but no earlier than the previous step's going plus the
 * gap between the two delays — so after a step that went late (deferred through quiet hours,
 * say) two reminders never arrive together. Null when the lane has no such step.
 */
export function nextStepDue(
  settings: LaneSettings,
  anchor: Date,
  index: number,
  previousWentAt: Date | null,
): Date | null {
  const due = stepDueAt(settings, anchor, index);
  const previous = index > 0 ? stepDueAt(settings, anchor, index - 1) : null;
  if (!due || !previous || !previousWentAt) return due;
  return new Date(Math.max(due.getTime(), previousWentAt.getTime() + (due.getTime() - previous.getTime())));
}

/**
 * What `decision` does to the enrollment at `now`. The next step is due as `nextStepDue` says;
 * after a skip nothing went, and the next step keeps its time.
 */
export function moveFor(
  decision: FinalDecision,
  settings: LaneSettings,
  enrollment: { nextStep: number; anchorAt: Date },
  now: Date,
): StepMove {
  const advance = (): StepMove['enrollment'] => {
    const next = enrollment.nextStep + 1;
    const went = decision.kind === 'send' || decision.kind === 'held_out';
    const due = nextStepDue(settings, enrollment.anchorAt, next, went ? now : null);
    return due ? { state: 'active', nextStep: next, nextDueAt: due } : { state: 'completed' };
  };
  switch (decision.kind) {
    case 'send':
      return {
        message: { state: 'queued', reason: null },
        enrollment: advance(),
        history: { kind: 'send', reason: null },
      };
    case 'held_out':
      return {
        message: { state: 'held_out', reason: 'held_out' },
        enrollment: advance(),
        history: { kind: 'held_out', reason: 'held_out' },
      };
    case 'skip':
      return {
        message: { state: 'skipped', reason: decision.reason },
        enrollment: advance(),
        history: { kind: 'skipped', reason: decision.reason },
      };
    case 'defer':
      return {
        message: null,
        enrollment: { state: 'active', nextStep: enrollment.nextStep, nextDueAt: decision.until },
        history: { kind: 'deferred', reason: decision.reason },
      };
    case 'stop':
      return {
        message: null,
        enrollment: { state: 'stopped', reason: decision.reason },
        history: { kind: 'stopped', reason: decision.reason },
      };
  }
}

export type Replan = { kind: 'unchanged' } | { kind: 'due'; at: Date } | { kind: 'completed' };

/**
 * An active enrollment under a lane's new settings: its next step is due as the new delays say
 * (`nextStepDue`), whatever it was waiting for before — a step deferred under the old quiet
 * hours falls due at once and is decided again under the new ones — or, when the new settings
 * have fewer steps, the journey is complete.
 */
export function replan(
  settings: LaneSettings,
  enrollment: { nextStep: number; anchorAt: Date; nextDueAt: Date | null; previousWentAt: Date | null },
): Replan {
  const due = nextStepDue(settings, enrollment.anchorAt, enrollment.nextStep, enrollment.previousWentAt);
  if (!due) return { kind: 'completed' };
  return due.getTime() === enrollment.nextDueAt?.getTime() ? { kind: 'unchanged' } : { kind: 'due', at: due };
}
