import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db, Trx } from '../db/database';
import type { EnrollmentsTable } from '../db/schema';
import { decideIncentive, monthOf, type IncentiveReason } from '../engine/incentive';
import { INCENTIVE_PARAMETERS, type LaneStep } from '../engine/lanes';
import { fractionDigits, toBcp47 } from '../engine/render';
import type { CartCheck, OfferCheck } from '../engine/catalog';
import type { WooClient } from '../woo/client';
import { WooError, WooUnreachableError } from '../woo/errors';
import { minorToDecimal } from '../woo/money';
import type { WooCouponInput } from '../woo/types';
import type { StepFacts } from './facts';
import { renderFacts } from './step-facts';
import {
  countAttempt,
  couponById,
  insertCoupon,
  lockBudget,
  markCreated,
  stepCouponRow,
  voidCoupon,
  type CouponRow,
} from './sql/coupons';

/**
 * A step's coupon (issue 11, part 2), exactly once across crashes and retries:
 *
 * 1. In the stepper's transaction, once the step's decision is to send: the coupon of
 *    (enrollment, step) if one was reserved, else the store's budget row is locked FOR UPDATE,
 *    what is committed and redeemed this month summed there, engine/incentive.ts decides, and an
 *    offer is reserved as a `coupons` row with a CSPRNG code (UNIQUE (enrollment_id, step): a
 *    retaken step finds and reuses it). The transaction commits without acting.
 * 2. With no lock held, the coupon is made in WooCommerce (`makeStepCoupon`). "Code already
 *    exists" — a make whose answer was lost, before a crash — is looked up by code and taken as made.
 * 3. A further transaction relocks the enrollment, decides again and queues the message with the
 *    code in its rendered payload; the coupon row is linked to the message. If the step ends up not
 *    sending (skipped, stopped), the coupon is voided; the daily cleanup deletes a voided coupon
 *    from the store (coupon-cleanup.ts).
 *
 * When the store cannot make the coupon (unreachable, or it refuses), we wait rather than send
 * without: the step is deferred COUPON_RETRY_MS (reason `store_unreachable`), and after
 * COUPON_TRIES failed tries it goes without the incentive (its `template_without_incentive`,
 * reason `incentive_unavailable`) and the reservation is voided (removed from the store by the
 * cleanup if a lost answer had made it after all). Without REST access at all (no key granted)
 * there is nothing to wait for: the step goes without its incentive at once.
 */

export const COUPON_TRIES = 3;
export const COUPON_RETRY_MS = 60_000;
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // 32 symbols: no 0/O, 1/I
const CODE_LENGTH = 10;

/** The store's coupon API, for the stepper (absent or null: no coupons can be made). */
export type CouponClient = () => Promise<WooClient | null>;

/** `CB-` and 10 symbols of an unambiguous alphabet, from the CSPRNG (50 bits). */
export function newCouponCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let code = 'CB-';
  for (const byte of bytes) code += ALPHABET[byte & 31];
  return code;
}

/** What a step carries: its coupon, or why it goes without, or what must happen first. */
export type StepOffer =
  | { kind: 'coupon'; row: CouponRow }
  | { kind: 'without'; reason: IncentiveReason | null }
  | { kind: 'create'; couponId: number }
  | { kind: 'defer'; until: Date };

interface OfferContext {
  storeId: number;
  lane: string;
  store: { timeZone: string; locale: string; currency: string; name: string };
  coupons?: CouponClient;
}

/**
 * The coupon of a step the stepper decided to send (step 1 above). `makeFailed`: this round's
 * try to make the reserved coupon failed.
 */
export async function stepOffer(
  trx: Trx,
  ctx: OfferContext,
  e: Selectable<EnrollmentsTable>,
  step: LaneStep,
  facts: StepFacts,
  stock: CartCheck | OfferCheck | null,
  makeFailed: boolean,
  now: Date,
): Promise<StepOffer> {
  const row = await stepCouponRow(trx, e.id, e.next_step);
  if (row) {
    if (row.state === 'created' && row.expires_at.getTime() > now.getTime()) return { kind: 'coupon', row };
    if (row.state === 'reserved' && row.expires_at.getTime() > now.getTime()) {
      if (!makeFailed) return { kind: 'create', couponId: row.id };
      if (row.create_attempts < COUPON_TRIES)
        return { kind: 'defer', until: new Date(now.getTime() + COUPON_RETRY_MS) };
    }
    await voidCoupon(trx, row.id, now);
    return { kind: 'without', reason: 'incentive_unavailable' };
  }
  const input = {
    lane: ctx.lane,
    cell: e.cell,
    incentive: step.incentive,
    subjectValue: subjectValue(ctx, facts, stock),
    storeAccess: ctx.coupons !== undefined,
  };
  // Only a step that could have a coupon locks the budget row.
  const unbounded = decideIncentive({ ...input, budget: { limit: Infinity, committed: 0, redeemed: 0 } }, now);
  if (unbounded.kind === 'none') return { kind: 'without', reason: unbounded.reason };
  const budget = await lockBudget(trx, ctx.storeId, monthOf(now, ctx.store.timeZone), now);
  const decided = decideIncentive({ ...input, budget }, now);
  if (decided.kind === 'none') return { kind: 'without', reason: decided.reason };
  const digits = fractionDigits(ctx.store.currency);
  const values = {
    store_id: ctx.storeId,
    enrollment_id: e.id,
    step: e.next_step,
    lane: ctx.lane,
    state: 'reserved' as const,
    discount_type: decided.discountType,
    amount: decided.discountType === 'percent' ? String(decided.amount) : minorToDecimal(decided.amount, digits),
    value: decided.value,
    currency: ctx.store.currency.toUpperCase(),
    minimum_spend: decided.minimumSpend,
    maximum_spend: decided.maximumSpend,
    email: facts.contact.email ?? facts.cart?.email ?? null,
    expires_at: decided.expiresAt,
    created_at: now,
    updated_at: now,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return { kind: 'create', couponId: await insertCoupon(trx, { ...values, code: newCouponCode() }) };
    } catch (error) {
      // A code taken already (1 in 2^50 per live code): draw another.
      if ((error as { errno?: number }).errno !== 1062 || attempt >= 3) throw error;
    }
  }
}

/** The cart's (or offer's) worth at live prices, in minor units. */
function subjectValue(ctx: OfferContext, facts: StepFacts, stock: CartCheck | OfferCheck | null): number {
  const { values } = renderFacts(ctx.store, facts, '', stock);
  if (facts.subject.kind === 'cart') return values.total;
  return (values.products ?? []).reduce((sum, p) => sum + Math.max(0, p.price), 0);
}

/**
 * Makes a reserved coupon in the store (step 2), holding no lock. True when it is there (made now,
 * or found by its code after "already exists"); false when this try failed (counted).
 */
export async function makeStepCoupon(
  db: Db,
  client: CouponClient | undefined,
  id: number,
  now: Date,
): Promise<boolean> {
  const row = await couponById(db, id);
  if (!row) return false;
  if (row.state === 'created') return true;
  if (row.state !== 'reserved') return false;
  const woo = client ? await client().catch(() => null) : null;
  if (!woo) {
    // No REST access at all: waiting will not help, so this counts as the last try.
    await countAttempt(db, id, now, COUPON_TRIES);
    return false;
  }
  try {
    const made = await woo.createCoupon(wooCoupon(row));
    await markCreated(db, id, made.id, now);
    return true;
  } catch (error) {
    if (error instanceof WooError && error.code === 'woocommerce_rest_coupon_code_already_exists') {
      const found = await findByCode(woo, row.code);
      if (found !== null) {
        await markCreated(db, id, found, now);
        return true;
      }
    }
    if (!(error instanceof WooError || error instanceof WooUnreachableError)) throw error;
    await countAttempt(db, id, now);
    return false;
  }
}

/** A coupon's id in the store by its code (case-blind), or null. */
export async function findByCode(woo: WooClient, code: string): Promise<number | null> {
  try {
    const list = await woo.listCoupons({ code });
    return list.find((c) => c.code.toLowerCase() === code.toLowerCase())?.id ?? null;
  } catch (error) {
    if (error instanceof WooError || error instanceof WooUnreachableError) return null;
    throw error;
  }
}

/** The REST body of a reserved coupon (WC_REST_Coupons_Controller's field names). */
export function wooCoupon(row: CouponRow): WooCouponInput {
  const digits = fractionDigits(row.currency);
  return {
    code: row.code,
    discount_type: row.discount_type,
    amount: row.amount,
    individual_use: true,
    usage_limit: 1,
    usage_limit_per_user: 1,
    ...(row.email ? { email_restrictions: [row.email] } : {}),
    date_expires: `${row.expires_at.toISOString().slice(0, 19)}Z`,
    ...(row.minimum_spend ? { minimum_amount: minorToDecimal(Number(row.minimum_spend), digits) } : {}),
    ...(row.maximum_spend ? { maximum_amount: minorToDecimal(Number(row.maximum_spend), digits) } : {}),
    description: `Cartback: ${row.lane} step ${row.step + 1}`,
  };
}

/** "₹100 off", "10% off": a coupon's worth as the template's `coupon_value` shows it. */
export function couponValueText(
  coupon: Pick<CouponRow, 'discount_type' | 'amount' | 'value' | 'currency'>,
  locale: string,
): string {
  const tag = toBcp47(locale);
  if (coupon.discount_type === 'percent') {
    return `${new Intl.NumberFormat(tag, { style: 'percent' }).format(Number(coupon.amount) / 100)} off`;
  }
  const digits = fractionDigits(coupon.currency);
  const formatted = new Intl.NumberFormat(tag, {
    style: 'currency',
    currency: coupon.currency,
    trailingZeroDisplay: 'stripIfInteger',
  }).format(minorToDecimal(Number(coupon.value), digits) as `${number}`);
  return `${formatted} off`;
}

/**
 * The step as sent without its coupon: its `template_without_incentive`, with `coupon_code` and
 * `coupon_value` dropped from the body (and from the header, and any URL button they filled).
 */
export function withoutIncentive(step: LaneStep): LaneStep {
  const incentive = step.incentive;
  if (!incentive) return step;
  const isIncentive = (name: string) => INCENTIVE_PARAMETERS.includes(name as never);
  const { header, body, buttons } = step.parameters;
  return {
    delay: step.delay,
    template: incentive.template_without_incentive,
    language: step.language,
    parameters: {
      header: header && isIncentive(header) ? null : header,
      body: body.filter((name) => !isIncentive(name)),
      buttons: buttons.filter((b) => b.type !== 'url' || !isIncentive(b.parameter)),
    },
  };
}
