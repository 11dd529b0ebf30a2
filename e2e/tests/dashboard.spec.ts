import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { signatureHeaders } from '@cartback/shared';
import type { Db } from '../../service/src/db/database';
import { phoneOf, seedMeasureStore } from '../../service/test/support/measure-seed';
import { sidecarExec, siteStep } from '../support/site';

/**
 * WooCommerce → Cartback Dashboard against the run's real sidecar, its database seeded with the
 * dashboard tests' hand-countable store (service/test/support/measure-seed.ts: 40 treated carts and
 * 30 held out in the abandoned-cart lane, 8 recovered orders of 50.00, 2 opt-outs), ten days back and
 * with ids after {@link BASE}, so nothing another spec made is touched; removed again afterwards.
 */

const ROOT = resolve(__dirname, '..', '..');
const WP_URL = process.env.CARTBACK_E2E_WP_URL ?? '';
const SIDECAR_URL = process.env.CARTBACK_E2E_SIDECAR_URL ?? '';
const SECRET = process.env.CARTBACK_E2E_SECRET ?? '';
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const BASE = 900_000;
const DAY_MS = 86_400_000;
const VERDICT = '+15.0 points, 95% CI -4.0 to +31.5: not enough data yet: about 118 more carts needed';

interface SummaryReply {
  currency: string;
  headline: { recovered_revenue: number };
  lanes: { lane: string; lift: { verdict: { text: string } } | null }[];
}

function openDb(): Db {
  const { createDb } = require(
    join(ROOT, 'service/dist/src/db/database.js'),
  ) as typeof import('../../service/src/db/database');
  return createDb(`mysql://root@127.0.0.1:3306/${process.env.CARTBACK_E2E_SIDECAR_DB ?? ''}`);
}

async function signedGet<T>(path: string): Promise<T> {
  const res = await fetch(SIDECAR_URL + path, { headers: signatureHeaders(SECRET, { method: 'GET', path, body: '' }) });
  expect(res.status, `GET ${path}`).toBe(200);
  return (await res.json()) as T;
}

/** Minor units as the screen shows them (the admin's language is en-US on the test site). */
function money(minor: number, currency: string): string {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(minor / 10 ** digits);
}

/** Every seeded row goes, and the roll-ups are rebuilt without them. */
function removeSeed(): void {
  const ids = [String(BASE), String(BASE + 1000)];
  sidecarExec('DELETE FROM clicks WHERE message_id > ? AND message_id <= ?', ids);
  sidecarExec('DELETE FROM links WHERE message_id > ? AND message_id <= ?', ids);
  sidecarExec('DELETE FROM attributions WHERE order_id > ? AND order_id <= ?', [
    String(BASE + 1000),
    String(BASE + 2000),
  ]);
  sidecarExec('DELETE FROM orders WHERE order_id > ? AND order_id <= ?', [String(BASE + 1000), String(BASE + 2000)]);
  sidecarExec('DELETE FROM consent_ledger WHERE contact_id > ? AND contact_id <= ?', ids);
  sidecarExec('DELETE FROM enrollment_history WHERE enrollment_id > ? AND enrollment_id <= ?', ids);
  sidecarExec('DELETE FROM messages WHERE id > ? AND id <= ?', ids);
  sidecarExec('DELETE FROM enrollments WHERE id > ? AND id <= ?', ids);
  sidecarExec('DELETE FROM contacts WHERE id > ? AND id <= ?', ids);
  forgetRollups();
}

/** The next dashboard query rebuilds every roll-up (as a rate card change does). */
function forgetRollups(): void {
  sidecarExec("DELETE FROM settings WHERE name = 'measure_rollup_watermark'");
}

/** Keeps the page off the internet and collects console errors and page errors. */
async function watch(page: Page): Promise<string[]> {
  await page.context().route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.fulfill({ status: 200, contentType: 'image/gif', body: PIXEL }),
  );
  const problems: string[] = [];
  page.on('console', (message) => {
    // The one refusal the test provokes: a timeline search for something that is no phone or email.
    const provoked = /status of 400/.test(message.text()) && /contacts(\/|%2F)timeline/.test(message.location().url);
    if (message.type() === 'error' && !provoked) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

test.beforeAll(async () => {
  expect(WP_URL && SIDECAR_URL && SECRET, 'global-setup ran').toBeTruthy();
  siteStep('connect');
  const day1 = new Date(Math.floor((Date.now() - 10 * DAY_MS) / DAY_MS) * DAY_MS + 9 * 3_600_000);
  const db = openDb();
  try {
    await seedMeasureStore(db, { idBase: BASE, day1, day2: new Date(day1.getTime() + DAY_MS) });
    // Contact 39's journey stopped when the shopper opted out: the decision, with its reason code.
    await db
      .insertInto('enrollment_history')
      .values({
        store_id: 1,
        enrollment_id: BASE + 39,
        at: new Date(day1.getTime() + DAY_MS + 3 * 3_600_000),
        kind: 'stopped',
        step: null,
        reason: 'opted_out',
        detail: null,
      })
      .execute();
  } finally {
    await db.destroy();
  }
  // The seeded facts are stamped as written ten days ago: mark them changed now, and have the next
  // query rebuild the roll-ups, so the Dashboard reads them whatever refresh ran in between.
  for (const table of ['messages', 'enrollments']) {
    sidecarExec(`UPDATE ${table} SET updated_at = NOW(3) WHERE id > ? AND id <= ?`, [
      String(BASE),
      String(BASE + 1000),
    ]);
  }
  forgetRollups();
});

test.afterAll(() => {
  removeSeed();
  // The seeded opt-outs must not leave a lane paused for the specs after this one.
  sidecarExec(
    "UPDATE monitor_events SET open_target = NULL, resumed_at = NOW(3), resumed_by = 'e2e-cleanup' WHERE open_target IS NOT NULL",
  );
});

test('the Dashboard shows the seeded numbers, a contact timeline with a reason code, and a messages CSV', async ({
  page,
}, testInfo) => {
  const problems = await watch(page);
  const summary = await signedGet<SummaryReply>('/v1/admin/dashboard/summary');
  expect(summary.headline.recovered_revenue, 'the sidecar counts the seeded orders').toBe(40000);
  const { currency } = summary;

  await page.goto(`${WP_URL}/wp-login.php`);
  await page.locator('#user_login').fill('admin');
  await page.locator('#user_pass').fill('admin-password');
  await page.locator('#wp-submit').click();
  await expect(page.locator('#wpadminbar')).toBeVisible();
  // From WooCommerce → Cartback, the link beside its title.
  await page.goto(`${WP_URL}/wp-admin/admin.php?page=cartback`);
  await page.locator('.wrap .page-title-action', { hasText: 'Dashboard' }).click();
  await expect(page).toHaveURL(/page=cartback-dashboard/);
  await expect(page.locator('#adminmenu a[href="admin.php?page=cartback-dashboard"]')).toHaveText('Cartback Dashboard');

  // The headline cards.
  const recovered = page.locator('[data-card="recovered"]');
  await expect(recovered.locator('.cartback-card-value')).toHaveText(money(40000, currency));
  await expect(recovered).toContainText(`Influenced: ${money(8000, currency)}`);
  await expect(page.locator('[data-card="opt-out"] .cartback-card-value')).toHaveText('5%');
  await expect(page.locator('[data-card="incremental"] .cartback-card-value')).toHaveText(money(32000, currency));
  await expect(page.locator('[data-card="incremental"]')).toContainText('95% interval');

  // The cart lane: its funnel's counts and its lift's verdict.
  const lane = page.locator('.cartback-lane[data-lane="abandoned_cart"]');
  await expect(lane.locator('.cartback-lane-name')).toHaveText('Abandoned cart');
  const steps = {
    enrolled: '40',
    sent: '36',
    delivered: '36',
    read: '20',
    clicked: '12',
    converted: '10',
    failed: '4',
  };
  for (const [step, value] of Object.entries(steps)) {
    await expect(lane.locator(`[data-step="${step}"] dd`), step).toHaveText(value);
  }
  await expect(lane.locator('.cartback-verdict')).toHaveText(VERDICT);
  // The charts drew their bars (recharts' SVG): revenue over time and the funnel.
  await expect(page.locator('#cartback-revenue path.recharts-rectangle').first()).toBeVisible();
  await expect(lane.locator('.cartback-funnel path.recharts-rectangle')).toHaveCount(6);
  await expect(lane.locator('.cartback-funnel .recharts-label-list')).toContainText('36');

  await testInfo.attach('dashboard', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  // The latest messages: the seeded ones are the newest, phones masked.
  const rows = page.locator('#cartback-messages tbody tr');
  await expect(rows).toHaveCount(20);
  await expect(rows.first()).toContainText('Held out');
  await expect(rows.first().locator('td').nth(4)).toContainText('•');
  await page.locator('#cartback-messages').getByRole('button', { name: 'Older' }).click();
  await expect(rows.first()).toHaveAttribute('data-message', String(BASE + 50));

  // A contact's timeline: the opted-out shopper's journey, its decisions and their reason codes.
  const timeline = page.locator('#cartback-timeline');
  const search = timeline.getByLabel('Phone (+4915123456789) or email');
  await search.fill('0151 nonsense');
  await timeline.getByRole('button', { name: 'Search' }).click();
  // The sidecar's 400 comes through the plugin's proxy in its own words.
  await expect(timeline.locator('.components-notice')).toContainText(
    'q must be a phone number in international form (+4915123456789) or an email',
  );
  await search.fill('nobody@example.com');
  await timeline.getByRole('button', { name: 'Search' }).click();
  await expect(timeline.locator('.cartback-empty')).toHaveText('No contact with that phone or email.');
  await search.fill(phoneOf(39));
  await timeline.getByRole('button', { name: 'Search' }).click();
  const decision = timeline.locator('[data-kind="decision"]', { hasText: 'opted_out' });
  await expect(decision).toHaveCount(1);
  await expect(decision).toContainText('Decision');
  await expect(decision).toContainText('stopped');
  await expect(decision.locator('.cartback-reason')).toHaveText('opted_out');
  await expect(timeline.locator('[data-kind="message"]')).toContainText('cart_reminder_1');
  await expect(timeline.locator('[data-kind="enrolled"]')).toContainText('Abandoned cart');
  await testInfo.attach('timeline', { body: await timeline.screenshot(), contentType: 'image/png' });

  // The messages CSV of the range.
  const download = page.waitForEvent('download');
  await page.locator('[data-export="messages"]').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('cartback-messages.csv');
  const lines = readFileSync(await file.path(), 'utf8').split('\r\n');
  expect(lines[0]).toMatch(/^message_id,created_at,lane,step,template,category,state,contact_id,phone,/);
  expect(lines.filter((line) => line.startsWith(`${BASE + 1},`))).toHaveLength(1);

  expect(problems).toEqual([]);
});
