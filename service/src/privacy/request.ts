import { formatPath, isE164, type Validation } from '@cartback/shared';
import Joi from 'joi';

/**
 * Whose personal data an export or erasure is about: WordPress looks a person up by email
 * address; the plugin adds the phone it knows (E.164) when it has one. At least one is given.
 */
export interface PrivacyRequest {
  /** Lower-cased, as the sidecar stores emails. */
  email?: string;
  phone?: string;
}

const schema = Joi.object<PrivacyRequest>({
  email: Joi.string().email({ tlds: false }).max(254),
  phone: Joi.string()
    .max(16)
    .custom((value: string, helpers) => (isE164(value) ? value : helpers.error('phone.e164')))
    .messages({ 'phone.e164': '{{#label}} must be a valid phone number in E.164 form, such as +919812345678' }),
})
  .or('email', 'phone')
  .messages({ 'object.missing': 'body must name the person: email, phone or both' })
  .required();

/** Validates a privacy request body; on failure names the field at fault (empty: the body as a whole). */
export function validatePrivacyRequest(input: unknown): Validation<PrivacyRequest> {
  const { error, value } = schema.validate(input, {
    convert: false,
    abortEarly: true,
    errors: { wrap: { label: false } },
  });
  if (error) {
    const detail = error.details[0];
    const path = formatPath(detail?.path ?? []);
    const label = detail?.context?.label ?? 'value';
    const message = (detail?.message ?? error.message).replace(label, path || 'body');
    return { ok: false, path, message };
  }
  const request: PrivacyRequest = {};
  if (value.email !== undefined) request.email = value.email.toLowerCase();
  if (value.phone !== undefined) request.phone = value.phone;
  return { ok: true, value: request };
}
