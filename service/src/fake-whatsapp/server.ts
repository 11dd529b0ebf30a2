import { setMaxListeners } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger, type Logger } from '../logger';
import type { StatusUpdate } from '../whatsapp/types';
import { d360Router, type D360Options } from './d360';
import { statusError, type MetaFailure } from './errors';
import { graphRouter } from './graph';
import { sandboxRouter } from './sandbox';
import { createState, type FakeState, type SandboxMessage } from './state';
import { registerTemplates, type TemplateInput } from './templates';
import { pause, statusEnvelope, webhookSender } from './webhooks';

/**
 * The fake WhatsApp Cloud API: a test double of Meta's Cloud API for the demo, the e2e tests and
 * the benchmarks (DESIGN.md, "The fake WhatsApp Cloud API"). It answers sends the way the real
 * API does, records them, and reports their statuses through signed webhooks; `/_sandbox/*`
 * lets a test play the shopper and make sends fail.
 */

export interface FakeCloudApiOptions {
  /** The bearer token it accepts. */
  accessToken: string;
  /** Signs the webhooks (`X-Hub-Signature-256`), except in 360dialog mode. */
  appSecret: string;
  /**
   * 360dialog mode: sends at `POST /messages` with `D360-API-KEY`, templates at
   * `GET /v1/configs/templates`, and webhooks unsigned but with `webhookHeaders` (d360.ts).
   */
  dialog360?: D360Options;
  /** Where statuses and inbound messages go; without one they are not sent. */
  webhookUrl?: string;
  phoneNumberId?: string;
  wabaId?: string;
  displayPhoneNumber?: string;
  /** Accepted messages per sliding second before 130429 (default 80). */
  rateLimit?: number;
  /** Gap before `sent` and between `sent`, `delivered` and `read` (default 50 ms). */
  statusDelayMs?: number;
  /** Registered besides the defaults; one with a default's name and language replaces it. */
  templates?: TemplateInput[];
  /** Start with `templates` only, without the defaults. */
  replaceDefaultTemplates?: boolean;
  /** Webhook attempts in all (default 4) and the first retry's backoff (default 100 ms, doubling). */
  webhookAttempts?: number;
  webhookBackoffMs?: number;
  logger?: Logger;
  /** The clock, in ms (default Date.now). */
  now?: () => number;
}

export interface FakeCloudApi {
  app: express.Express;
  /** Everything the fake remembers; `state.settings` may be changed while it runs. */
  state: FakeState;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  /** Stops answering, drops open connections (requests held open too) and pending webhooks. */
  close(): Promise<void>;
}

export const FAKE_DEFAULTS = {
  phoneNumberId: '106540352242922',
  wabaId: '102290129340398',
  displayPhoneNumber: '15550783881',
  rateLimit: 80,
  statusDelayMs: 50,
} as const;

export function createFakeCloudApi(options: FakeCloudApiOptions): FakeCloudApi {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? createLogger('silent');
  const closing = new AbortController();
  // One listener per pending webhook delay: many messages in flight is normal here.
  setMaxListeners(0, closing.signal);
  const pending = new Set<Promise<void>>();
  /** Aborted by a reset, so status reports of the messages it clears stop waiting at once. */
  let generation = new AbortController();
  setMaxListeners(0, generation.signal);
  /** A reset answers only once no status report of the cleared messages can still arrive. */
  const settle = async () => {
    generation.abort();
    generation = new AbortController();
    setMaxListeners(0, generation.signal);
    await Promise.allSettled([...pending]);
  };
  const initialTemplates = registerTemplates(options.templates, options.replaceDefaultTemplates);
  const state = createState(
    {
      webhookUrl: options.webhookUrl,
      rateLimit: options.rateLimit ?? FAKE_DEFAULTS.rateLimit,
      statusDelayMs: options.statusDelayMs ?? FAKE_DEFAULTS.statusDelayMs,
    },
    {
      wabaId: options.wabaId ?? FAKE_DEFAULTS.wabaId,
      phoneNumberId: options.phoneNumberId ?? FAKE_DEFAULTS.phoneNumberId,
      displayPhoneNumber: options.displayPhoneNumber ?? FAKE_DEFAULTS.displayPhoneNumber,
    },
    structuredClone(initialTemplates),
  );
  const deliver = webhookSender({
    url: () => state.settings.webhookUrl,
    ...(options.dialog360 ? { headers: options.dialog360.webhookHeaders } : { appSecret: options.appSecret }),
    logger,
    signal: closing.signal,
    attempts: options.webhookAttempts,
    backoffMs: options.webhookBackoffMs,
  });

  /**
   * sent → delivered → read (or failed), each after the delay and once the previous one has been
   * delivered, so they arrive in order. Stops when the fake closes or is reset.
   */
  async function reportStatuses(message: SandboxMessage, failure: MetaFailure | null): Promise<void> {
    const steps = failure ? (['failed'] as const) : (['sent', 'delivered', 'read'] as const);
    const category = message.template?.category.toLowerCase() ?? 'service';
    const stop = AbortSignal.any([closing.signal, generation.signal]);
    for (const status of steps) {
      if (!(await pause(state.settings.statusDelayMs, stop))) return;
      if (!state.messages.includes(message)) return;
      const update: StatusUpdate = {
        id: message.wamid,
        status,
        timestamp: String(Math.floor(now() / 1000)),
        recipient_id: message.wa_id,
        ...(message.biz_opaque_callback_data !== null
          ? { biz_opaque_callback_data: message.biz_opaque_callback_data }
          : {}),
      };
      if (status === 'sent' || status === 'delivered') {
        update.pricing = { billable: category !== 'service', pricing_model: 'PMP', category };
      }
      if (failure) update.errors = message.errors = [statusError(failure)];
      message.status = status;
      await deliver(statusEnvelope(state.business, update), `status ${status}`);
    }
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(sandboxRouter({ state, initialTemplates, deliver, now, logger, settle }));
  if (options.dialog360) {
    const graph = { path: () => `/v24.0/${state.business.phoneNumberId}/messages`, bearer: options.accessToken };
    app.use(d360Router(state, options.dialog360, graph));
  }
  app.use(
    graphRouter({
      state,
      accessToken: options.accessToken,
      now,
      logger,
      accepted(message, failure) {
        const run = reportStatuses(message, failure).catch((error: Error) =>
          logger.error({ err: error.message }, 'fake WhatsApp (test double): status reporting failed'),
        );
        pending.add(run);
        void run.finally(() => pending.delete(run));
      },
    }),
  );

  let server: Server | undefined;
  return {
    app,
    state,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const s = app.listen(port, host, (error?: Error) => {
          if (error) return reject(error);
          server = s;
          const bound = (s.address() as AddressInfo).port;
          resolve({ port: bound, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` });
        });
      });
    },
    async close() {
      closing.abort();
      const s = server;
      server = undefined;
      if (s) {
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        });
      }
      await Promise.allSettled([...pending]);
    },
  };
}
