import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, request, test, type Page } from '@playwright/test';
import { signatureHeaders } from '@cartback/shared';
import { sidecarExec, siteStep } from '../support/site';

const WP_URL = process.env.CARTBACK_E2E_WP_URL ?? '';
const SIDECAR_URL = process.env.CARTBACK_E2E_SIDECAR_URL ?? '';
const SECRET = process.env.CARTBACK_E2E_SECRET ?? '';
const WRONG_SECRET = `wrong-${'0123456789'.repeat(4)}`;
const SCREENSHOT = join(__dirname, '..', 'artifacts', 'cartback-admin.png');
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** A signed call to the sidecar's admin API, as the plugin makes it. */
async function sidecarGet(path: string): Promise<unknown> {
  const res = await fetch(SIDECAR_URL + path, { headers: signatureHeaders(SECRET, { method: 'GET', path, body: '' }) });
  expect(res.status, `GET ${path}`).toBe(200);
  return res.json();
}

interface LaneReply {
  settings: { steps: { delay: string }[] };
}

/** Nothing leaves the machine: anything not on 127.0.0.1 (avatars from gravatar.com) gets a blank pixel. */
async function isolate(page: Page): Promise<void> {
  await page.context().route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.fulfill({ status: 200, contentType: 'image/gif', body: PIXEL }),
  );
}

/**
 * Chromium logs every 4xx answer as "Failed to load resource". The two the test provokes on
 * purpose (a too-short secret, a refused lane setting) are the API's validation answers, not
 * errors of the page's script; anything else counts.
 */
function expectedRefusal(text: string, url: string): boolean {
  return (
    text.startsWith('Failed to load resource: the server responded with a status of 400') &&
    /rest_route=%2Fcartback%2Fv1%2F(settings|lanes%2Fabandoned_cart)(&|$)/.test(url)
  );
}

async function logIn(page: Page): Promise<void> {
  await page.goto(`${WP_URL}/wp-login.php`);
  await page.locator('#user_login').fill('admin');
  await page.locator('#user_pass').fill('admin-password');
  await page.locator('#wp-submit').click();
  await expect(page.locator('#wpadminbar')).toBeVisible();
}

test('an admin connects the sidecar, tests the connection and edits the abandoned-cart lane', async ({
  page,
}, testInfo) => {
  // The longest story here (a dozen page loads and saves): on a busy 2-core machine each load can
  // take seconds, so it gets twice the default.
  test.setTimeout(180_000);
  expect(WP_URL && SIDECAR_URL && SECRET, 'global-setup ran').toBeTruthy();
  await isolate(page);

  // Everything the browser is told, to check that the secret is never in it.
  const consoleErrors: string[] = [];
  const deprecations: string[] = [];
  const bodies: Promise<string>[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !expectedRefusal(message.text(), message.location().url)) {
      consoleErrors.push(`${message.text()} @ ${message.location().url}`);
    }
    // @wordpress/components' deprecations (wp.deprecated() warns on the console), such as
    // "36px default size … set the `__next40pxDefaultSize` prop", become breaking changes later.
    if (/deprecated|__next/i.test(message.text())) {
      deprecations.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
  page.on('response', (response) => {
    bodies.push(response.text().catch(() => ''));
  });

  await test.step('log in and open WooCommerce → Cartback', async () => {
    await logIn(page);
    await page.locator('#toplevel_page_woocommerce > a').click();
    await page.locator('#toplevel_page_woocommerce a[href="admin.php?page=cartback"]').click();
    await expect(page).toHaveURL(/page=cartback/);
    await expect(page.getByRole('heading', { name: 'Connection' })).toBeVisible();
    await expect(page.locator('#cartback-lane-abandoned_cart')).toContainText('Connect the sidecar first');
  });

  const connection = page.locator('#cartback-connection');

  await test.step('a wrong secret is named as the problem', async () => {
    await page.getByLabel('Sidecar URL').fill(SIDECAR_URL);
    await page.getByLabel('Shared secret').fill(WRONG_SECRET);
    await connection.getByRole('button', { name: 'Test connection' }).click();
    await expect(connection.locator('.cartback-not-connected')).toContainText('refused the shared secret');
    await expect(connection.locator('.cartback-not-connected')).toHaveAttribute('data-code', 'unauthorized');

    // Saving checks first: the wrong secret is not stored, and the field says why.
    await connection.getByRole('button', { name: 'Save connection' }).click();
    await expect(connection.locator('.cartback-field-error')).toContainText('refused the shared secret');
    await expect(connection.locator('.cartback-not-connected')).toHaveAttribute('data-code', 'unauthorized');
    await expect(page.locator('#cartback-lane-abandoned_cart')).toContainText('Connect the sidecar first');

    await page.getByLabel('Shared secret').fill('too-short');
    await connection.getByRole('button', { name: 'Save connection' }).click();
    await expect(connection.locator('.cartback-field-error')).toContainText('at least 32 characters');
  });

  await test.step('save the URL and the secret, then test the connection', async () => {
    await page.getByLabel('Shared secret').fill(SECRET);
    await connection.getByRole('button', { name: 'Save connection' }).click();
    await expect(connection.getByText('Connection checked and saved.')).toBeVisible();
    await expect(page.getByLabel('Shared secret')).toHaveValue('');
    await expect(page.getByLabel('Shared secret')).toHaveAttribute('placeholder', 'saved — leave empty to keep');

    await connection.getByRole('button', { name: 'Test connection' }).click();
    await expect(connection.getByText('Connected', { exact: true })).toBeVisible();
    await expect(connection).toContainText(
      'sending is active; lanes: Payment reminders off, Abandoned carts on, Viewed products off, Win-back off.',
    );
  });

  const lane = page.locator('#cartback-lane-abandoned_cart');
  const saveLanes = page.locator('#cartback-lanes-save').getByRole('button', { name: 'Save lane settings' });

  await test.step('change the first message’s delay; the sidecar stores it', async () => {
    const firstDelay = lane.getByLabel('Message 1: send after');
    await expect(firstDelay).toHaveValue('15');
    await firstDelay.fill('30');
    await saveLanes.click();
    await expect(lane.getByText('Saved in the sidecar.')).toBeVisible();
    const stored = (await sidecarGet('/v1/admin/lanes/abandoned_cart')) as LaneReply;
    expect(stored.settings.steps[0]?.delay).toBe('PT30M');
    expect(stored.settings.steps[1]?.delay).toBe('PT4H');
  });

  await test.step('the sidecar’s refusal is shown next to the field it names', async () => {
    await lane.getByLabel('Message 1: send after').fill('5');
    await saveLanes.click();
    await expect(lane.getByText('Not saved: the sidecar refused the setting marked in red.')).toBeVisible();
    await expect(lane.locator('[data-step="0"] .cartback-field-error')).toContainText(
      'must not be earlier than inactivity_delay',
    );
    const stored = (await sidecarGet('/v1/admin/lanes/abandoned_cart')) as LaneReply;
    expect(stored.settings.steps[0]?.delay).toBe('PT30M');
    await testInfo.attach('lane-refused', { body: await lane.screenshot(), contentType: 'image/png' });
  });

  await test.step('after a reload the page shows what is stored, and never the secret', async () => {
    await page.reload();
    await expect(page.getByLabel('Sidecar URL')).toHaveValue(SIDECAR_URL);
    await expect(page.getByLabel('Shared secret')).toHaveValue('');
    await expect(lane.getByLabel('Message 1: send after')).toHaveValue('30');
    await expect(page.locator('#cartback-outbox [data-stat="pending"]')).toHaveText(/^\d+$/);

    const html = await page.content();
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain(WRONG_SECRET);
    const received = await Promise.all(bodies);
    expect(received.length).toBeGreaterThan(10);
    for (const body of received) {
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain(WRONG_SECRET);
    }
  });

  await test.step('"Send now" delivers what waits in the outbox (a shopper\'s cart)', async () => {
    // Saving the connection delivered everything queued until then (the store's profile with it);
    // a shopper now puts something in a cart, which waits for the background job.
    const shopper = await request.newContext();
    expect((await shopper.get(`${WP_URL}/?add-to-cart=42`)).status()).toBe(200);
    await shopper.dispose();
    const outbox = page.locator('#cartback-outbox');
    await outbox.getByRole('button', { name: 'Refresh' }).click();
    await expect(outbox.locator('[data-stat="pending"]')).not.toHaveText('0');
    await outbox.getByRole('button', { name: 'Send now' }).click();
    await expect(outbox.locator('.cartback-outbox-result')).toContainText(/^Delivered \d+ events?\.$/);
    await expect(outbox.locator('[data-stat="pending"]')).toHaveText('0');
    await expect(outbox.getByRole('button', { name: 'Send now' })).toBeDisabled();
  });

  await test.step('sends WhatsApp never confirmed are shown in plain words', async () => {
    // As the sidecar leaves them: two lost (no status within the reconcile window), one waiting.
    const insert =
      'INSERT INTO messages (store_id, enrollment_id, step, lane, category, contact_id, phone, state, due_at, created_at, updated_at) ' +
      "VALUES (1, 990001, ?, 'abandoned_cart', 'marketing', 990001, '+919800000099', ?, NOW(3), NOW(3), NOW(3))";
    try {
      for (const [step, state] of [
        ['0', 'lost'],
        ['1', 'lost'],
        ['2', 'unknown'],
      ] as const) {
        expect(sidecarExec(insert, [step, state])).toBe(1);
      }
      await page.reload();
      const health = page.locator('#cartback-message-health');
      await expect(health.locator('[data-stat="lost"]')).toHaveText(
        '2 messages were lost before reaching WhatsApp and will not be resent: WhatsApp never confirmed them within 36 hours.',
      );
      await expect(health.locator('[data-stat="unknown"]')).toHaveText(
        '1 message is waiting for WhatsApp to confirm it arrived. It is never sent twice; without a confirmation within 36 hours it counts as lost.',
      );
      await testInfo.attach('message-health', { body: await health.screenshot(), contentType: 'image/png' });
    } finally {
      sidecarExec('DELETE FROM messages WHERE enrollment_id = 990001');
    }
    // Once none is left, the screen says nothing about it.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Connection' })).toBeVisible();
    await expect(lane.getByLabel('Message 1: send after')).toHaveValue('30');
    await expect(page.locator('#cartback-message-health')).toHaveCount(0);
  });

  // The screen as an admin sees it once connected.
  await connection.getByRole('button', { name: 'Test connection' }).click();
  await expect(connection.getByText('Connected', { exact: true })).toBeVisible();
  mkdirSync(join(__dirname, '..', 'artifacts'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  await testInfo.attach('cartback-admin', { path: SCREENSHOT, contentType: 'image/png' });

  expect(consoleErrors, 'no JavaScript console errors').toEqual([]);
  expect(deprecations, 'no deprecation warnings from the screen').toEqual([]);
});

test('an admin whose store is not connected yet sees why, and the console stays clean', async ({ page }) => {
  await isolate(page);
  const problems: string[] = [];
  const requested: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('request', (req) => requested.push(req.url()));

  siteStep('disconnect');
  await logIn(page);
  await page.goto(`${WP_URL}/wp-admin/admin.php?page=cartback`);
  await expect(page.getByRole('heading', { name: 'Connection' })).toBeVisible();
  await expect(page.locator('#cartback-lane-abandoned_cart')).toContainText('Connect the sidecar first');
  await expect(page.getByRole('button', { name: 'Send now' })).toBeDisabled();
  expect(
    requested.filter((url) => /lanes/.test(decodeURIComponent(url))),
    'no lane request',
  ).toEqual([]);
  expect(problems, 'no console errors or warnings').toEqual([]);
});
