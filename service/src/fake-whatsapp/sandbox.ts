import express, { type ErrorRequestHandler, type Response } from 'express';
import Joi from 'joi';
import { sendError } from '../http/errors';
import type { Logger } from '../logger';
import {
  TEMPLATE_CATEGORIES,
  TEMPLATE_STATUSES,
  type InboundMessage,
  type TemplateDefinition,
  type WebhookEnvelope,
} from '../whatsapp/types';
import { masked, newWamid } from './graph';
import { resetState, type FakeState } from './state';
import { upsertTemplate, type TemplateInput } from './templates';
import { inboundEnvelope, preferenceEnvelope, type WebhookSender } from './webhooks';

/**
 * The test controls of the fake WhatsApp Cloud API (a test double), under `/_sandbox/`: what it
 * received, playing the shopper, failures on demand, templates, reset. No auth: it is a test
 * double listening on localhost.
 */

export interface SandboxDeps {
  state: FakeState;
  /** The templates the fake started with, restored by reset. */
  initialTemplates: readonly TemplateDefinition[];
  deliver: WebhookSender;
  now: () => number;
  logger: Logger;
  /** Stops the status reports of cleared messages and waits for those already on the wire. */
  settle: () => Promise<void>;
}

const phone = Joi.string()
  .pattern(/^\+?\d{6,15}$/)
  .messages({ 'string.pattern.base': '{{#label}} must be a phone number: digits, optionally after a +' });

const inboundSchema = Joi.object({
  from: phone.required(),
  name: Joi.string().min(1).max(100).default('Test Shopper'),
  text: Joi.string().min(1).max(4096),
  payload: Joi.string().min(1).max(1000),
  button_text: Joi.string().min(1).max(25).when('payload', { not: Joi.exist(), then: Joi.forbidden() }),
  context_id: Joi.string().min(1).when('payload', { not: Joi.exist(), then: Joi.forbidden() }),
  preference: Joi.string().valid('stop', 'resume'),
}).xor('text', 'payload', 'preference');

const failSchema = Joi.object({
  mode: Joi.string().valid('error', 'status', 'timeout').default('error'),
  code: Joi.number().integer().min(1).when('mode', { not: 'timeout', then: Joi.required() }),
  count: Joi.number().integer().min(1).max(1_000_000).default(1),
  accept: Joi.boolean().when('mode', { not: 'timeout', then: Joi.forbidden() }),
}).rename('times', 'count');

const templateSchema = Joi.object({
  id: Joi.string().pattern(/^\d+$/),
  name: Joi.string()
    .pattern(/^[a-z0-9_]{1,512}$/)
    .required(),
  language: Joi.string().min(2).max(10),
  status: Joi.string().valid(...TEMPLATE_STATUSES),
  category: Joi.string().valid(...TEMPLATE_CATEGORIES),
  components: Joi.array()
    .items(Joi.object({ type: Joi.string().valid('HEADER', 'BODY', 'FOOTER', 'BUTTONS').required() }).unknown(true))
    .required(),
});

/** The body validated against `schema`, or null after answering 400 naming the field at fault. */
function parse<T>(schema: Joi.ObjectSchema, body: unknown, res: Response): T | null {
  const { error, value } = schema.validate(body ?? {}, { errors: { wrap: { label: false } } });
  if (!error) return value as T;
  const detail = error.details[0];
  sendError(res, 400, 'invalid_request', detail?.message ?? error.message, detail?.path.join('.') || undefined);
  return null;
}

interface InboundRequest {
  from: string;
  name: string;
  text?: string;
  payload?: string;
  button_text?: string;
  context_id?: string;
  preference?: 'stop' | 'resume';
}

export function sandboxRouter(deps: SandboxDeps): express.Router {
  const { state, now, logger } = deps;
  const router = express.Router();
  router.use('/_sandbox', express.json({ limit: '1mb' }));

  router.get('/_sandbox/health', (_req, res) => {
    res.json({ ok: true, service: 'fake WhatsApp Cloud API (a test double)' });
  });
  router.get('/_sandbox/messages', (_req, res) => {
    res.json({ messages: state.messages });
  });
  router.get('/_sandbox/rejections', (_req, res) => {
    res.json({ rejections: state.rejections });
  });

  router.post('/_sandbox/inbound', async (req, res) => {
    const input = parse<InboundRequest>(inboundSchema, req.body, res);
    if (!input) return;
    const waId = input.from.replace(/^\+/, '');
    const at = now();
    const timestamp = String(Math.floor(at / 1000));
    let webhook: WebhookEnvelope;
    if (input.preference) {
      if (input.preference === 'stop') state.marketingStopped.add(waId);
      else state.marketingStopped.delete(waId);
      const preference = { wa_id: waId, category: 'marketing_messages' as const, value: input.preference, timestamp };
      webhook = preferenceEnvelope(state.business, input.name, {
        ...preference,
        detail: `User requested to ${input.preference} marketing messages`,
      });
    } else {
      const common = { from: waId, id: newWamid(), timestamp };
      const message: InboundMessage =
        input.text !== undefined
          ? { ...common, type: 'text', text: { body: input.text } }
          : {
              ...common,
              type: 'button',
              button: { payload: input.payload ?? '', text: input.button_text ?? input.payload ?? '' },
              ...(input.context_id
                ? { context: { from: state.business.displayPhoneNumber, id: input.context_id } }
                : {}),
            };
      state.lastInbound.set(waId, at);
      webhook = inboundEnvelope(state.business, input.name, message);
    }
    const kind = input.preference ? 'user_preferences' : input.text !== undefined ? 'inbound text' : 'inbound button';
    logger.info({ from: masked(waId), kind }, 'fake WhatsApp (test double): shopper replies');
    const delivery = await deps.deliver(webhook, kind);
    res.json({ webhook, ...delivery });
  });

  router.post('/_sandbox/fail', (req, res) => {
    const input = parse<{ mode: 'error' | 'status' | 'timeout'; code?: number; count: number; accept?: boolean }>(
      failSchema,
      req.body,
      res,
    );
    if (!input) return;
    const plan = { mode: input.mode, code: input.code ?? null, remaining: input.count, accept: input.accept ?? false };
    state.failures.push(plan);
    logger.info({ ...plan }, 'fake WhatsApp (test double): failure queued');
    res.json({ queued: { ...plan }, failures: state.failures });
  });

  router.post('/_sandbox/templates', (req, res) => {
    const input = parse<TemplateInput>(templateSchema, req.body, res);
    if (!input) return;
    res.json(upsertTemplate(state.templates, input));
  });

  router.post('/_sandbox/reset', async (_req, res) => {
    resetState(state, deps.initialTemplates);
    await deps.settle();
    logger.info('fake WhatsApp (test double): reset');
    res.json({ ok: true });
  });

  router.use('/_sandbox', (req, res) => {
    sendError(res, 404, 'not_found', `No sandbox route for ${req.method} ${req.originalUrl.split('?')[0]}`);
  });
  const onError: ErrorRequestHandler = (error: { status?: number; message?: string }, _req, res, next) => {
    if (res.headersSent || !error.status || error.status >= 500) return next(error);
    sendError(res, error.status, 'invalid_request', String(error.message));
  };
  router.use('/_sandbox', onError);
  return router;
}
