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
 * What `decision` does to the enrollment at `now`. The next step is due at the anchor plus its
 * delay; after a step that went (or was held out) late — deferred through quiet hours, say — no
 * earlier than `now` plus the gap between the two steps' delays, so two reminders never arrive
 * together after a quiet night. After a skip nothing went, and the next step keeps its time.
 */
export function moveFor(
  decision: FinalDecision,
  settings: LaneSettings,
  enrollment: { nextStep: number; anchorAt: Date },
  now: Date,
): StepMove {
  const advance = (): StepMove['enrollment'] => {
    const next = enrollment.nextStep + 1;
    const due = stepDueAt(settings, enrollment.anchorAt, next);
    if (!due) return { state: 'completed' };
    const went = decision.kind === 'send' || decision.kind === 'held_out';
    const current = stepDueAt(settings, enrollment.anchorAt, enrollment.nextStep);
    const spaced = went && current ? now.getTime() + (due.getTime() - current.getTime()) : 0;
    return { state: 'active', nextStep: next, nextDueAt: new Date(Math.max(due.getTime(), spaced)) };
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
