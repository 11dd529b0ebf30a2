import express, { Router, type Request } from 'express';
import { maskPhone } from '@cartback/shared';
import type { Db } from '../db/database';
import { withTransaction } from '../db/transaction';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { recordSignal } from '../monitors/sql';
import { partitionItems } from '../webhooks/check';
import { applyStatus, optIn, optOut } from '../webhooks/apply';
import { requestHandoff } from '../webhooks/handoff';
import { handoffConfirmation, isHandoffPayload, isHandoffRequest } from '../whatsapp/handoff-words';
import type { WhatsAppProvider } from '../whatsapp/provider';
import {
  isStartRequest,
  isStopPayload,
  isStopRequest,
  optInConfirmation,
  optOutConfirmation,
} from '../whatsapp/stop-words';
import {
  D360_SECRET_HEADER,
  parseWebhook,
  verifyChallenge,
  verifyHubSignature,
  verifySharedSecret,
  type WebhookItem,
} from '../whatsapp/webhook';
import { ApiError, loggableError } from './errors';
import { parseJsonBody } from './signed';

export interface WebhookDeps {
  db: Db;
  storeId: number;
  logger: Logger;
  metrics: Metrics;
  appSecret: () => string | undefined;
  verifyToken: () => string | undefined;
  /** WHATSAPP_WEBHOOK_SECRET: 360dialog's deliveries carry it in {@link D360_SECRET_HEADER}. */
  webhookSecret: () => string | undefined;
  provider: () => WhatsAppProvider | undefined;
  /** Told after the commit when a template or quality change was stored (the monitors' pass runs at once). */
  onMonitorSignal?: () => void;
}

const MONITOR_SIGNALS: ReadonlySet<WebhookItem['kind']> = new Set([
  'template_status',
  'template_category',
  'number_quality',
]);

type Reply = { to: string; text: string; callbackData: string };

/**
 * What one webhook item does, inside the delivery's transaction; replies go after the commit.
 * Consent changes are stamped when they reach us, not with WhatsApp's whole-second timestamp:
 * a STOP must outrank every consent recorded before it arrived.
 */
async function handle(
  deps: WebhookDeps,
  trx: Parameters<Parameters<typeof withTransaction>[1]>[0],
  item: WebhookItem,
  now: Date,
): Promise<Reply | null> {
  const storeId = deps.storeId;
  switch (item.kind) {
    case 'status':
      await applyStatus(trx, item, now);
      return null;
    case 'inbound_text':
    case 'quick_reply': {
      const text = item.kind === 'inbound_text' ? item.text : item.text || item.payload;
      const stop = item.kind === 'inbound_text' ? isStopRequest(item.text) : isStopPayload(item.payload);
      if (stop) {
        const contact = await optOut(trx, {
          storeId,
          phone: item.from,
          scopes: ['marketing', 'utility'],
          source: item.kind === 'inbound_text' ? 'whatsapp_stop' : 'whatsapp_stop_button',
          text: text.slice(0, 2000),
          at: now,
        });
        return {
          to: item.from,
          text: optOutConfirmation(contact?.locale),
          callbackData: `cartback:optout:${item.messageId}`,
        };
      }
      if (item.kind === 'inbound_text' && isStartRequest(item.text)) {
        const contact = await optIn(trx, { storeId, phone: item.from, text: item.text.slice(0, 2000), at: now });
        if (contact)
          return {
            to: item.from,
            text: optInConfirmation(contact.locale),
            callbackData: `cartback:optin:${item.messageId}`,
          };
      }
      const help = item.kind === 'inbound_text' ? isHandoffRequest(item.text) : isHandoffPayload(item.payload);
      if (help) {
        const handoff = await requestHandoff(trx, {
          storeId,
          phone: item.from,
          wamid: item.messageId,
          source: item.kind === 'inbound_text' ? 'text' : 'button',
          text: text.slice(0, 2000),
          at: now,
        });
        // Told once per open handoff: asking again while a person is due to reply records the
        // request (for the inbox) without another automated message.
        if (handoff.kind === 'recorded' && handoff.opened)
          return {
            to: item.from,
            text: handoffConfirmation(handoff.locale),
            callbackData: `cartback:handoff:${item.messageId}`,
          };
      }
      return null;
    }
    case 'preference':
      if (item.value === 'stop') {
        await optOut(trx, {
          storeId,
          phone: item.from,
          scopes: ['marketing'],
          source: 'whatsapp_preferences',
          text: 'Stopped marketing messages in WhatsApp',
          at: now,
        });
      }
      return null;
    case 'template_status':
      await recordSignal(trx, {
        storeId,
        kind: 'template_status',
        template: item.name,
        language: item.language,
        value: item.status,
        at: now,
      });
      return null;
    case 'template_category':
      await recordSignal(trx, {
        storeId,
        kind: 'template_category',
        template: item.name,
        language: item.language,
        value: item.category,
        previous: item.previous,
        at: now,
      });
      return null;
    case 'number_quality':
      await recordSignal(trx, { storeId, kind: 'quality', value: item.event, at: now });
      return null;
    default:
      return null;
  }
}

/** Sends a short confirmation inside the service window the shopper's message opened. */
function confirm(deps: WebhookDeps, reply: Reply): void {
  const provider = deps.provider();
  if (!provider) return;
  provider.sendText(reply.to, reply.text, reply.callbackData).then(
    (outcome) => {
      if (outcome.kind !== 'accepted') {
        deps.logger.warn({ to: maskPhone(reply.to), outcome: outcome.kind }, 'webhook confirmation not sent');
      }
    },
    (error: unknown) => deps.logger.warn({ err: loggableError(error) }, 'webhook confirmation failed'),
  );
}

/** Applies one authenticated delivery (Meta's payload shape) in one transaction. */
async function applyDelivery(deps: WebhookDeps, raw: Buffer): Promise<void> {
  const now = new Date();
  // An item the database cannot hold is skipped alone (counted, logged without its contents),
  // so it neither fails the delivery nor rolls back the valid items beside it.
  const { apply: items, skipped } = partitionItems(parseWebhook(parseJsonBody(raw)), now.getTime());
  for (const { kind, reason } of skipped) {
    deps.metrics.webhookItemsSkipped.inc({ kind, reason });
    deps.logger.warn({ kind, reason }, 'WhatsApp webhook item skipped');
  }
  // Confirmations go only once the opt-out is committed (and never for a rolled-back attempt).
  await withTransaction(deps.db, async (trx, afterCommit) => {
    for (const item of items) {
      const reply = await handle(deps, trx, item, now);
      if (reply) afterCommit(() => confirm(deps, reply));
    }
    if (deps.onMonitorSignal && items.some((item) => MONITOR_SIGNALS.has(item.kind))) {
      const wake = deps.onMonitorSignal;
      afterCommit(() => wake());
    }
  });
}

/**
 * `GET /v1/webhooks/whatsapp/cloud`: Meta's verification handshake. `POST`: signed deliveries
 * (401 when the X-Hub-Signature-256 does not match, and nothing changes): statuses move messages
 * forward, STOP (typed, the opt-out button, or the app's preference) opts the shopper out at once
 * and a short confirmation is sent after the commit; a request for a person (the help button, or
 * a typed one such as "agent"; STOP wins when both) opens a handoff that pauses all automation
 * for the shopper (webhooks/handoff.ts), confirmed the same way. A template's status or category
 * change and the number's quality change are stored for the monitors' next pass (monitors/),
 * which pauses the lanes using a paused, disabled, rejected or re-categorised template, or all
 * sending on a FLAGGED / DOWNGRADE quality event.
 *
 * `POST /v1/webhooks/whatsapp/360dialog`: the same deliveries forwarded by 360dialog, which does
 * not sign them with the app secret: each must carry {@link D360_SECRET_HEADER} equal to
 * WHATSAPP_WEBHOOK_SECRET (compared in constant time; 401 and nothing changes otherwise).
 */
export function whatsappWebhookRouter(deps: WebhookDeps): Router {
  const router = Router();
  router.get('/v1/webhooks/whatsapp/cloud', (req, res) => {
    const token = deps.verifyToken();
    const verdict = token ? verifyChallenge(req.query as Record<string, unknown>, token) : { ok: false as const };
    if (!verdict.ok) {
      res.status(403).type('text').send('verification failed');
      return;
    }
    res.status(200).type('text').send(verdict.challenge);
  });
  /** A POST route taking a raw delivery: `authenticate` throws an ApiError to refuse it, before anything is read. */
  const deliveries = (path: string, authenticate: (req: Request, raw: Buffer) => void) =>
    router.post(path, express.raw({ type: () => true, limit: '5mb', inflate: false }), async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      authenticate(req, raw);
      await applyDelivery(deps, raw);
      res.sendStatus(200);
    });
  deliveries('/v1/webhooks/whatsapp/cloud', (req, raw) => {
    const secret = deps.appSecret();
    if (!secret)
      throw new ApiError(503, 'webhook_not_configured', 'Set WHATSAPP_APP_SECRET to receive WhatsApp webhooks');
    if (!verifyHubSignature(secret, raw, req.get('x-hub-signature-256'))) {
      throw new ApiError(401, 'invalid_signature', 'X-Hub-Signature-256 does not match the body');
    }
  });
  deliveries('/v1/webhooks/whatsapp/360dialog', (req) => {
    const secret = deps.webhookSecret();
    if (!secret)
      throw new ApiError(503, 'webhook_not_configured', 'Set WHATSAPP_WEBHOOK_SECRET to receive 360dialog webhooks');
    if (!verifySharedSecret(secret, req.get(D360_SECRET_HEADER))) {
      throw new ApiError(401, 'invalid_secret', `${D360_SECRET_HEADER} does not match WHATSAPP_WEBHOOK_SECRET`);
    }
  });
  return router;
}
