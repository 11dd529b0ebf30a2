import Joi from 'joi';
import { formatPath, type Validation } from '@cartback/shared';
import { DURATION_MESSAGES, durationProblem, parseDurationMs } from './durations';
import { DEFAULTS } from './lane-defaults';
import {
  IMAGE_PARAMETERS,
  INCENTIVE_PARAMETERS,
  LANE_PARAMETERS,
  OPT_OUT_PAYLOAD,
  TEXT_PARAMETERS,
  type LaneName,
  type LaneSettings,
  type LaneStep,
  PARAMETER_NAMES,
  type TemplateCategory,
} from './lane-types';

export * from './lane-types';
export { defaultLaneSettings } from './lane-defaults';
export { parseDurationMs } from './durations';

/**
 * Lane settings: what an admin edits with `GET/PUT /v1/admin/lanes/:lane`, stored as JSON in
 * `lane_settings.settings`. The body's field names are the stored JSON's (snake_case, like every
 * other Cartback contract). Validate a PUT body with `validateLaneSettings`, which runs
 * `laneSettingsSchema(lane)` with `convert: false` (so `"10"` is not a number) and names the
 * first field at fault. The vocabulary is in lane-types.ts, the defaults in lane-defaults.ts.
 */

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

/**
 * A parameter name of one of `kinds` that the lane can fill. A utility lane's refusal of an
 * incentive says why (payment recovery is never promotional) rather than just listing names.
 */
function parameterName(lane: LaneName, category: TemplateCategory, kinds: readonly string[]): Joi.StringSchema {
  const allowed: readonly string[] = LANE_PARAMETERS[lane].filter((name) => kinds.includes(name));
  const refused: readonly string[] = category === 'utility' ? INCENTIVE_PARAMETERS : [];
  return Joi.string()
    .custom((value: string, helpers) => {
      if (refused.includes(value)) return helpers.error('parameter.incentive', { value });
      return allowed.includes(value) ? value : helpers.error('parameter.unknown');
    })
    .messages({
      'parameter.incentive': `{{#label}} is an incentive ({{#value}}): the ${lane} lane is utility only and never promotional`,
      'parameter.unknown': `{{#label}} must be one of ${allowed.join(', ')}`,
    });
}

const templateName = Joi.string()
  .pattern(/^[a-z0-9_]{1,512}$/)
  .messages({ 'string.pattern.base': '{{#label}} must be a template name: lowercase letters, digits and _' });

const TEXT: readonly string[] = TEXT_PARAMETERS;
const IMAGE: readonly string[] = IMAGE_PARAMETERS;
const NOT_IMAGE: readonly string[] = PARAMETER_NAMES.filter((name) => !IMAGE.includes(name));

/** The bounds of an incentive's `expires_after`. */
const EXPIRES_MIN_MS = 3_600_000;
const EXPIRES_MAX_MS = 30 * 86_400_000;

/**
 * A step's incentive (lane-types.ts StepIncentive). Refused in the payment_recovery lane:
 * payment reminders carry no coupon.
 */
function incentiveSchema(lane: LaneName): Joi.Schema {
  if (lane === 'payment_recovery') {
    return Joi.any()
      .forbidden()
      .messages({ 'any.unknown': '{{#label}} is not allowed: payment reminders carry no coupon' });
  }
  const minor = Joi.number().integer().min(1).max(Number.MAX_SAFE_INTEGER);
  return Joi.object({
    type: Joi.string().valid('percent', 'fixed').required(),
    amount: Joi.when('type', {
      is: 'percent',
      then: Joi.number().integer().min(1).max(90).required(),
      otherwise: minor.required(),
    }),
    ceiling: Joi.when('type', {
      is: 'fixed',
      then: minor
        .min(Joi.ref('amount'))
        .required()
        .messages({ 'number.min': '{{#label}} must be at least the amount ({{#limit}})' }),
      otherwise: minor.required(),
    }),
    expires_after: duration
      .custom((value: string, helpers) => {
        const ms = parseDurationMs(value);
        return ms < EXPIRES_MIN_MS || ms > EXPIRES_MAX_MS ? helpers.error('expires.range') : value;
      })
      .default('P2D')
      .messages({ 'expires.range': '{{#label}} must be between PT1H and P30D' }),
    minimum_spend: Joi.number().integer().min(0).max(Number.MAX_SAFE_INTEGER).allow(null).default(null),
    template_without_incentive: templateName.required(),
  });
}

function stepSchema(lane: LaneName, category: TemplateCategory): Joi.ObjectSchema<LaneStep> {
  const button = Joi.object({
    type: Joi.string().valid('url', 'quick_reply').required(),
    parameter: Joi.when('type', {
      is: 'url',
      then: parameterName(lane, category, TEXT).required(),
      otherwise: Joi.forbidden(),
    }),
    payload: Joi.when('type', {
      is: 'quick_reply',
      then: Joi.string().min(1).max(128).required(),
      otherwise: Joi.forbidden(),
    }),
  });
  let buttons = Joi.array().items(button).max(10).required();
  if (category === 'marketing') {
    buttons = buttons.has(Joi.object({ type: 'quick_reply', payload: OPT_OUT_PAYLOAD })).messages({
      'array.hasUnknown': `{{#label}} must include an opt-out quick reply (payload ${OPT_OUT_PAYLOAD}) in a marketing lane`,
    });
  }
  const images = LANE_PARAMETERS[lane].filter((name) => IMAGE.includes(name));
  return Joi.object<LaneStep>({
    delay: duration.required(),
    template: templateName.required(),
    template_without_image: Joi.when('parameters.header', {
      is: Joi.valid(...IMAGE),
      then: templateName,
      otherwise: Joi.forbidden().messages({
        'any.unknown':
          images.length > 0
            ? `{{#label}} is only for a step whose header is ${images.join(' or ')}`
            : `{{#label}} is only for a step with an image header, which the ${lane} lane has none of`,
      }),
    }),
    language: Joi.string()
      .pattern(/^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$/)
      .required()
      .messages({ 'string.pattern.base': '{{#label}} must be a template language code, such as en or en_US' }),
    parameters: Joi.object({
      header: parameterName(lane, category, [...IMAGE, ...TEXT])
        .allow(null)
        .required(),
      body: Joi.array()
        .items(parameterName(lane, category, NOT_IMAGE))
        .max(20)
        .required(),
      buttons,
    }).required(),
    incentive: incentiveSchema(lane),
  });
}

/** The lane's own fields (lane-types.ts): required where the lane has them, refused elsewhere. */
function laneFields(lane: LaneName): Record<string, Joi.Schema> {
  const forbidden = () =>
    Joi.any()
      .forbidden()
      .messages({ 'any.unknown': `{{#label}} is not a setting of the ${lane} lane` });
  const fields: Record<string, Joi.Schema> = {
    repeat_after: forbidden(),
    lapse_after: forbidden(),
    max_products: forbidden(),
  };
  if (lane === 'browse_abandonment' || lane === 'winback') fields.repeat_after = duration.required();
  if (lane === 'winback') {
    fields.lapse_after = duration.required();
    fields.max_products = Joi.number().integer().min(1).max(3).required();
  }
  return fields;
}

const schemas = new Map<LaneName, Joi.ObjectSchema<LaneSettings>>();

/**
 * The schema of one lane's settings. Beyond each field's own rules it checks: 1–5 steps with
 * strictly increasing delays, the first step no earlier than `inactivity_delay`, the lane's fixed
 * category, (marketing lanes) an opt-out quick reply on every step, parameters the lane can fill
 * (`LANE_PARAMETERS`; in a utility lane an incentive such as `coupon_code` is refused as
 * promotional), and the lane's own fields (`repeat_after`, `lapse_after`, `max_products`),
 * required in the lanes that have them and refused in the others.
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
      .messages({
        'any.only':
          category === 'utility'
            ? `{{#label}} of the ${lane} lane is utility and cannot be changed: it is never promotional`
            : `{{#label}} of the ${lane} lane is ${category} and cannot be changed`,
      }),
    inactivity_delay: duration.required(),
    steps: Joi.array()
      .items(stepSchema(lane, category))
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
    ...laneFields(lane),
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
        'a journey only starts inactivity_delay after its trigger (for a cart: its last change)',
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
