import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { WebhookEnvelope } from '../../src/whatsapp/types';

/** Webhooks a test received, each with whether its X-Hub-Signature-256 was right. */
export type Received = Array<{ body: WebhookEnvelope; signatureValid: boolean }>;

/** A tiny webhook receiver: keeps every POST, checks its X-Hub-Signature-256 with node:crypto. */
export async function startReceiver(secret: string) {
  const received: Received = [];
  const receiver = { answer: 200 };
  const app = express();
  app.post('/hook', express.raw({ type: '*/*' }), (req, res) => {
    const raw = req.body as Buffer;
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
    const given = Buffer.from(req.get('x-hub-signature-256') ?? '');
    const signatureValid = given.length === expected.length && timingSafeEqual(given, expected);
    received.push({ body: JSON.parse(raw.toString('utf8')) as WebhookEnvelope, signatureValid });
    res.sendStatus(receiver.answer);
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return Object.assign(receiver, { url, received, close });
}

export async function until<T>(check: () => T | false | Promise<T | false>, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
