import { createFakeCloudApi, type FakeCloudApi } from '../../src/fake-whatsapp/server';
import type { Db } from '../../src/db/database';
import { createDb } from '../../src/db/database';
import { Dispatcher, callbackDataFor } from '../../src/dispatch/dispatcher';
import { setSendingPaused } from '../../src/recovery/settings';
import { createLogger } from '../../src/logger';
import { createCloudProvider } from '../../src/whatsapp/cloud';
import type { WhatsAppProvider } from '../../src/whatsapp/provider';
import { cartReminder } from '../support/cart-reminder';
import { countRows, createTestDatabase, type TestDatabase } from '../support/db';
import { until } from '../support/webhook-receiver';

const TOKEN = 'dispatch-test-token';
let t: TestDatabase;
let fake: FakeCloudApi;
let provider: WhatsAppProvider;
let fakeBase = '';
const running: Dispatcher[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  fake = createFakeCloudApi({ accessToken: TOKEN, appSecret: 'dispatch-secret', rateLimit: 1000, statusDelayMs: 5 });
  const { url } = await fake.listen();
  fakeBase = url;
  provider = createCloudProvider({
    apiUrl: url,
    apiVersion: 'v24.0',
    accessToken: TOKEN,
    phoneNumberId: '106540352242922',
    wabaId: '102290129340398',
    timeoutMs: 2000,
  });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.stop()));
  await fetch(`${fakeUrl()}/_sandbox/reset`, { method: 'POST' });
  await t.db.deleteFrom('messages').execute();
  await t.db.deleteFrom('enrollment_history').execute();
});
afterAll(async () => {
  await fake.close();
  await t.drop();
});

const fakeUrl = () => fakeBase;

/** `n` messages due now, each to its own number, as the engine would queue them (the first `from` numbers skipped). */
async function queue(n: number, dueAt = new Date(Date.now() - 1000), from = 0): Promise<void> {
  const request = cartReminder();
  const now = new Date();
  const rows = Array.from({ length: n }, (_, k) => k + from).map((i) => ({
    store_id: 1,
    enrollment_id: i + 1,
    step: 0,
    lane: 'abandoned_cart',
    category: 'marketing' as const,
    contact_id: i + 1,
    phone: `+9198${String(10_000_000 + i).padStart(8, '0')}`,
    state: 'queued' as const,
    due_at: dueAt,
    template: request.template.name,
    language: request.template.language.code,
    payload: JSON.stringify(request.template.components),
    created_at: now,
    updated_at: now,
  }));
  for (let i = 0; i < rows.length; i += 500)
    await t.db
      .insertInto('messages')
      .values(rows.slice(i, i + 500))
      .execute();
}

function start(db: Db = t.db, limitPerSecond = 1000): Dispatcher {
  const d = new Dispatcher({ db, provider, logger: createLogger('silent'), limitPerSecond, idleMs: 20 });
  d.start();
  running.push(d);
  return d;
}

const states = async () =>
  Object.fromEntries(
    (
      await t.db
        .selectFrom('messages')
        .select(['state'])
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .groupBy('state')
        .execute()
    ).map((r) => [r.state, Number(r.n)]),
  );

it('sends each due message once, with our id as callback data, and records the wamid', async () => {
  await queue(3);
  start();
  await until(async () => (await states()).submitted === 3 && true, 'three submitted');
  expect(fake.state.messages).toHaveLength(3);
  const rows = await t.db
    .selectFrom('messages')
    .select(['id', 'provider_message_id', 'attempts'])
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const sent = fake.state.messages.find((m) => m.wamid === row.provider_message_id);
    expect(sent?.biz_opaque_callback_data).toBe(callbackDataFor(row.id));
    expect(row.attempts).toBe(1);
  }
});

it('sends a message queued while it waits for work as soon as it is woken, not at its next poll', async () => {
  const d = new Dispatcher({
    db: t.db,
    provider,
    logger: createLogger('silent'),
    limitPerSecond: 1000,
    idleMs: 600_000,
  });
  await queue(1);
  d.start();
  running.push(d);
  await until(() => fake.state.messages.length === 1, 'the first message sent');
  // Nothing else is due: it waits ten minutes before looking again, unless woken.
  await queue(1, undefined, 1);
  d.wake();
  await until(() => fake.state.messages.length === 2, 'the second message, sent after the wake-up');
  expect(fake.state.messages.map((m) => m.to)).toEqual(['+919810000000', '+919810000001']);
});

it('holds back queued messages while sending is paused, and sends them on resume', async () => {
  await setSendingPaused(t.db, 1, true, new Date());
  try {
    await queue(2);
    start();
    await new Promise((r) => setTimeout(r, 400));
    expect(fake.state.messages).toHaveLength(0);
  } finally {
    await setSendingPaused(t.db, 1, false, new Date());
  }
  await until(async () => (await states()).submitted === 2 && true, 'two submitted after resume');
});

it('does not send messages that are not due yet', async () => {
  await queue(2, new Date(Date.now() + 3_600_000));
  start();
  await new Promise((r) => setTimeout(r, 300));
  expect(fake.state.messages).toHaveLength(0);
  expect(await states()).toEqual({ queued: 2 });
});

it('two dispatchers racing over 1,000 due messages send each exactly once', async () => {
  await queue(1000);
  const other = createDb(t.url);
  try {
    start(t.db);
    start(other);
    await until(async () => (await states()).submitted === 1000 && true, '1,000 submitted', 30_000);
    const recipients = fake.state.messages.map((m) => m.to);
    expect(recipients).toHaveLength(1000);
    expect(new Set(recipients).size).toBe(1000);
  } finally {
    await Promise.all(running.splice(0).map((d) => d.stop()));
    await other.destroy();
  }
});

it('records a permanent failure with its Meta code and does not retry it', async () => {
  await fetch(`${fakeUrl()}/_sandbox/fail`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code: 131026, count: 1 }),
  });
  await queue(1);
  start();
  await until(async () => (await states()).failed === 1 && true, 'failed');
  await new Promise((r) => setTimeout(r, 200));
  const row = await t.db.selectFrom('messages').selectAll().executeTakeFirstOrThrow();
  expect(row).toMatchObject({ state: 'failed', error_code: '131026', attempts: 1 });
  expect(fake.state.messages).toHaveLength(0);
  expect(await countRows(t.db, 'enrollment_history')).toBe(1);
});

it('paces a 130429 burst: the throttled messages are retried later and all delivered once', async () => {
  fake.state.settings.rateLimit = 20;
  try {
    await queue(60);
    start(t.db, 1000);
    await until(async () => (await states()).submitted === 60 && true, '60 submitted', 20_000);
    expect(fake.state.rejections.some((r) => r.code === 130429)).toBe(true);
    expect(new Set(fake.state.messages.map((m) => m.to)).size).toBe(60);
    expect(fake.state.messages).toHaveLength(60);
  } finally {
    fake.state.settings.rateLimit = 1000;
  }
});
