import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signatureHeaders, verifySignature } from '@cartback/shared';

/**
 * A TEST DOUBLE of the sidecar's discount half (its coupon engine is built elsewhere), standing in
 * front of the real sidecar: it checks every request's signature, answers `GET/PUT
 * /v1/admin/incentives` itself (the contract: `{monthly_budget, currency, month, committed,
 * redeemed, remaining}`, 400 `{error, message, field}` on bad input), keeps each lane step's
 * `incentive` (refused on payment reminders, naming `steps[i].incentive`), and passes everything
 * else — lanes without their incentives, re-signed — to the real sidecar, putting the kept
 * incentives back into its answers.
 */
export interface IncentivesSidecar {
  url: string;
  budget: () => number;
  incentives: (lane: string) => Record<number, unknown>;
  stop: () => Promise<void>;
}

type Step = Record<string, unknown> & { incentive?: Record<string, unknown> };

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** What is wrong with a step's incentive (its path and why), or null. */
function incentiveProblem(lane: string, i: number, incentive: Record<string, unknown>): [string, string] | null {
  const path = `steps[${i}].incentive`;
  if (lane === 'payment_recovery') return [path, `${path} is not allowed: payment reminders are never promotional`];
  const { type, amount, ceiling } = incentive;
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
  if (type !== 'percent' && type !== 'fixed') return [`${path}.type`, `${path}.type must be percent or fixed`];
  if (type === 'percent' && !(whole(amount) && amount >= 1 && amount <= 90))
    return [`${path}.amount`, `${path}.amount must be a whole percentage from 1 to 90`];
  if (type === 'fixed' && !(whole(amount) && amount > 0))
    return [`${path}.amount`, `${path}.amount must be more than 0 minor units`];
  if (!(whole(ceiling) && ceiling > 0 && (type !== 'fixed' || ceiling >= (amount as number))))
    return [`${path}.ceiling`, `${path}.ceiling must be more than 0 and, for a fixed discount, at least the amount`];
  return null;
}

export async function startIncentivesSidecar(realUrl: string, secret: string): Promise<IncentivesSidecar> {
  let budget = 0;
  const kept: Record<string, Record<number, Record<string, unknown>>> = {};

  const withKept = (lane: string, body: string): string => {
    const reply = JSON.parse(body) as { settings?: { steps?: Step[] } };
    reply.settings?.steps?.forEach((step, i) => {
      const incentive = kept[lane]?.[i];
      if (incentive) step.incentive = incentive;
    });
    return JSON.stringify(reply);
  };

  const forward = async (method: string, path: string, body: string): Promise<{ status: number; body: string }> => {
    const res = await fetch(realUrl + path, {
      method,
      ...(method === 'GET' ? {} : { body }),
      headers: { 'Content-Type': 'application/json', ...signatureHeaders(secret, { method, path, body }) },
    });
    return { status: res.status, body: await res.text() };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = req.url ?? '/';
    const body = await read(req);
    const verdict = verifySignature(
      secret,
      {
        timestamp: req.headers['x-cartback-timestamp'] as string | undefined,
        signature: req.headers['x-cartback-signature'] as string | undefined,
      },
      { method, path, body },
      Math.floor(Date.now() / 1000),
    );
    if (!verdict.ok) return send(res, 401, { error: { code: verdict.code, message: verdict.message } });

    if (path === '/v1/admin/incentives') {
      if (method === 'PUT') {
        const next = (JSON.parse(body) as { monthly_budget?: unknown }).monthly_budget;
        if (typeof next !== 'number' || !Number.isInteger(next) || next < 0) {
          return send(res, 400, {
            error: 'invalid_budget',
            message: 'monthly_budget must be a whole number of minor units, 0 or more',
            field: 'monthly_budget',
          });
        }
        budget = next;
      }
      const month = new Date().toISOString().slice(0, 7);
      return send(res, 200, {
        monthly_budget: budget,
        currency: 'INR',
        month,
        committed: 0,
        redeemed: 0,
        remaining: budget,
      });
    }

    const lane = /^\/v1\/admin\/lanes\/([a-z_]+)$/.exec(path)?.[1];
    if (lane && method === 'PUT') {
      const settings = JSON.parse(body) as { steps?: Step[] };
      const incentives: Record<number, Record<string, unknown>> = {};
      for (const [i, step] of (settings.steps ?? []).entries()) {
        if (!step.incentive) continue;
        const problem = incentiveProblem(lane, i, step.incentive);
        if (problem)
          return send(res, 400, { error: { code: 'invalid_lane_settings', message: problem[1], path: problem[0] } });
        incentives[i] = step.incentive;
        delete step.incentive;
      }
      const answer = await forward('PUT', path, JSON.stringify(settings));
      if (answer.status === 200) kept[lane] = incentives;
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      return void res.end(answer.status === 200 ? withKept(lane, answer.body) : answer.body);
    }
    const answer = await forward(method, path, body);
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(lane && answer.status === 200 ? withKept(lane, answer.body) : answer.body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: { code: 'double', message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    budget: () => budget,
    incentives: (lane) => kept[lane] ?? {},
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
