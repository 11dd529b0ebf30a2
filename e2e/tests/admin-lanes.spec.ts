import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { signatureHeaders } from '@cartback/shared';
import { siteStep } from '../support/site';

const WP_URL = process.env.CARTBACK_E2E_WP_URL ?? '';
const SIDECAR_URL = process.env.CARTBACK_E2E_SIDECAR_URL ?? '';
const SECRET = process.env.CARTBACK_E2E_SECRET ?? '';
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

interface Settings {
  enabled: boolean;
  steps: { delay: string; incentive?: object }[];
  repeat_after?: string;
  max_products?: number;
}

/** A lane's settings as the sidecar holds them (a signed call, as the plugin makes it). */
async function stored(lane: string): Promise<Settings> {
  const path = `/v1/admin/lanes/${lane}`;
  const res = await fetch(SIDECAR_URL + path, { headers: signatureHeaders(SECRET, { method: 'GET', path, body: '' }) });
  expect(res.status, `GET ${path}`).toBe(200);
  return ((await res.json()) as { settings: Settings }).settings;
}

/** The store's discount budget as the sidecar holds it (minor units). */
async function storedBudget(): Promise<number> {
  const path = '/v1/admin/incentives';
  const res = await fetch(SIDECAR_URL + path, { headers: signatureHeaders(SECRET, { method: 'GET', path, body: '' }) });
  expect(res.status, `GET ${path}`).toBe(200);
  return ((await res.json()) as { monthly_budget: number }).monthly_budget;
}

async function restoreBudget(monthlyBudget: number): Promise<void> {
  const path = '/v1/admin/incentives';
  const body = JSON.stringify({ monthly_budget: monthlyBudget });
  const res = await fetch(SIDECAR_URL + path, {
    method: 'PUT',
    body,
    headers: { 'Content-Type': 'application/json', ...signatureHeaders(SECRET, { method: 'PUT', path, body }) },
  });
  expect(res.status, `PUT ${path}`).toBe(200);
}

/** Puts a lane's settings back as they were, so the specs after this one find them unchanged. */
async function restore(lane: string, settings: Settings): Promise<void> {
  const path = `/v1/admin/lanes/${lane}`;
  const body = JSON.stringify(settings);
  const res = await fetch(SIDECAR_URL + path, {
    method: 'PUT',
    body,
    headers: { 'Content-Type': 'application/json', ...signatureHeaders(SECRET, { method: 'PUT', path, body }) },
  });
  expect(res.status, `PUT ${path}`).toBe(200);
}

/**
 * Keeps the page off the internet (images answer a pixel) and collects its console errors and
 * page errors, but for the one 400 the test provokes at a URL matching `refusal`.
 */
async function watch(page: Page, refusal: RegExp): Promise<string[]> {
  expect(WP_URL && SIDECAR_URL && SECRET, 'global-setup ran').toBeTruthy();
  await page.context().route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.fulfill({ status: 200, contentType: 'image/gif', body: PIXEL }),
  );
  const problems: string[] = [];
  page.on('console', (message) => {
    const provoked = /status of 400/.test(message.text()) && refusal.test(message.location().url);
    if (message.type() === 'error' && !provoked) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

async function openScreen(page: Page): Promise<void> {
  await page.goto(`${WP_URL}/wp-login.php`);
  await page.locator('#user_login').fill('admin');
  await page.locator('#user_pass').fill('admin-password');
  await page.locator('#wp-submit').click();
  await expect(page.locator('#wpadminbar')).toBeVisible();
  await page.goto(`${WP_URL}/wp-admin/admin.php?page=cartback`);
}

test('each lane has its section; one save bar saves the changed lanes and shows a refusal at its field', async ({
  page,
}, testInfo) => {
  // The one refusal provoked on purpose is the sidecar's 400 for the payment reminders.
  const problems = await watch(page, /lanes%2Fpayment_recovery/);
  const puts: string[] = [];
  page.on('request', (req) => {
    // api-fetch sends a PUT as a POST with X-HTTP-Method-Override: anything but a read counts.
    const lane = /lanes%2F([a-z_]+)/.exec(req.url())?.[1];
    if (lane && req.method() !== 'GET') puts.push(lane);
  });

  const { was_connected: wasConnected } = siteStep<{ was_connected: boolean }>('connect');
  const before = {
    browse_abandonment: await stored('browse_abandonment'),
    winback: await stored('winback'),
  };
  try {
    await run(page, testInfo, puts);
  } finally {
    for (const [lane, settings] of Object.entries(before)) await restore(lane, settings);
    if (!wasConnected) siteStep('disconnect');
  }
  expect(problems, 'no console errors').toEqual([]);
});

/** The steps, once connected; `puts` collects the lanes the screen sends a PUT for. */
async function run(page: Page, testInfo: TestInfo, puts: string[]): Promise<void> {
  await openScreen(page);

  const payment = page.locator('#cartback-lane-payment_recovery');
  const browse = page.locator('#cartback-lane-browse_abandonment');
  const winback = page.locator('#cartback-lane-winback');
  const bar = page.locator('#cartback-lanes-save');

  await test.step('four sections, in order of precedence, each with its own fields', async () => {
    await expect(page.locator('.cartback-lane h2')).toHaveText([
      'Payment reminders',
      'Abandoned carts',
      'Viewed products',
      'Win-back',
    ]);
    for (const lane of ['payment_recovery', 'abandoned_cart', 'browse_abandonment', 'winback']) {
      const section = page.locator(`#cartback-lane-${lane}`);
      await expect(section.getByLabel('Send these messages')).toBeVisible();
      await expect(section.getByLabel('Message 1: send after')).toBeVisible();
      await expect(section.getByLabel('Quiet hours start')).toBeVisible();
    }
    await expect(browse.getByLabel('At most once per product per shopper within')).toHaveValue('7');
    await expect(winback.getByLabel('Products per message (1–3)')).toHaveValue('3');
    await expect(winback.getByLabel('At most once per shopper within')).toHaveValue('30');
    // Payment reminders are service messages: no category to pick, no coupon, no marketing cap.
    await expect(payment.getByLabel(/category|coupon/i)).toHaveCount(0);
    await expect(payment.getByLabel('Marketing messages per contact, at most')).toHaveCount(0);
    await expect(payment.locator('.cartback-who-sends')).toContainText(
      'WooCommerce already emails shoppers about failed orders',
    );
  });

  await test.step('a refused lane keeps its edits and shows the message at its field; the others are saved', async () => {
    await browse.getByLabel('At most once per product per shopper within').fill('14');
    await winback.getByLabel('Products per message (1–3)').fill('2');
    await payment.getByLabel('Message 1: send after').fill('5');
    await expect(bar).toContainText('Unsaved changes: Payment reminders, Viewed products, Win-back');
    await bar.getByRole('button', { name: 'Save lane settings' }).click();

    await expect(bar).toContainText(
      'Not saved: Payment reminders (see the message in the section). Saved: Viewed products, Win-back.',
    );
    await expect(payment.locator('[data-step="0"] .cartback-field-error')).toContainText(
      'must not be earlier than inactivity_delay',
    );
    await expect(payment.getByText('Not saved: the sidecar refused the setting marked in red.')).toBeVisible();
    await expect(payment.getByLabel('Message 1: send after')).toHaveValue('5');
    await expect(browse.getByText('Saved in the sidecar.')).toBeVisible();
    await expect(winback.getByText('Saved in the sidecar.')).toBeVisible();
    expect(puts.sort(), 'only the changed lanes are sent').toEqual([
      'browse_abandonment',
      'payment_recovery',
      'winback',
    ]);

    expect((await stored('browse_abandonment')).repeat_after).toBe('P14D');
    expect((await stored('winback')).max_products).toBe(2);
    expect((await stored('payment_recovery')).steps[0]?.delay).toBe('PT30M');
    await testInfo.attach('lanes-refused', { body: await payment.screenshot(), contentType: 'image/png' });
  });

  await test.step('what was saved is there after a reload', async () => {
    await page.reload();
    await expect(browse.getByLabel('At most once per product per shopper within')).toHaveValue('14');
    await expect(winback.getByLabel('Products per message (1–3)')).toHaveValue('2');
    await expect(payment.getByLabel('Message 1: send after')).toHaveValue('30');
    await expect(bar).not.toContainText('Unsaved changes');
  });

  await test.step('saving with nothing changed sends nothing', async () => {
    puts.length = 0;
    await bar.getByRole('button', { name: 'Save lane settings' }).click();
    await expect(bar).toContainText('Nothing to save: no lane was changed.');
    expect(puts).toEqual([]);
  });
}

test('a cart message offers a discount and the store has a monthly budget; both are there after a reload', async ({
  page,
}, testInfo) => {
  // The one refusal provoked on purpose: a budget that is not an amount.
  const problems = await watch(page, /incentives/);

  const { was_connected: wasConnected } = siteStep<{ was_connected: boolean }>('connect');
  const before = await stored('abandoned_cart');
  const budgetBefore = await storedBudget();
  try {
    await discounts(page, testInfo);
  } finally {
    await restore('abandoned_cart', before);
    await restoreBudget(budgetBefore);
    if (!wasConnected) siteStep('disconnect');
  }
  expect(problems, 'no console errors').toEqual([]);
});

async function discounts(page: Page, testInfo: TestInfo): Promise<void> {
  await openScreen(page);
  const budget = page.locator('#cartback-discount-budget');
  const payment = page.locator('#cartback-lane-payment_recovery');
  const step = page.locator('#cartback-lane-abandoned_cart [data-step="0"]');
  const bar = page.locator('#cartback-lanes-save');
  const warning = budget.getByText('No discount goes out until you set a monthly budget');

  await test.step('a cart message offers ₹100 off, at most ₹150, above ₹999, for 3 days', async () => {
    await expect(budget.getByLabel('Monthly discount budget (INR)')).toHaveValue('0');
    await expect(payment.getByLabel('Offer a discount')).toHaveCount(0);
    await expect(warning).toHaveCount(0);
    await step.getByLabel('Offer a discount').check();
    await expect(warning).toBeVisible();
    await step.getByLabel('Discount type').selectOption('fixed');
    await step.getByLabel('Discount (INR)').fill('100');
    await step.getByLabel('Worth at most (INR)').fill('150');
    await step.getByLabel('Minimum spend (INR, optional)').fill('999.50');
    await step.getByLabel('Coupon expires after').fill('3');
    await step.getByLabel('Template without a discount').fill('cart_reminder_plain');
    await bar.getByRole('button', { name: 'Save lane settings' }).click();
    await expect(bar).toContainText('Saved in the sidecar: Abandoned carts.');
    expect((await stored('abandoned_cart')).steps[0]?.incentive).toEqual({
      type: 'fixed',
      amount: 10000,
      ceiling: 15000,
      expires_after: 'P3D',
      minimum_spend: 99950,
      template_without_incentive: 'cart_reminder_plain',
    });
  });

  await test.step('the budget: a refusal shown at the field, then ₹5,000 saved and this month shown', async () => {
    const field = budget.getByLabel('Monthly discount budget (INR)');
    await field.fill('lots');
    await budget.getByRole('button', { name: 'Save budget' }).click();
    await expect(budget.locator('.cartback-field-error')).toContainText('monthly_budget must be an integer ≥ 0');
    await field.fill('5000');
    await budget.getByRole('button', { name: 'Save budget' }).click();
    await expect(budget.getByText('Saved in the sidecar.')).toBeVisible();
    expect(await storedBudget()).toBe(500000);
    await expect(budget.locator('.cartback-field-error')).toHaveCount(0);
    await expect(budget.locator('.cartback-budget-use')).toContainText('₹5,000.00 remaining');
    await expect(warning).toHaveCount(0);
    await testInfo.attach('discounts', { body: await budget.screenshot(), contentType: 'image/png' });
  });

  await test.step('both are there after a reload', async () => {
    await page.reload();
    await expect(budget.getByLabel('Monthly discount budget (INR)')).toHaveValue('5000');
    await expect(step.getByLabel('Offer a discount')).toBeChecked();
    await expect(step.getByLabel('Discount type')).toHaveValue('fixed');
    await expect(step.getByLabel('Discount (INR)')).toHaveValue('100');
    await expect(step.getByLabel('Worth at most (INR)')).toHaveValue('150');
    await expect(step.getByLabel('Minimum spend (INR, optional)')).toHaveValue('999.50');
    await expect(step.getByLabel('Coupon expires after')).toHaveValue('3');
    await expect(bar).not.toContainText('Unsaved changes');
    await testInfo.attach('cart-step-discount', { body: await step.screenshot(), contentType: 'image/png' });
  });
}
