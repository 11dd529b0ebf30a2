import Joi from 'joi';
import { Duration } from 'luxon';
import { formatPath, type Validation } from '@cartback/shared';

/**
 * Lane settings: what an admin edits with `GET/PUT /v1/admin/lanes/:lane`, stored as JSON in
 * `lane_settings.settings`. The body's field names are the stored JSON's (snake_case, like every
 * other Cartback contract). Validate a PUT body with `validateLaneSettings`, which runs
 * `laneSettingsSchema(lane)` with `convert: false` (so `"10"` is not a number) and names the
 * first field at fault.
 */

/** Lanes whose settings and defaults are defined so far; DESIGN.md's other lanes join as they are built. */
export const LANE_NAMES = ['abandoned_cart'] as const;
export type LaneName = (typeof LANE_NAMES)[number];

export function isLaneName(value: unknown): value is LaneName {
  return typeof value === 'string' && (LANE_NAMES as readonly string[]).includes(value);
}

export const TEMPLATE_CATEGORIES = ['marketing', 'utility'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** The values a template parameter can be filled with (render.ts computes them from the live cart). */
export const PARAMETER_NAMES = [
  'first_name',
  'item_count',
  'first_item_name',
  'cart_total',
  'store_name',
  'first_item_image',
  'link_code',
  'coupon_code',
] as const;
export type ParameterName = (typeof PARAMETER_NAMES)[number];
/** Parameters rendered as text (`cart_total` is a currency parameter, `first_item_image` an image). */
export type TextParameterName = Exclude<ParameterName, 'first_item_image' | 'cart_total'>;
export type BodyParameterName = Exclude<ParameterName, 'first_item_image'>;
export type HeaderParameterName = 'first_item_image' | TextParameterName;

const TEXT_PARAMETERS: readonly TextParameterName[] = [
  'first_name',
  'item_count',
  'first_item_name',
  'store_name',
  'link_code',
  'coupon_code',
];
const BODY_PARAMETERS: readonly BodyParameterName[] = [...TEXT_PARAMETERS, 'cart_total'];
const HEADER_PARAMETERS: readonly HeaderParameterName[] = ['first_item_image', ...TEXT_PARAMETERS];

/** The quick-reply payload that opts a contact out (the inbound webhook handler treats it as STOP). */
export const OPT_OUT_PAYLOAD = 'STOP';

/**
 * A template button's dynamic part. A button's `index` on the wire is its position in
 * `ParameterMapping.buttons`, which must therefore follow the approved template's button order.
 */
export type ButtonMapping = { type: 'url'; parameter: TextParameterName } | { type: 'quick_reply'; payload: string };

/** Which value fills each of a template's parameters. */
export interface ParameterMapping {
  /** The header's one parameter (an image for `first_item_image`, else text), or null for none. */
  header: HeaderParameterName | null;
  /** `{{1}}`, `{{2}}`, … of the body, in order. */
  body: BodyParameterName[];
  buttons: ButtonMapping[];
}

export interface LaneStep {
  /** ISO 8601 duration from the moment the subject was last changed (for a cart: abandonment). */
  delay: string;
  /** The approved template's name. */
  template: string;
  /**
   * An approved template with the same body and buttons and no header, sent instead when the
   * step's header is `first_item_image` and there is no image to put there (the first item has
   * none and the store reports no placeholder). Only with a `first_item_image` header.
   */
  template_without_image?: string;
  /** The template's language code as Meta names it: `en`, `en_US`, `pt_BR`. */
  language: string;
  parameters: ParameterMapping;
}

/** Local times `HH:MM` in the store's time zone; `start == end` means no quiet hours (quiet-hours.ts). */
export interface QuietHours {
  start: string;
  end: string;
}

/** At most `max` messages within any `window` (an ISO 8601 duration). */
export interface CapSetting {
  max: number;
  window: string;
}

export interface LaneSettings {
  enabled: boolean;
  /** The templates' category; fixed per lane (it decides which consent is needed). */
  category: TemplateCategory;
  /** How long a subject must be idle before the journey starts (ISO 8601 duration). */
  inactivity_delay: string;
  /** 1–5 steps with strictly increasing delays, the first no earlier than `inactivity_delay`. */
  steps: LaneStep[];
  /** Share of enrollments put in the holdout cell, 0–50 (two decimals at most). */
  holdout_percent: number;
  quiet_hours: QuietHours;
  /** Marketing messages (of any lane) to one contact; only applies to marketing lanes. */
  cap_per_contact: CapSetting;
  /** Messages of this lane to one contact, across its subjects; null for no such cap. */
  lane_cap: CapSetting | null;
}

// ---------------------------------------------------------------------------------------------
// Durations

const MAX_DURATION_MS = 366 * 24 * 3600 * 1000;

type DurationProblem = 'invalid' | 'calendar' | 'not_positive' | 'too_long';

function durationProblem(iso: string): { problem: DurationProblem } | { ms: number } {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) return { problem: 'invalid' };
  // Years and months have no fixed length: luxon would silently take 365 and 30 days.
  if (duration.years !== 0 || duration.quarters !== 0 || duration.months !== 0) return { problem: 'calendar' };
  const ms = duration.toMillis();
  if (!(ms > 0)) return { problem: 'not_positive' };
  if (ms > MAX_DURATION_MS) return { problem: 'too_long' };
  return { ms };
}

const DURATION_MESSAGES: Record<DurationProblem, string> = {
  invalid: 'must be an ISO 8601 duration, such as PT15M or PT4H',
  calendar: 'must use weeks, days, hours, minutes or seconds (years and months vary in length)',
  not_positive: 'must be longer than zero',
  too_long: 'must be at most 366 days',
};

/**
 * Milliseconds in an ISO 8601 duration such as `PT15M`, `PT4H` or `P1DT12H` (luxon parses it).
 * Throws a RangeError for an invalid, zero, negative, year- or month-based, or over-366-day one.
 */
export function parseDurationMs(iso: string): number {
  const result = durationProblem(iso);
  if ('problem' in result) throw new RangeError(`Duration ${JSON.stringify(iso)} ${DURATION_MESSAGES[result.problem]}`);
  return result.ms;
}

// ---------------------------------------------------------------------------------------------
// Defaults

/** A new object each call, so no two steps share (and a change to one alters) a mapping. */
function cartParameters(): ParameterMapping {
  return {
    header: 'first_item_image',
    body: ['first_name', 'item_count', 'first_item_name', 'cart_total'],
    buttons: [
      { type: 'url', parameter: 'link_code' },
      { type: 'quick_reply', payload: OPT_OUT_PAYLOAD },
    ],
  };
}

/** Default cart step `n`: `cart_reminder_<n>`, or `cart_reminder_<n>_text` when there is no image. */
function cartStep(n: number, delay: string): LaneStep {
  return {
    delay,
    template: `cart_reminder_${n}`,
    template_without_image: `cart_reminder_${n}_text`,
    language: 'en',
    parameters: cartParameters(),
  };
}

const DEFAULTS: Record<LaneName, () => LaneSettings> = {
  abandoned_cart: () => ({
    enabled: true,
    category: 'marketing',
    inactivity_delay: 'PT15M',
    steps: [cartStep(1, 'PT15M'), cartStep(2, 'PT4H'), cartStep(3, 'PT23H')],
    holdout_percent: 10,
    quiet_hours: { start: '21:00', end: '09:00' },
    cap_per_contact: { max: 2, window: 'PT24H' },
    lane_cap: null,
  }),
};

/** A lane's settings until an admin changes them: a fresh copy, safe to modify. */
export function defaultLaneSettings(lane: LaneName): LaneSettings {
  return DEFAULTS[lane]();
}

// ---------------------------------------------------------------------------------------------
// Schema

const duration = Joi.string()
  .custom((value: string, helpers) => {
    const result = durationProblem(value);
    return 'problem' in result ? helpers.error(`duration.${result.problem}`) : value;
  })
  .messages(
    Object.fromEntries(
      Object.entries(DURATION_MESSAGES).map(([problem, text]) => [`duration.${problem}`, `{{#label}} ${text}`]),
    ),
  );

const timeOfDay = Joi.string()
  .pattern(/^([01]\d|2[0-3]):[0-5]\d$/)
  .messages({ 'string.pattern.base': '{{#label}} must be a time of day as HH:MM (24-hour clock), such as 21:00' });

const cap = Joi.object({
  max: Joi.number().integer().min(1).max(100).required(),
  window: duration.required(),
});

function nameOneOf(names: readonly string[]): Joi.StringSchema {
  return Joi.string()
    .valid(...names)
    .messages({ 'any.only': `{{#label}} must be one of ${names.join(', ')}` });
}

const button = Joi.object({
  type: Joi.string().valid('url', 'quick_reply').required(),
  parameter: Joi.when('type', { is: 'url', then: nameOneOf(TEXT_PARAMETERS).required(), otherwise: Joi.forbidden() }),
  payload: Joi.when('type', {
    is: 'quick_reply',
    then: Joi.string().min(1).max(128).required(),
    otherwise: Joi.forbidden(),
  }),
});

const templateName = Joi.string()
  .pattern(/^[a-z0-9_]{1,512}$/)
  .messages({ 'string.pattern.base': '{{#label}} must be a template name: lowercase letters, digits and _' });

function stepSchema(category: TemplateCategory): Joi.ObjectSchema<LaneStep> {
  let buttons = Joi.array().items(button).max(10).required();
  if (category === 'marketing') {
    buttons = buttons.has(Joi.object({ type: 'quick_reply', payload: OPT_OUT_PAYLOAD })).messages({
      'array.hasUnknown': `{{#label}} must include an opt-out quick reply (payload ${OPT_OUT_PAYLOAD}) in a marketing lane`,
    });
  }
  return Joi.object<LaneStep>({
    delay: duration.required(),
    template: templateName.required(),
    template_without_image: Joi.when('parameters.header', {
      is: 'first_item_image',
      then: templateName,
      otherwise: Joi.forbidden().messages({
        'any.unknown': '{{#label}} is only for a step whose header is first_item_image',
      }),
    }),
    language: Joi.string()
      .pattern(/^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$/)
      .required()
      .messages({ 'string.pattern.base': '{{#label}} must be a template language code, such as en or en_US' }),
    parameters: Joi.object({
      header: nameOneOf(HEADER_PARAMETERS).allow(null).required(),
      body: Joi.array().items(nameOneOf(BODY_PARAMETERS)).max(20).required(),
      buttons,
    }).required(),
  });
}

const schemas = new Map<LaneName, Joi.ObjectSchema<LaneSettings>>();

/**
 * The schema of one lane's settings. Beyond each field's own rules it checks: 1–5 steps with
 * strictly increasing delays, the first step no earlier than `inactivity_delay`, the lane's fixed
 * category, and (marketing lanes) an opt-out quick reply on every step.
 */
export function laneSettingsSchema(lane: LaneName): Joi.ObjectSchema<LaneSettings> {
  const cached = schemas.get(lane);
  if (cached) return cached;
  const category = DEFAULTS[lane]().category;
  const schema = Joi.object<LaneSettings>({
    enabled: Joi.boolean().required(),
    category: Joi.string()
      .valid(category)
      .required()
      .messages({ 'any.only': `{{#label}} of the ${lane} lane is ${category} and cannot be changed` }),
    inactivity_delay: duration.required(),
    steps: Joi.array()
      .items(stepSchema(category))
      .min(1)
      .max(5)
      .required()
      .custom((steps: LaneStep[], helpers) => {
        for (let i = 1; i < steps.length; i++) {
          const [before, step] = [steps[i - 1], steps[i]];
          if (before && step && parseDurationMs(step.delay) <= parseDurationMs(before.delay)) {
            return helpers.error('steps.increasing', {
              index: i,
              delay: step.delay,
              previous: before.delay,
              field: `steps[${i}].delay`,
            });
          }
        }
        return steps;
      })
      .messages({
        'steps.increasing':
          'steps[{{#index}}].delay ({{#delay}}) must be later than the step before it ({{#previous}})',
      }),
    holdout_percent: Joi.number()
      .min(0)
      .max(50)
      .precision(2)
      .required()
      .messages({ 'number.precision': '{{#label}} must have at most 2 decimal places' }),
    quiet_hours: Joi.object({ start: timeOfDay.required(), end: timeOfDay.required() }).required(),
    cap_per_contact: cap.required(),
    lane_cap: cap.allow(null).required(),
  })
    .required()
    .custom((settings: LaneSettings, helpers) => {
      const first = settings.steps[0];
      if (first && parseDurationMs(first.delay) < parseDurationMs(settings.inactivity_delay)) {
        return helpers.error('steps.beforeInactivity', {
          field: 'steps[0].delay',
          delay: first.delay,
          inactivity: settings.inactivity_delay,
        });
      }
      return settings;
    })
    .messages({
      'steps.beforeInactivity':
        'steps[0].delay ({{#delay}}) must not be earlier than inactivity_delay ({{#inactivity}}): ' +
        'a cart only counts as abandoned after inactivity_delay',
    });
  schemas.set(lane, schema);
  return schema;
}

/**
 * Validates a `PUT /v1/admin/lanes/:lane` body (with `convert: false`). On failure, `path` names
 * the first field at fault (`steps[1].delay`) and `message` says what is wrong with it.
 */
export function validateLaneSettings(lane: LaneName, input: unknown): Validation<LaneSettings> {
  const { error, value } = laneSettingsSchema(lane).validate(input, { convert: false, abortEarly: true });
  if (!error) return { ok: true, value: value as LaneSettings };
  const detail = error.details[0];
  const context = detail?.context as { label?: string; field?: string } | undefined;
  const path = context?.field ?? formatPath(detail?.path ?? []);
  const label = context?.label ?? 'value';
  // joi quotes the label ("steps[0].delay"); name the field by its path, unquoted.
  const message = (detail?.message ?? error.message).replace(`"${label}"`, path || 'body');
  return { ok: false, path, message };
}
