import { LANE_NAMES, type LaneName } from './lane-types';

/**
 * One journey at a time (DESIGN.md, "Lanes"): a shopper is never chased by two journeys at once.
 * Each contact has at most one active journey across the lanes, and when two would run the one of
 * the higher lane wins: payment_recovery > abandoned_cart > browse_abandonment > winback (the
 * order of `LANE_NAMES`). Pure: the caller reads the contact's active journeys with the contact's
 * row locked (recovery/enroll.ts), so two starts for one contact are decided one after the other.
 *
 * THE ORDER OF CHECKS for a candidate journey in lane L:
 *
 *  1. blocked      an active journey of a lane at or above L (the same lane included: one cart
 *                  journey at a time, too): nothing starts; the candidate is considered again at
 *                  a later pass, once that journey is over.
 *  2. start        otherwise the journey starts, and every active journey of a lane below L is
 *                  stopped with reason `superseded` (none when there is none).
 *
 * A journey found active in a lane this version does not know ranks below every known lane, so
 * it is superseded rather than left to run alongside.
 */

export interface ActiveJourney {
  id: number;
  lane: string;
}

export type Arbitration = { kind: 'start'; supersede: ActiveJourney[] } | { kind: 'blocked'; by: ActiveJourney };

/** A lane's rank: 0 for the highest (payment_recovery); unknown lanes rank below every known one. */
export function laneRank(lane: string): number {
  const rank = (LANE_NAMES as readonly string[]).indexOf(lane);
  return rank === -1 ? LANE_NAMES.length : rank;
}

/** True when a journey of lane `a` outranks one of lane `b` (strictly higher precedence). */
export function outranks(a: string, b: string): boolean {
  return laneRank(a) < laneRank(b);
}

/** The lanes whose active journey keeps one of `lane` from starting: `lane` and those above it. */
export function lanesAtOrAbove(lane: LaneName): LaneName[] {
  return LANE_NAMES.filter((other) => laneRank(other) <= laneRank(lane));
}

/**
 * Whether a journey in `candidate` may start for a contact whose active journeys are `active`,
 * and which of them it displaces. The blocking journey named is the highest-ranked one (the
 * lowest id among equals), so the answer does not depend on the order of `active`.
 */
export function arbitrate(active: readonly ActiveJourney[], candidate: LaneName): Arbitration {
  const rank = laneRank(candidate);
  const blockers = active
    .filter((journey) => laneRank(journey.lane) <= rank)
    .sort((a, b) => laneRank(a.lane) - laneRank(b.lane) || a.id - b.id);
  const blocker = blockers[0];
  if (blocker) return { kind: 'blocked', by: blocker };
  const supersede = active.filter((journey) => laneRank(journey.lane) > rank).sort((a, b) => a.id - b.id);
  return { kind: 'start', supersede };
}

/**
 * Whether a journey in `lane` has been displaced: a journey of a higher lane is active for the
 * same contact. The send decision stops such a journey as `superseded` (engine/decision.ts), so a
 * lower journey that was busy when the higher one started stops at its next step at the latest.
 */
export function isSuperseded(lane: string, activeLanes: readonly string[]): boolean {
  return activeLanes.some((other) => outranks(other, lane));
}
