import type { TemplateComponent, TemplateDefinition } from '../whatsapp/types';
import type { MetaFailure } from './errors';
import { placeholderCount, substitute } from './templates';

/**
 * Checks a `POST /{version}/{phone number id}/messages` body the way the Cloud API documents
 * (reference/whatsapp.md §1): the envelope, then a template message against its registered
 * template (parameter counts, formats, lengths), or a text message against the 24 h window.
 * Pure: the caller passes the templates and whether a number's service window is open.
 */

/** What the phone would show: the header (image link or text), the body, the buttons. */
export interface RenderedMessage {
  header: string | null;
  body: string;
  buttons: Array<{ type: 'URL' | 'QUICK_REPLY'; text: string; url?: string }>;
}

export interface ValidMessage {
  to: string;
  waId: string;
  type: 'template' | 'text';
  bizOpaqueCallbackData: string | null;
  /** The registered template (null for a text message). */
  template: TemplateDefinition | null;
  components: TemplateComponent[];
  rendered: RenderedMessage;
}

export type Validation = { ok: true; message: ValidMessage } | { ok: false; error: MetaFailure };

export interface ValidationContext {
  templates: readonly TemplateDefinition[];
  /** True when this number (digits only) messaged us in the last 24 hours. */
  serviceWindowOpen(waId: string): boolean;
}

export const LIMITS = { body: 1024, header: 60, url: 2000, callbackData: 512, text: 4096 } as const;

type Json = Record<string, unknown>;

class Refusal extends Error {
  constructor(readonly failure: MetaFailure) {
    super(failure.details);
  }
}

/** Stops the check with a Meta error; without `details`, Meta's own for that code is used. */
function refuse(code: number, details?: string): never {
  throw new Refusal(details === undefined ? { code } : { code, details });
}

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function validateMessage(body: unknown, context: ValidationContext): Validation {
  try {
    return { ok: true, message: check(body, context) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.failure };
    throw error;
  }
}

function check(body: unknown, context: ValidationContext): ValidMessage {
  if (!isRecord(body)) refuse(100, 'The request body must be a JSON object.');
  if (body.messaging_product !== 'whatsapp') refuse(100, 'The parameter messaging_product is required.');
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    refuse(100, 'Invalid parameter value for recipient_type.');
  }
  const to = body.to;
  if (typeof to !== 'string' || !/^\+?\d{6,15}$/.test(to)) refuse(100, 'Invalid parameter value for to.');
  const waId = to.replace(/^\+/, '');
  const callback = body.biz_opaque_callback_data;
  if (callback !== undefined && (typeof callback !== 'string' || callback.length > LIMITS.callbackData)) {
    refuse(100, `biz_opaque_callback_data must be a string of at most ${LIMITS.callbackData} characters.`);
  }
  const common = { to, waId, bizOpaqueCallbackData: callback ?? null };
  if (body.type === 'text') {
    const text = isRecord(body.text) ? body.text.body : undefined;
    if (typeof text !== 'string' || text.length === 0) refuse(100, 'The parameter text.body is required.');
    if (text.length > LIMITS.text) refuse(100, `text.body is longer than ${LIMITS.text} characters.`);
    if (!context.serviceWindowOpen(waId)) refuse(131047);
    return {
      ...common,
      type: 'text',
      template: null,
      components: [],
      rendered: { header: null, body: text, buttons: [] },
    };
  }
  if (body.type !== 'template') refuse(100, 'The parameter type must be template or text.');
  return { ...common, type: 'template', ...checkTemplate(body.template, context.templates) };
}

function checkTemplate(
  input: unknown,
  templates: readonly TemplateDefinition[],
): { template: TemplateDefinition; components: TemplateComponent[]; rendered: RenderedMessage } {
  if (!isRecord(input)) refuse(100, 'The parameter template is required.');
  const name = input.name;
  const language = isRecord(input.language) ? input.language.code : undefined;
  if (typeof name !== 'string' || name === '' || typeof language !== 'string' || language === '') {
    refuse(132001, 'template.name and template.language.code are required.');
  }
  const template = templates.find((t) => t.name === name && t.language === language);
  if (!template) refuse(132001, `template name (${name}) does not exist in ${language}`);
  if (template.status === 'PAUSED') refuse(132015, `Template ${name} is paused.`);
  if (template.status === 'DISABLED') refuse(132016, `Template ${name} is disabled.`);
  if (template.status !== 'APPROVED') refuse(132001, `template name (${name}) is not approved in ${language}`);

  const given = groupComponents(input.components);
  const rendered: RenderedMessage = {
    header: checkHeader(template, given.header),
    body: checkBody(template, given.body),
    buttons: checkButtons(template, given.buttons),
  };
  return { template, components: given.all as TemplateComponent[], rendered };
}

interface Given {
  all: Json[];
  header?: Json;
  body?: Json;
  buttons: Map<number, Json>;
}

function groupComponents(components: unknown): Given {
  if (components === undefined) return { all: [], buttons: new Map() };
  if (!Array.isArray(components)) refuse(100, 'template.components must be an array.');
  const given: Given = { all: [], buttons: new Map() };
  for (const component of components) {
    if (!isRecord(component)) refuse(100, 'Each template component must be an object.');
    given.all.push(component);
    const type = typeof component.type === 'string' ? component.type.toLowerCase() : '';
    if (type === 'header' || type === 'body') {
      if (given[type]) refuse(100, `More than one ${type} component.`);
      given[type] = component;
    } else if (type === 'button') {
      const index = Number(component.index);
      if (!/^\d$/.test(String(component.index))) refuse(100, 'A button component needs an index from 0 to 9.');
      if (given.buttons.has(index)) refuse(100, `More than one button component with index ${index}.`);
      given.buttons.set(index, component);
    } else {
      refuse(100, `Unknown template component type: ${String(component.type)}.`);
    }
  }
  return given;
}

function parametersOf(component: Json | undefined, where: string): Json[] {
  if (component === undefined || component.parameters === undefined) return [];
  const parameters = component.parameters;
  if (!Array.isArray(parameters) || !parameters.every(isRecord)) refuse(100, `${where}: parameters must be objects.`);
  return parameters;
}

function expectCount(where: string, parameters: Json[], expected: number): void {
  if (parameters.length !== expected) {
    refuse(
      132000,
      `${where}: number of localizable_params (${parameters.length}) does not match the expected number of params (${expected})`,
    );
  }
}

/** A text parameter's value, refused when empty or holding newlines, tabs or > 4 spaces in a row. */
function textValue(parameter: Json, where: string): string {
  if (parameter.type !== 'text') {
    refuse(132012, `${where}: Format mismatch, expected TEXT, received ${String(parameter.type).toUpperCase()}`);
  }
  const text = parameter.text;
  if (typeof text !== 'string' || text === '') refuse(131008, `${where}: Parameter of type text is missing text value`);
  if (/[\n\r\t]/.test(text) || / {5,}/.test(text)) refuse(132018);
  return text;
}

function checkHeader(template: TemplateDefinition, component: Json | undefined): string | null {
  const definition = template.components.find((c) => c.type === 'HEADER');
  const parameters = parametersOf(component, 'header');
  if (!definition) {
    expectCount('header', parameters, 0);
    return null;
  }
  if (definition.format === 'IMAGE') {
    expectCount('header', parameters, 1);
    const parameter = parameters[0] as Json;
    const image = parameter.image;
    if (parameter.type !== 'image' || !isRecord(image)) {
      refuse(132012, `header: Format mismatch, expected IMAGE, received ${String(parameter.type).toUpperCase()}`);
    }
    if (typeof image.link === 'string' && /^https?:\/\/\S+$/.test(image.link)) return image.link;
    if (typeof image.id === 'string' && image.id !== '') return `media:${image.id}`;
    refuse(131009, 'header: image needs a link (an http or https URL) or a media id.');
  }
  const text = definition.text ?? '';
  expectCount('header', parameters, placeholderCount(text));
  const header = substitute(
    text,
    parameters.map((p) => textValue(p, 'header')),
  );
  if (header.length > LIMITS.header) refuse(100, `header: the text is longer than ${LIMITS.header} characters.`);
  return header;
}

function checkBody(template: TemplateDefinition, component: Json | undefined): string {
  const definition = template.components.find((c) => c.type === 'BODY');
  const text = definition?.type === 'BODY' ? definition.text : '';
  const parameters = parametersOf(component, 'body');
  expectCount('body', parameters, placeholderCount(text));
  const body = substitute(
    text,
    parameters.map((p) => bodyValue(p)),
  );
  if (body.length > LIMITS.body) refuse(100, `body: the text is longer than ${LIMITS.body} characters.`);
  return body;
}

function bodyValue(parameter: Json): string {
  if (parameter.type === 'currency' || parameter.type === 'date_time') {
    const value = parameter[parameter.type];
    const fallback = isRecord(value) ? value.fallback_value : undefined;
    if (typeof fallback !== 'string' || fallback === '')
      refuse(131008, `body: ${parameter.type} needs a fallback_value`);
    if (parameter.type === 'currency') {
      const currency = value as Json;
      if (typeof currency.code !== 'string' || !/^[A-Z]{3}$/.test(currency.code)) {
        refuse(131009, 'body: currency.code must be an ISO 4217 code.');
      }
      if (!Number.isInteger(currency.amount_1000)) refuse(131009, 'body: currency.amount_1000 must be an integer.');
    }
    if (/[\n\r\t]/.test(fallback) || / {5,}/.test(fallback)) refuse(132018);
    return fallback;
  }
  return textValue(parameter, 'body');
}

function checkButtons(template: TemplateDefinition, given: Map<number, Json>): RenderedMessage['buttons'] {
  const definition = template.components.find((c) => c.type === 'BUTTONS');
  const buttons = definition?.type === 'BUTTONS' ? definition.buttons : [];
  for (const index of given.keys()) {
    if (index >= buttons.length) refuse(132000, `button at index ${index}: the template has no button there`);
  }
  return buttons.map((button, index) => {
    const where = `button at index ${index}`;
    const component = given.get(index);
    const subType = button.type === 'URL' ? 'url' : 'quick_reply';
    if (component && component.sub_type !== subType) {
      refuse(132012, `${where}: Format mismatch, expected ${subType}, received ${String(component.sub_type)}`);
    }
    const parameters = parametersOf(component, where);
    if (button.type === 'QUICK_REPLY') {
      if (component) {
        expectCount(where, parameters, 1);
        const parameter = parameters[0] as Json;
        if (parameter.type !== 'payload' || typeof parameter.payload !== 'string') {
          refuse(
            132012,
            `${where}: Format mismatch, expected PAYLOAD, received ${String(parameter.type).toUpperCase()}`,
          );
        }
      }
      return { type: 'QUICK_REPLY', text: button.text };
    }
    expectCount(where, parameters, placeholderCount(button.url));
    const url = substitute(
      button.url,
      parameters.map((p) => textValue(p, where)),
    );
    if (url.length > LIMITS.url) refuse(100, `${where}: the URL is longer than ${LIMITS.url} characters.`);
    return { type: 'URL', text: button.text, url };
  });
}
