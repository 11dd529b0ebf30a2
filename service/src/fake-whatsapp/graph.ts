import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { maskPhone } from '@cartback/shared';
import type { Logger } from '../logger';
import type { SendSuccessResponse, TemplateDefinition } from '../whatsapp/types';
import { errorDetails, graphError, httpStatusOf, type MetaFailure } from './errors';
import { SERVICE_WINDOW_MS, takeFailure, type FakeState, type Rejection, type SandboxMessage } from './state';
import { isRecord, validateMessage, type ValidMessage } from './validate';

/**
 * The Cloud API calls the fake WhatsApp Cloud API (a test double) answers:
 * `POST /{version}/{phone number id}/messages` and `GET /{version}/{WABA id}/message_templates`.
 */

export interface GraphDeps {
  state: FakeState;
  accessToken: string;
  now: () => number;
  logger: Logger;
  /** Called for each accepted message; `failure` set when its status webhook is to say `failed`. */
  accepted(message: SandboxMessage, failure: MetaFailure | null): void;
}

const VERSION = /^v\d+\.\d+$/;

export function newWamid(): string {
  return `wamid.${randomBytes(24).toString('base64')}`;
}

/** A number fit for a log line: country code and last three digits. */
export function masked(to: string): string {
  return maskPhone(`+${to.replace(/\D/g, '')}`);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Null when the bearer token is right, else what is wrong with it. */
function authProblem(req: Request, accessToken: string): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  if (!match) return 'An active access token must be used to query information about the current user.';
  const given = match[1] ?? '';
  return timingSafeEqual(digest(given), digest(accessToken)) ? null : 'The access token could not be decrypted.';
}

function send(res: Response, failure: MetaFailure): void {
  res.status(httpStatusOf(failure.code)).json(graphError(failure));
}

export function graphRouter(deps: GraphDeps): express.Router {
  const { state, now, logger } = deps;
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  /** Auth, version and object id: the checks every Graph call makes. */
  const gate = (req: Request, id: string): MetaFailure | null => {
    const problem = authProblem(req, deps.accessToken);
    if (problem) return { code: 190, details: problem };
    const { version, id: given } = req.params;
    if (!VERSION.test(String(version))) return { code: 100, details: `Unknown path components: /${String(version)}` };
    if (given !== id) {
      const method = req.method.toLowerCase();
      return { code: 100, details: `Unsupported ${method} request. Object with ID '${String(given)}' does not exist.` };
    }
    return null;
  };

  router.post('/:version/:id/messages', (req, res) => {
    const body: unknown = req.body;
    const fields = isRecord(body) ? body : {};
    const to = typeof fields.to === 'string' ? fields.to : null;
    const template =
      isRecord(fields.template) && typeof fields.template.name === 'string' ? fields.template.name : null;
    const note = (reason: Rejection['reason'], code: number | null, details: string, httpStatus: number | null) => {
      state.rejections.push({ at: new Date(now()).toISOString(), to, template, reason, code, details, httpStatus });
      logger.info({ to: to && masked(to), code, reason }, 'fake WhatsApp (test double): send refused');
    };
    const reject = (failure: MetaFailure, reason: Rejection['reason']) => {
      note(reason, failure.code, errorDetails(failure), httpStatusOf(failure.code));
      send(res, failure);
    };

    const refused = gate(req, state.business.phoneNumberId);
    if (refused) return reject(refused, refused.code === 190 ? 'auth' : 'invalid');
    const valid = validateMessage(body, {
      templates: state.templates,
      serviceWindowOpen: (waId) => now() - (state.lastInbound.get(waId) ?? -Infinity) < SERVICE_WINDOW_MS,
    });
    if (!valid.ok) return reject(valid.error, 'invalid');
    if (!state.rate.hasRoom(state.settings.rateLimit, now())) return reject({ code: 130429 }, 'rate_limit');

    const plan = takeFailure(state);
    if (plan?.mode === 'error') return reject({ code: plan.code ?? 131000 }, 'injected');
    if (plan?.mode === 'timeout' && !plan.accept) {
      return note('timeout', null, 'Held open by POST /_sandbox/fail (mode timeout): never answered.', null);
    }

    state.rate.take(now());
    const message = record(valid.message, now());
    state.messages.push(message);
    logger.info(
      { wamid: message.wamid, to: masked(message.to), template: message.template?.name ?? null },
      'fake WhatsApp (test double): message accepted',
    );
    const stopped = message.template?.category === 'MARKETING' && state.marketingStopped.has(message.wa_id);
    const failure = plan?.mode === 'status' ? { code: plan.code ?? 131026 } : stopped ? { code: 131050 } : null;
    deps.accepted(message, failure);
    if (plan?.mode === 'timeout') return; // accepted, but the answer never comes
    const reply: SendSuccessResponse = {
      messaging_product: 'whatsapp',
      contacts: [{ input: message.to, wa_id: message.wa_id }],
      messages: [{ id: message.wamid, message_status: 'accepted' }],
    };
    res.json(reply);
  });

  router.get('/:version/:id/message_templates', (req, res) => {
    const refused = gate(req, state.business.wabaId);
    if (refused) return send(res, refused);
    const limit = req.query.limit === undefined ? 25 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      return send(res, { code: 100, details: 'limit must be an integer from 1 to 1000.' });
    }
    const after = cursor(req.query.after);
    const before = cursor(req.query.before);
    if (after === undefined || before === undefined) return send(res, { code: 100, details: 'Invalid cursor.' });
    const start = after !== null ? after + 1 : before !== null ? Math.max(0, before - limit) : 0;
    const end = after === null && before !== null ? before : start + limit;
    const page = state.templates.slice(start, end);
    const fields = typeof req.query.fields === 'string' ? req.query.fields.split(',').map((f) => f.trim()) : null;
    const paging: { cursors: { before?: string; after?: string }; next?: string } = { cursors: {} };
    if (page.length > 0) {
      paging.cursors = { before: encodeCursor(start), after: encodeCursor(start + page.length - 1) };
      if (start + page.length < state.templates.length) {
        const next = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
        next.searchParams.set('after', encodeCursor(start + page.length - 1));
        next.searchParams.delete('before');
        paging.next = next.toString();
      }
    }
    res.json({ data: page.map((t) => project(t, fields)), paging });
  });

  router.use((req, res) => {
    send(res, { code: 100, details: `Unsupported ${req.method.toLowerCase()} request: ${req.path}` });
  });
  const onError: ErrorRequestHandler = (error: { status?: number; message?: string }, _req, res, _next) => {
    if (res.headersSent) return;
    send(res, { code: 100, details: error.status && error.status < 500 ? String(error.message) : 'Internal error.' });
  };
  router.use(onError);
  return router;
}

function record(valid: ValidMessage, at: number): SandboxMessage {
  const { template } = valid;
  return {
    wamid: newWamid(),
    to: valid.to,
    wa_id: valid.waId,
    type: valid.type,
    template: template && { name: template.name, language: template.language, category: template.category },
    components: valid.components,
    biz_opaque_callback_data: valid.bizOpaqueCallbackData,
    ...valid.rendered,
    receivedAt: new Date(at).toISOString(),
    status: 'accepted',
  };
}

function encodeCursor(index: number): string {
  return Buffer.from(String(index)).toString('base64url');
}

/** A cursor's index; null when absent, undefined when malformed. */
function cursor(value: unknown): number | null | undefined {
  if (value === undefined) return null;
  if (typeof value !== 'string') return undefined;
  const index = Number(Buffer.from(value, 'base64url').toString());
  return Number.isInteger(index) && index >= 0 ? index : undefined;
}

/** A template with only the fields asked for (and its id, which Meta always gives). */
function project(template: TemplateDefinition, fields: string[] | null): Partial<TemplateDefinition> {
  if (!fields) return template;
  const out: Partial<TemplateDefinition> = { id: template.id };
  for (const field of fields) {
    if (field in template) Object.assign(out, { [field]: template[field as keyof TemplateDefinition] });
  }
  return out;
}
