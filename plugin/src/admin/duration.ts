/**
 * ISO 8601 durations (`PT15M`, `PT4H`, `P1D`) as the admin edits them: a whole number and a unit.
 * The sidecar stores and validates the ISO form; weeks, days, hours, minutes and seconds only.
 */

export type DurationUnit = 'seconds' | 'minutes' | 'hours' | 'days';

export interface DurationParts {
  amount: number;
  unit: DurationUnit;
}

const SECONDS: Record<DurationUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Seconds in a duration, or null for one this editor cannot show (fractions, months, years). */
export function durationSeconds(iso: string): number | null {
  const match = PATTERN.exec(iso);
  if (!match || iso === 'P' || iso.endsWith('T')) return null;
  const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds;
}

/** The largest unit that divides the duration exactly (`PT90M` → 90 minutes, `PT4H` → 4 hours). */
export function toParts(iso: string): DurationParts | null {
  const total = durationSeconds(iso);
  if (total === null) return null;
  if (total === 0) return { amount: 0, unit: 'minutes' };
  for (const unit of ['days', 'hours', 'minutes'] as const) {
    if (total % SECONDS[unit] === 0) return { amount: total / SECONDS[unit], unit };
  }
  return { amount: total, unit: 'seconds' };
}

/** The ISO form of a whole number of units (`{4, 'hours'}` → `PT4H`). */
export function fromParts({ amount, unit }: DurationParts): string {
  const n = Math.max(0, Math.round(amount));
  switch (unit) {
    case 'days':
      return `P${n}D`;
    case 'hours':
      return `PT${n}H`;
    case 'minutes':
      return `PT${n}M`;
    default:
      return `PT${n}S`;
  }
}
