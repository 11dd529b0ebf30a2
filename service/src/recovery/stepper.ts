import { isE164 } from '@cartback/shared';
import type { Selectable } from 'kysely';
import type { Db, Trx } from '../db/database';
import type { EnrollmentsTable } from '../db/schema';
import { withTransaction } from '../db/transaction';
import { consentsOf } from '../consent/ledger';
import { contactTimeZone } from '../engine/contact-zone';
import { decideSend, decisionLane, type FinalDecision, type SendDecision, type StoreCheck } from '../engine/decision';
import type { LaneSettings } from '../engine/lanes';
import type { RenderedStep } from '../engine/render';
import { asksStore, storeCheckFor, subjectVerdict } from '../engine/subject';
import type { IncentiveReason } from '../engine/incentive';
import {
  catalogVerdict,
  type CartCheck,
  type CatalogItem,
  type CatalogReader,
  type OfferCheck,
} from '../engine/catalog';
import { newLinkCode } from '../links/codes';
import type { OrdersQuery } from '../store/client';
import { readStepFacts, type StepFacts } from './facts';
import { moveFor, stepDueAt } from './journey';
import { history, insertStepMessage, updateEnrollment } from './step-record';
import { detailOf, ordersQuery } from './step-detail';
import { linkMessage, voidStepCoupon } from './sql/coupons';
import { HOLDOUT_COUPON, localizedStep, render } from './step-render';
import { makeStepCoupon, stepOffer, withoutIncentive, type CouponClient, type StepOffer } from './step-coupon';
import { catalogItems, checkStep, covers, readLive, stockDetail, type LiveAnswer } from './step-catalog';

export { LINK_TTL_MS } from './step-record';

/** The store's answer to the pre-send re-check. */
export type StoreAnswer = Extract<StoreCheck, 'no_order' | 'ordered' | 'payment_pending' | 'unreachable'>;

export interface StepContext {
  storeId: number;
  lane: string;
  settings: LaneSettings;
  /** The store-wide kill switch. */
  allPaused: boolean;
  /** Targets paused by a monitor (monitors/sql.ts openPauses): lane names and/or `all`. */
  monitorPaused?: ReadonlySet<string>;
  store: { timeZone: string; locale: string; currency: string; name: string; defaultImageUrl?: string | null };
  /** Whether a template can be sent now (approved in that language); defaults to yes. */
  templateAvailable?: (name: string, language: string) => boolean;
  /**
   * The languages WhatsApp has approved a template in, or null when not known: a step then goes
   * in the contact's language when it can (engine/template-language.ts). Absent: the step's.
   */
  approvedLanguages?: (name: string) => readonly string[] | null;
  /**
   * Asks the store whether the contact has ordered since the cart began (the pre-send re-check).
   * Absent when there is no store to ask (no plugin known): the check is then not needed.
   */
  askStore?: (query: OrdersQuery) => Promise<StoreAnswer>;
  /**
   * Reads the store's products now (engine/catalog.ts; wrap it in recovery/catalog-cache.ts), for
   * the live stock and price check of cart, browse and win-back steps. Absent, or answering null
   * (no REST access): nothing is checked, and steps go on the captured lines and offers.
   */
  catalog?: CatalogReader;
  /**
   * Called once a step's message is queued and committed, so the dispatcher can send it at once
   * (the shorter the time from the re-check to the send, the smaller the window in which an
   * order can slip between them).
   */
  onQueued?: () => void;
  /**
   * The store's REST client for making a step's coupon (recovery/step-coupon.ts). Absent: steps
   * with an incentive go without it (`incentive_unavailable`).
   */
  coupons?: CouponClient;
}

type Enrollment = Selectable<EnrollmentsTable>;
type Taken =
  | { kind: 'done'; queued: boolean }
  | { kind: 'verify'; query: OrdersQuery | null; items: readonly CatalogItem[] | null }
  | { kind: 'coupon'; couponId: number };
/**
 * The store's products for the step: `undefined` not read yet, null not checked (no catalog, none
 * of the step's business, or the store could not answer).
 */
type Live = LiveAnswer | null | undefined;

/**
 * Takes the next due step of one enrollment (SELECT … FOR UPDATE SKIP LOCKED, so processes never
 * take the same one) and decides it on the facts as they are now, in one transaction: the
 * message row (queued, held out or skipped with its reason), the enrollment's next move and a
 * history entry commit together. Returns false when nothing was due.
 *
 * When the decision is to ask the store first (`verify`), that transaction commits having
 * changed nothing, the store is asked holding no lock (its answer may deliver events into this
 * sidecar, whose ingestion takes the same rows), and a second transaction locks the enrollment
 * again — only if no one moved it meanwhile — reads the facts afresh and decides with the answer.
 *
 * The live stock and price check (ctx.catalog, engine/catalog.ts) uses the same gap: when a cart,
 * browse or win-back step would go (be sent, held out, or verified with the store), the first
 * transaction hands back the step's items (products and variations) instead of acting, the products are read with no
 * lock held (alongside the store re-check when there is one), and the second transaction decides
 * and renders with them. A step that is skipped, stopped or deferred anyway costs the store no call.
 * Both cells go through it, so treatment and holdout skip the same steps.
 *
 * A step with an incentive that is to be sent reserves its coupon in the transaction that decides
 * (recovery/step-coupon.ts) and hands back `coupon`: the coupon is made in the store with no lock
 * held, and a further transaction relocks and decides again, now with the coupon. At most
 * MAX_ROUNDS such rounds; a step still not done is left due and taken again at the next tick.
 */
export async function runNextStep(db: Db, ctx: StepContext, now: Date): Promise<boolean> {
  const first = await withTransaction(db, async (trx) => {
    const enrollment = await trx
      .selectFrom('enrollments')
      .selectAll()
      .where('store_id', '=', ctx.storeId)
      .where('lane', '=', ctx.lane)
      .where('state', '=', 'active')
      .where('next_due_at', '<=', now)
      .orderBy('next_due_at')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!enrollment) return null;
    // Carts and unpaid orders are re-checked with the store; a browse or win-back step needs not.
    const check: StoreCheck = ctx.askStore && asksStore(enrollment.subject_kind) ? 'pending' : 'not_needed';
    return { enrollment, taken: await takeStep(trx, ctx, enrollment, check, undefined, now) };
  });
  if (!first) return false;
  let taken = first.taken;
  let check: StoreCheck = 'not_needed';
  let live: Live = undefined;
  let makeFailed = false;
  for (let round = 0; round < MAX_ROUNDS && taken.kind !== 'done'; round++) {
    if (taken.kind === 'verify') {
      const { query, items } = taken;
      // A step asks the store only from 'pending' (query set); else its check was not needed.
      [check, live] = await Promise.all([
        query && ctx.askStore ? ctx.askStore(query) : Promise.resolve<StoreCheck>('not_needed'),
        items && ctx.catalog ? readLive(ctx.catalog, items) : Promise.resolve(null),
      ]);
    } else {
      makeFailed = !(await makeStepCoupon(db, ctx.coupons, taken.couponId, now));
    }
    taken = await withTransaction(db, async (trx): Promise<Taken> => {
      const enrollment = await relock(trx, first.enrollment);
      return enrollment
        ? takeStep(trx, ctx, enrollment, check, live, now, makeFailed)
        : { kind: 'done', queued: false };
    });
  }
  if (taken.kind === 'done' && taken.queued) ctx.onQueued?.();
  return true;
}

/** Rounds of IO between the transactions of one step: the store re-check, the coupon's making. */
const MAX_ROUNDS = 3;

/** Runs due steps until none is left or `limit` were taken. Returns how many were taken. */
export async function runDueSteps(db: Db, ctx: StepContext, now: Date, limit = 200): Promise<number> {
  let taken = 0;
  while (taken < limit && (await runNextStep(db, ctx, now))) taken++;
  return taken;
}

/** The enrollment locked again, or undefined when it moved on (or was stopped) meanwhile. */
function relock(trx: Trx, e: Enrollment): Promise<Enrollment | undefined> {
  return trx
    .selectFrom('enrollments')
    .selectAll()
    .where('id', '=', e.id)
    .where('state', '=', 'active')
    .where('next_step', '=', e.next_step)
    .where('next_due_at', '=', e.next_due_at)
    .where('anchor_at', '=', e.anchor_at)
    .forUpdate()
    .executeTakeFirst();
}

async function takeStep(
  trx: Trx,
  ctx: StepContext,
  e: Enrollment,
  check: StoreCheck,
  live: Live,
  now: Date,
  makeFailed = false,
): Promise<Taken> {
  const lane = decisionLane(ctx.lane, ctx.settings);
  const facts = await readStepFacts(
    trx,
    e,
    { capMs: lane.capPerContact.windowMs, laneCapMs: lane.capPerLane?.windowMs ?? null },
    now,
  );
  const cart = facts?.cart ?? null;
  const sameEpisode = cart?.started_at?.getTime() === e.episode_at.getTime();
  // The shopper came back and changed the cart: the steps count again from that change (carts only).
  if (
    facts &&
    cart &&
    e.subject_kind === 'cart' &&
    sameEpisode &&
    cart.content_at &&
    cart.content_at.getTime() > e.anchor_at.getTime()
  ) {
    const due = stepDueAt(ctx.settings, cart.content_at, e.next_step) ?? now;
    await updateEnrollment(trx, e, { state: 'active', nextStep: e.next_step, nextDueAt: due }, now, cart.content_at);
    await history(
      trx,
      e,
      now,
      'reanchored',
      null,
      `cart changed; step ${e.next_step + 1} now due ${due.toISOString()}`,
    );
    return { kind: 'done', queued: false };
  }
  const ids = facts && ctx.catalog ? catalogItems(facts) : null;
  // The cart changed since its products were read (a line the store was not asked about): leave
  // the step due, untouched, so it is taken again and its products read afresh.
  if (ids && live && !covers(live, ids)) return { kind: 'done', queued: false };
  const stock = facts && ids && live ? checkStep(facts, live, ctx.store.currency) : null;
  const decision: SendDecision = facts
    ? await decide(trx, ctx, e, facts, check, stock, now)
    : { kind: 'stop', reason: 'invalid_phone' };
  const goes = decision.kind === 'verify' || decision.kind === 'send' || decision.kind === 'held_out';
  if (goes && ids && live === undefined) {
    return {
      kind: 'verify',
      query: decision.kind === 'verify' ? ordersQuery(e, facts as StepFacts) : null,
      items: ids,
    };
  }
  if (decision.kind === 'verify') {
    return { kind: 'verify', query: ordersQuery(e, facts as StepFacts), items: null };
  }
  let offer: StepOffer | null = null;
  const sending = decision.kind === 'send' && facts ? localizedStep(ctx, e, facts) : undefined;
  if (sending?.incentive && facts) {
    offer = await stepOffer(trx, ctx, e, sending, facts, stock, makeFailed, now);
    if (offer.kind === 'create') return { kind: 'coupon', couponId: offer.couponId };
  }
  return { kind: 'done', queued: await act(trx, ctx, e, facts, decision, check, stock, offer, now) };
}

/**
 * Writes what a final decision does: the message row, the enrollment's move and its history.
 * Returns whether a message was queued to send.
 */
async function act(
  trx: Trx,
  ctx: StepContext,
  e: Enrollment,
  facts: StepFacts | null,
  decided: FinalDecision,
  check: StoreCheck,
  stock: CartCheck | OfferCheck | null,
  offer: StepOffer | null,
  now: Date,
): Promise<boolean> {
  let step = localizedStep(ctx, e, facts);
  let decision = decided;
  let rendered: RenderedStep | null = null;
  let code: string | null = null;
  // The coupon could not be made yet: wait (recovery/step-coupon.ts).
  if (offer?.kind === 'defer') decision = { kind: 'defer', until: offer.until, reason: 'store_unreachable' };
  const coupon = offer?.kind === 'coupon' ? offer.row : null;
  let incentiveReason: IncentiveReason | null = null;
  // Without a coupon for a reason (budget, store): the step's template_without_incentive. With
  // none (no incentive in this lane: payment reminders), the step goes as configured.
  if (offer?.kind === 'without' && offer.reason !== null && step) {
    step = withoutIncentive(step);
    incentiveReason = offer.reason;
    if (ctx.templateAvailable?.(step.template, step.language) === false) {
      decision = { kind: 'skip', reason: 'template_unavailable' };
    }
  }
  // A held-out step is rendered too (and the result dropped), so both cells skip the same steps;
  // its coupon is a stand-in (the holdout never gets one).
  if ((decision.kind === 'send' || decision.kind === 'held_out') && facts && step) {
    code = newLinkCode();
    const shown = coupon ?? (decision.kind === 'held_out' && step.incentive ? HOLDOUT_COUPON : null);
    const result = render(ctx, step, facts, stock, code, shown);
    if (typeof result === 'string') decision = { kind: 'skip', reason: result };
    else if (decision.kind === 'send') rendered = result;
  }
  // The step does not go (skipped, or the journey stopped): a coupon reserved for it is voided
  // (coupons/cleanup.ts deletes it from the store). A deferred step keeps it for its next try.
  if (decision.kind === 'skip' || decision.kind === 'stop') await voidStepCoupon(trx, e.id, e.next_step, now);
  const move = moveFor(decision, ctx.settings, { nextStep: e.next_step, anchorAt: e.anchor_at }, now);
  let queued = false;
  if (move.message && facts && step) {
    queued = move.message.state === 'queued';
    const messageId = await insertStepMessage(
      trx,
      e,
      {
        state: move.message.state,
        reason: move.message.reason ?? (queued ? incentiveReason : null),
        contactId: facts.contact.id,
        phone: facts.contact.phone,
        category: ctx.settings.category,
        template: rendered?.template ?? step.template,
        language: step.language,
        payload: rendered ? JSON.stringify(rendered.components) : null,
        linkCode: rendered ? code : null,
      },
      now,
    );
    if (coupon && queued) await linkMessage(trx, coupon.id, messageId, now);
  }
  await updateEnrollment(trx, e, move.enrollment, now);
  await history(
    trx,
    e,
    now,
    move.history.kind,
    move.history.reason ?? (decision.kind === 'send' ? incentiveReason : null),
    detailOf(e, decision, check, facts) ?? stockDetail(stock),
  );
  return queued;
}

async function decide(
  trx: Trx,
  ctx: StepContext,
  e: Enrollment,
  facts: StepFacts,
  storeCheck: StoreCheck,
  stock: CartCheck | OfferCheck | null,
  now: Date,
): Promise<SendDecision> {
  const consent = (await consentsOf(trx, e.store_id, [facts.contact.id])).get(facts.contact.id);
  const scope = ctx.settings.category;
  const decidedBy = consent?.[scope].decidedBy ?? null;
  const step = localizedStep(ctx, e, facts);
  const verdict = subjectVerdict(facts.subject);
  // The live check (engine/catalog.ts); undefined stock (not checked) leaves out_of_stock unchecked.
  const live = catalogVerdict(stock);
  const templateApproved = step ? (ctx.templateAvailable?.(step.template, step.language) ?? true) : false;
  return decideSend(
    {
      lane: decisionLane(ctx.lane, ctx.settings),
      allPaused: ctx.allPaused,
      monitorPaused: { all: ctx.monitorPaused?.has('all') === true, lane: ctx.monitorPaused?.has(ctx.lane) === true },
      contact: {
        phoneValid: isE164(facts.contact.phone),
        optedOut: decidedBy?.action === 'withdrawn',
        consent: { marketing: consent?.marketing.granted === true, utility: consent?.utility.granted === true },
        handoffActive: facts.handoffActive,
      },
      subject: {
        converted: verdict.converted,
        paymentPending: verdict.paymentPending,
        cartEmpty: verdict.cartEmpty || live.cartEmpty,
        stop: verdict.stop ?? live.stop,
        ...(stock ? { outOfStock: live.outOfStock } : {}),
      },
      superseded: facts.superseded,
      cell: e.cell,
      // An unpaid order without its row or pay link has nothing to fill the step with.
      templateAvailable: templateApproved && verdict.renderable,
      providerMarketingLimited: facts.providerMarketingLimited,
      recentCrossChannel: facts.recentCrossChannel,
      marketingSentInWindow: facts.marketingSentInWindow,
      laneSentInWindow: facts.laneSentInWindow,
      storeTimeZone: ctx.store.timeZone,
      contactTimeZone: contactTimeZone({ timeZone: facts.contact.timeZone, phone: facts.contact.phone }),
      storeCheck: storeCheckFor(facts.subject.kind, storeCheck),
    },
    now,
  );
}
