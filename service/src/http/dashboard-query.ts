import type { Request } from 'express';
import { isLaneName, LANE_NAMES, type LaneName } from '../engine/lanes';
import { bucketCount, MAX_BUCKETS, PERIODS, type Period } from '../measure/period';
import { ApiError } from './errors';

/** The dashboard's query parameters, checked: a bad one is a 400 naming it, never a 5xx. */

const DAY_MS = 86_400_000;
/** The default range: the last 30 days. */
export const DEFAULT_DAYS = 30;
/** The longest range one query may cover. */
export const MAX_RANGE_DAYS = 400;

function text(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ApiError(400, 'invalid_query', `${name} must be given once, as text`, name);
  return value;
}

/** An instant: `2026-11-30`, `2026-11-30T12:00:00Z` or with an offset. */
function instant(req: Request, name: string): Date | undefined {
  const value = text(req, name);
  if (value === undefined || value === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)) {
    throw new ApiError(
      400,
      'invalid_query',
      `${name} must be a date (YYYY-MM-DD) or an ISO 8601 time with its offset`,
      name,
    );
  }
  const at = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(at.getTime())) throw new ApiError(400, 'invalid_query', `${name} is not a real date`, name);
  return at;
}

export function range(req: Request, now: Date): { from: Date; to: Date } {
  const to = instant(req, 'to') ?? now;
  const from = instant(req, 'from') ?? new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) throw new ApiError(400, 'invalid_query', 'from must be before to', 'from');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new ApiError(400, 'invalid_query', `The range may cover at most ${MAX_RANGE_DAYS} days`, 'from');
  }
  return { from, to };
}

export function period(req: Request, from: Date, to: Date): Period {
  const value = text(req, 'period') ?? 'day';
  const found = PERIODS.find((p) => p === value);
  if (!found) throw new ApiError(400, 'invalid_query', `period must be one of ${PERIODS.join(', ')}`, 'period');
  if (bucketCount(from, to, found) > MAX_BUCKETS) {
    throw new ApiError(
      400,
      'invalid_query',
      `Too many ${found}s in the range (at most ${MAX_BUCKETS}): choose a longer period`,
      'period',
    );
  }
  return found;
}

export function lane(req: Request): LaneName {
  const value = text(req, 'lane');
  if (value === undefined || !isLaneName(value)) {
    throw new ApiError(400, 'invalid_query', `lane must be one of ${LANE_NAMES.join(', ')}`, 'lane');
  }
  return value;
}

export function integer(req: Request, name: string, min: number, max: number): number | undefined {
  const value = text(req, name);
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ApiError(400, 'invalid_query', `${name} must be a whole number from ${min} to ${max}`, name);
  }
  return Number(value);
}

/** A timeline search: an email (has an @), else a phone, E.164 once spaces, dashes, dots and brackets are dropped. */
export function contactQuery(req: Request): { phone: string } | { email: string } {
  const value = text(req, 'q')?.trim();
  if (!value) throw new ApiError(400, 'invalid_query', 'q must be a phone number (E.164) or an email', 'q');
  if (value.includes('@')) {
    if (value.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(value))
      throw new ApiError(400, 'invalid_query', 'q is not an email', 'q');
    return { email: value };
  }
  const digits = value.replace(/[\s\-.()]/g, '');
  if (!/^\+?[1-9]\d{5,14}$/.test(digits)) {
    throw new ApiError(
      400,
      'invalid_query',
      'q must be a phone number in international form (+4915123456789) or an email',
      'q',
    );
  }
  return { phone: digits.startsWith('+') ? digits : `+${digits}` };
}
