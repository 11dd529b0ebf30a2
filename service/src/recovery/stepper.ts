import type { Line } from '@cartback/shared';
import { isE164 } from '@cartback/shared';
import type { Selectable } from 'kysely';
import type { Db, Trx } from '../db/database';
import type { EnrollmentsTable } from '../db/schema';
import { withTransaction } from '../db/transaction';
import { consentsOf } from '../consent/ledger';
import { decideSend, decisionLane, type SendDecision } from '../engine/decision';
import type { LaneSettings } from '../engine/lanes';
import { RenderError, renderTemplate } from '../engine/render';
import { newLinkCode } from '../links/codes';
import { readStepFacts, type StepFacts } from './facts';
import { moveFor, stepDueAt, type StepMove } from './journey';

export const LINK_TTL_MS = 7 * 24 * 3600 * 1000;

export interface StepContext {
  storeId: number;
  lane: string;
  settings: LaneSettings;
  /** The store-wide kill switch. */
  allPaused: boolean;
  store: { timeZone: string; locale: string; currency: string; name: string; defaultImageUrl?: string | null };
  /** Whether a template can be sent now (approved in that language); defaults to yes. */
  templateAvailable?: (name: string, language: string) => boolean;
}

/**
 * Takes the next due step of one enrollment (SELECT … FOR UPDATE SKIP LOCKED, so processes never
 * take the same one) and decides it on the facts as they are now, in one transaction: the
 * message row (queued, held out or skipped with its reason), the enrollment's next move and a
 * history entry commit together. Returns false when nothing was due.
 */
export async function runNextStep(db: Db, ctx: StepContext, now: Date): Promise<boolean> {
  return withTransaction(db, async (trx) => {
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
    if (!enrollment) return false;
    await takeStep(trx, ctx, enrollment, now);
    return true;
  });
}

/** Runs due steps until none is left or `limit` were taken. Returns how many were taken. */
export async function runDueSteps(db: Db, ctx: StepContext, now: Date, limit = 200): Promise<number> {
  let taken = 0;
  while (taken < limit && (await runNextStep(db, ctx, now))) taken++;
  return taken;
}

async function takeStep(trx: Trx, ctx: StepContext, e: Selectable<EnrollmentsTable>, now: Date): Promise<void> {
  const lane = decisionLane(ctx.lane, ctx.settings);
  const facts = await readStepFacts(
    trx,
    e,
    { capMs: lane.capPerContact.windowMs, laneCapMs: lane.capPerLane?.windowMs ?? null },
    now,
  );
  const cart = facts?.cart ?? null;
  const sameEpisode = cart?.started_at?.getTime() === e.episode_at.getTime();
  // The shopper came back and changed the cart: the steps count again from that change.
  if (facts && cart && sameEpisode && cart.content_at && cart.content_at.getTime() > e.anchor_at.getTime()) {
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
    return;
  }
  const decision: SendDecision = facts
    ? await decide(trx, ctx, e, facts, sameEpisode, now)
    : { kind: 'stop', reason: 'invalid_phone' };
  let move = moveFor(decision, ctx.settings, { nextStep: e.next_step, anchorAt: e.anchor_at }, now);
  let payload: string | null = null;
  let code: string | null = null;
  const step = ctx.settings.steps[e.next_step];
  if (move.message?.state === 'queued' && facts && cart && step) {
    code = newLinkCode();
    try {
      payload = JSON.stringify(
        renderTemplate(
          step.parameters,
          {
            firstName: facts.contact.firstName,
            lines: JSON.parse(cart.lines ?? '[]') as Line[],
            total: cart.total ?? 0,
            currency: cart.currency ?? ctx.store.currency,
            storeName: ctx.store.name,
            linkCode: code,
          },
          {
            locale: cart.locale ?? facts.contact.locale ?? ctx.store.locale,
            defaultImageUrl: ctx.store.defaultImageUrl,
          },
        ),
      );
    } catch (error) {
      if (!(error instanceof RenderError)) throw error;
      // A value the template needs is missing: this step cannot go as approved.
      move = moveFor(
        { kind: 'skip', reason: 'template_unavailable' },
        ctx.settings,
        { nextStep: e.next_step, anchorAt: e.anchor_at },
        now,
      );
      payload = null;
      code = null;
    }
  }
  if (move.message && facts && step) {
    const inserted = await trx
      .insertInto('messages')
      .values({
        store_id: e.store_id,
        enrollment_id: e.id,
        step: e.next_step,
        lane: e.lane,
        category: ctx.settings.category,
        contact_id: facts.contact.id,
        phone: facts.contact.phone,
        state: move.message.state,
        due_at: now,
        template: step.template,
        language: step.language,
        payload,
        error_message: move.message.reason,
        created_at: now,
        updated_at: now,
      })
      .executeTakeFirstOrThrow();
    if (code) {
      await trx
        .insertInto('links')
        .values({
          code,
          store_id: e.store_id,
          message_id: Number(inserted.insertId),
          subject_kind: e.subject_kind,
          subject_id: e.subject_id,
          contact_id: facts.contact.id,
          created_at: now,
          expires_at: new Date(now.getTime() + LINK_TTL_MS),
        })
        .execute();
    }
  }
  await updateEnrollment(trx, e, move.enrollment, now);
  await history(
    trx,
    e,
    now,
    move.history.kind,
    move.history.reason,
    decision.kind === 'defer' ? `until ${decision.until.toISOString()}` : null,
  );
}

async function decide(
  trx: Trx,
  ctx: StepContext,
  e: Selectable<EnrollmentsTable>,
  facts: StepFacts,
  sameEpisode: boolean,
  now: Date,
): Promise<SendDecision> {
  const consent = (await consentsOf(trx, e.store_id, [facts.contact.id])).get(facts.contact.id);
  const scope = ctx.settings.category;
  const decidedBy = consent?.[scope].decidedBy ?? null;
  const step = ctx.settings.steps[e.next_step];
  return decideSend(
    {
      lane: decisionLane(ctx.lane, ctx.settings),
      allPaused: ctx.allPaused,
      contact: {
        phoneValid: isE164(facts.contact.phone),
        optedOut: decidedBy?.action === 'withdrawn',
        consent: { marketing: consent?.marketing.granted === true, utility: consent?.utility.granted === true },
        handoffActive: false,
      },
      subject: {
        converted: facts.converted,
        cartEmpty: !sameEpisode || facts.cart?.status !== 'active' || (facts.cart?.item_count ?? 0) === 0,
      },
      cell: e.cell,
      templateAvailable: step ? (ctx.templateAvailable?.(step.template, step.language) ?? true) : false,
      providerMarketingLimited: facts.providerMarketingLimited,
      recentCrossChannel: facts.recentCrossChannel,
      marketingSentInWindow: facts.marketingSentInWindow,
      laneSentInWindow: facts.laneSentInWindow,
      storeTimeZone: ctx.store.timeZone,
    },
    now,
  );
}

async function updateEnrollment(
  trx: Trx,
  e: Selectable<EnrollmentsTable>,
  next: StepMove['enrollment'],
  now: Date,
  anchorAt?: Date,
): Promise<void> {
  await trx
    .updateTable('enrollments')
    .set(
      next.state === 'active'
        ? {
            next_step: next.nextStep,
            next_due_at: next.nextDueAt,
            updated_at: now,
            ...(anchorAt ? { anchor_at: anchorAt } : {}),
          }
        : next.state === 'completed'
          ? { state: 'completed', next_due_at: null, updated_at: now }
          : { state: 'stopped', stop_reason: next.reason, next_due_at: null, updated_at: now },
    )
    .where('id', '=', e.id)
    .execute();
}

async function history(
  trx: Trx,
  e: Selectable<EnrollmentsTable>,
  now: Date,
  kind: string,
  reason: string | null,
  detail: string | null,
): Promise<void> {
  await trx
    .insertInto('enrollment_history')
    .values({ store_id: e.store_id, enrollment_id: e.id, at: now, kind, step: e.next_step, reason, detail })
    .execute();
}
