import type { LaneSettings } from './api';
import { incentivePaths } from './step-incentive-paths';

/** What a lane's editor parts get: the draft, a way to change it, and the errors by path. */
export interface LaneEditProps {
  settings: LaneSettings;
  update: (change: (draft: LaneSettings) => void) => void;
  error: (path: string) => string | undefined;
}

export function copySettings(settings: LaneSettings): LaneSettings {
  return JSON.parse(JSON.stringify(settings)) as LaneSettings;
}

export const numberOrNaN = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
export const numberText = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? String(n) : '');

/**
 * The fields a lane's section shows, so an error naming another one (such as `category`, or the
 * marketing cap a utility lane does not show) is told in the lane's notice instead.
 */
export function shownPaths(settings: LaneSettings, utility: boolean): Set<string> {
  const paths = ['enabled', 'inactivity_delay', 'holdout_percent', 'quiet_hours.start', 'quiet_hours.end'];
  if (!utility) paths.push('cap_per_contact.max', 'cap_per_contact.window');
  paths.push('lane_cap', 'lane_cap.max', 'lane_cap.window');
  for (const own of ['repeat_after', 'lapse_after', 'max_products'] as const) {
    if (settings[own] !== undefined) paths.push(own);
  }
  settings.steps.forEach((_step, i) => {
    paths.push(`steps[${i}].delay`, `steps[${i}].template`, `steps[${i}].language`);
    // Payment reminders (the utility lane) offer no discount: an error there goes to the notice.
    if (!utility) paths.push(...incentivePaths(i));
  });
  return new Set(paths);
}
