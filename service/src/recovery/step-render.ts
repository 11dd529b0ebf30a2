import type { Selectable } from 'kysely';
import type { EnrollmentsTable } from '../db/schema';
import { chooseTemplateLanguage } from '../engine/template-language';
import type { LaneStep } from '../engine/lanes';
import { RenderError, renderStep, type RenderedStep } from '../engine/render';
import type { ReasonCode } from '../engine/reasons';
import type { CartCheck, OfferCheck } from '../engine/catalog';
import type { StepFacts } from './facts';
import { renderFacts } from './step-facts';
import { couponValueText } from './step-coupon';
import type { CouponRow } from './sql/coupons';
import type { StepContext } from './stepper';

/** The stepper's rendering of a step (recovery/stepper.ts): its language, its template filled. */

type Enrollment = Selectable<EnrollmentsTable>;

/**
 * The step's template filled from the live subject (step-facts.ts), or why it cannot go:
 * `no_image` when its image header has no image and it names no template without one,
 * `template_unavailable` when a value it needs is missing or its text-only alternative is not approved.
 */
export function render(
  ctx: StepContext,
  step: LaneStep,
  facts: StepFacts,
  stock: CartCheck | OfferCheck | null,
  linkCode: string,
  coupon: Pick<CouponRow, 'code' | 'discount_type' | 'amount' | 'value' | 'currency'> | null,
): RenderedStep | ReasonCode {
  try {
    const { values: base, locale } = renderFacts(ctx.store, facts, linkCode, stock);
    const values = coupon ? { ...base, couponCode: coupon.code, couponValue: couponValueText(coupon, locale) } : base;
    const rendered = renderStep(step, values, { locale, defaultImageUrl: ctx.store.defaultImageUrl });
    const available = ctx.templateAvailable?.(rendered.template, step.language) ?? true;
    return rendered.template === step.template || available ? rendered : 'template_unavailable';
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    return error.parameter === 'first_item_image' ? 'no_image' : 'template_unavailable';
  }
}

/** What a held-out step with an incentive is rendered with (never stored, never sent). */
export const HOLDOUT_COUPON = {
  code: 'CB-HOLDOUT',
  discount_type: 'fixed_cart',
  amount: '1',
  value: 1,
  currency: 'USD',
} as const;

/**
 * The enrollment's next step, in the contact's language when an approved template exists in it
 * (the cart's locale, else the contact's), else as configured; undefined when there is no such step.
 */
export function localizedStep(ctx: StepContext, e: Enrollment, facts: StepFacts | null): LaneStep | undefined {
  const step = ctx.settings.steps[e.next_step];
  if (!step || !ctx.approvedLanguages) return step;
  const language = chooseTemplateLanguage({
    templates: step.template_without_image ? [step.template, step.template_without_image] : [step.template],
    stepLanguage: step.language,
    contactLocale: facts?.cart?.locale ?? facts?.contact.locale ?? null,
    approvedLanguages: ctx.approvedLanguages,
  });
  return language === step.language ? step : { ...step, language };
}
