import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { sandboxMessages, type SandboxMessage } from '../support/fake-whatsapp';
import { sidecarAdmin, type LaneSettings } from '../support/sidecar';
import { sidecarRows, siteStep } from '../support/site';

/**
 * The product's promise through a real browser, on the classic checkout: a shopper fills in their
 * details, ticks the WhatsApp opt-in and leaves; the outbox reaches the sidecar, which sends the
 * first reminder through the fake WhatsApp Cloud API (a test double of Meta's API); the reminder's
 * link, opened on the shopper's phone (a browser context without cookies), rebuilds the cart at
 * the checkout, filled in as they left it, the opt-in ticked.
 * The store is WordPress with the plugin and the WooCommerce TEST DOUBLE's storefront pages.
 */

const WP_URL = process.env.CARTBACK_E2E_WP_URL ?? '';
const SIDECAR_URL = process.env.CARTBACK_E2E_SIDECAR_URL ?? '';
const SECRET = process.env.CARTBACK_E2E_SECRET ?? '';
const FAKE_URL = process.env.CARTBACK_E2E_FAKE_URL ?? '';
const SCREENSHOT = join(__dirname, '..', 'artifacts', 'restored-checkout.png');

const CONSENT_TEXT = 'Send me my cart & order updates, and occasional offers, on WhatsApp. Reply STOP any time.';
const PRODUCT = 'Handloom cotton kurta';
const TYPED_PHONE = '98123 45678'; // Typed as a shopper in India does; the store's country is IN.
const PHONE = '+919812345678';
const EMAIL = 'anna@example.com';
/** What the shopper types in the billing form (field name suffix → value). */
const BILLING = {
  first_name: 'Anna',
  last_name: 'Sharma',
  address_1: '12 MG Road',
  city: 'Bengaluru',
  postcode: '560001',
};
/** A gift: shipped to someone else, typed under "Ship to a different address?". */
const SHIPPING = {
  first_name: 'Ravi',
  last_name: 'Rao',
  address_1: '1 Residency Road',
  city: 'Bengaluru',
  postcode: '560025',
};

/** Nothing leaves the machine; every console error and uncaught exception of the context is kept. */
async function watch(context: BrowserContext, errors: string[]): Promise<void> {
  await context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort(),
  );
  context.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} @ ${message.location().url}`);
  });
  context.on('weberror', (error) => errors.push(`pageerror: ${error.error().message}`));
}

/** The first message the fake received for the phone, once it has. */
async function firstMessageTo(phone: string): Promise<SandboxMessage> {
  let found: SandboxMessage | undefined;
  await expect
    .poll(async () => (found = (await sandboxMessages(FAKE_URL)).find((m) => m.to === phone)), {
      message: 'the first reminder reaches the fake WhatsApp Cloud API',
      timeout: 30_000,
    })
    .toBeTruthy();
  return found as SandboxMessage;
}

/** The page is the store's cart page (where a restore link that fails sends the visitor). */
async function expectCartPage(page: Page): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${WP_URL.replace(/[.]/g, '\\.')}/\\?page_id=\\d+$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Cart');
}

let wasConnected = false;
let laneBefore: LaneSettings | undefined;
let consent = { text: '', version: 0 };

// The store is connected to the sidecar, with its own opt-in wording, and the first reminder
// falls due a second after a cart is left, at any hour, for everyone (no holdout).
test.beforeAll(async () => {
  expect(WP_URL && SIDECAR_URL && SECRET && FAKE_URL, 'global-setup ran').toBeTruthy();
  const connected = siteStep<{ was_connected: boolean; consent: typeof consent }>('connect', {
    CARTBACK_E2E_SIDECAR_URL: SIDECAR_URL,
    CARTBACK_E2E_SECRET: SECRET,
    CARTBACK_E2E_CONSENT_TEXT: CONSENT_TEXT,
  });
  wasConnected = connected.was_connected;
  consent = connected.consent;
  expect(consent.text).toBe(CONSENT_TEXT);
  laneBefore = (await sidecarAdmin('GET', '/v1/admin/lanes/abandoned_cart')).settings;
  await sidecarAdmin('PUT', '/v1/admin/lanes/abandoned_cart', {
    ...laneBefore,
    inactivity_delay: 'PT1S',
    holdout_percent: 0,
    quiet_hours: { start: '00:00', end: '00:00' }, // start = end: no quiet hours
    steps: laneBefore.steps.map((step, i) => (i === 0 ? { ...step, delay: 'PT1S' } : step)),
  });
});

test.afterAll(async () => {
  // Leave the shared site and sidecar as they were for the other spec files.
  if (laneBefore) await sidecarAdmin('PUT', '/v1/admin/lanes/abandoned_cart', laneBefore);
  if (!wasConnected) siteStep('disconnect');
});

test('a shopper who ticked the WhatsApp opt-in and left gets a reminder whose link rebuilds the cart on their phone', async ({
  page,
  browser,
}, testInfo) => {
  const errors: string[] = [];
  await watch(page.context(), errors);

  let checkoutUrl = '';
  await test.step('the shopper adds a product to the cart and goes to the checkout', async () => {
    await page.goto(`${WP_URL}/`);
    await page.getByRole('link', { name: `Add to cart: “${PRODUCT}”` }).click();
    await expect(page.locator('.woocommerce-message')).toContainText(`“${PRODUCT}” has been added to your cart.`);
    await page.locator('.woocommerce-message').getByRole('link', { name: 'View cart' }).click();
    await expect(page.locator('.cart_item')).toContainText(PRODUCT);
    await page.getByRole('link', { name: 'Proceed to checkout' }).click();
    await expect(page.locator('#order_review')).toContainText(PRODUCT);
    checkoutUrl = page.url();
  });

  await test.step('fills in the billing and shipping addresses, a phone and an email, and ticks the opt-in, unticked on arrival and worded as configured', async () => {
    const optin = page.locator('#cartback_whatsapp_optin');
    await expect(optin).not.toBeChecked();
    await expect(page.locator('#cartback_whatsapp_optin_field label')).toContainText(CONSENT_TEXT);
    for (const [field, value] of Object.entries(BILLING)) await page.locator(`#billing_${field}`).fill(value);
    await page.locator('#billing_phone').fill(TYPED_PHONE);
    await page.locator('#billing_email').fill(EMAIL);
    // The address typed last reaches the server after the pause, before the tick.
    const typed = page.waitForResponse(
      (res) =>
        res.url().includes('cartback/v1/checkout/contact') &&
        res.request().postDataJSON()?.shipping?.postcode === SHIPPING.postcode,
    );
    await page.locator('#ship-to-different-address-checkbox').check();
    for (const [field, value] of Object.entries(SHIPPING)) await page.locator(`#shipping_${field}`).fill(value);
    expect((await typed).status()).toBe(200);
    const tick = page.waitForResponse(
      (res) => res.url().includes('cartback/v1/checkout/contact') && res.request().postDataJSON()?.optin === true,
    );
    await optin.check();
    const answer = await tick;
    expect(answer.status()).toBe(200);
    expect(await answer.json()).toMatchObject({ consent: 2 }); // marketing and utility, from one box
    await page.close(); // and leaves, without ordering
  });

  await test.step('the opt-in reaches the sidecar at once, with what waited before it: the consent, word for word, and the cart', async () => {
    // No background job runs here: the tick is a journey-ending fact, delivered when its request ends.
    const entry = { action: 'granted', source: 'checkout_classic', phone: PHONE, email: EMAIL, text: CONSENT_TEXT };
    const ledgerRows = () =>
      sidecarRows<Record<string, string | number>>(
        'SELECT scope, action, source, phone, email, text, text_version FROM consent_ledger WHERE phone = ? ORDER BY scope',
        [PHONE],
      );
    await expect.poll(() => ledgerRows().length, { timeout: 10_000 }).toBe(2);
    const ledger = ledgerRows();
    expect(ledger).toEqual([
      { scope: 'marketing', ...entry, text_version: consent.version },
      { scope: 'utility', ...entry, text_version: consent.version },
    ]);
    const carts = sidecarRows<{ status: string; item_count: number; lines: string; first_name: string }>(
      'SELECT c.status, c.item_count, c.lines, p.first_name FROM carts c JOIN contacts p ON p.id = c.contact_id WHERE p.phone = ?',
      [PHONE],
    );
    expect(carts).toHaveLength(1);
    expect(carts[0]).toMatchObject({ status: 'active', item_count: 1, first_name: 'Anna' });
    expect(JSON.parse(carts[0]?.lines ?? '[]')).toMatchObject([{ product_id: 42, name: PRODUCT, quantity: 1 }]);
  });

  let link = '';
  await test.step('the sidecar sends the first reminder through the fake WhatsApp Cloud API', async () => {
    const message = await firstMessageTo(PHONE);
    expect(message.template?.name).toBe('cart_reminder_1');
    expect(message.body).toContain('Anna');
    expect(message.body).toContain(PRODUCT);
    link = message.buttons?.find((button) => button.type === 'URL')?.url ?? '';
    expect(link).toMatch(new RegExp(`^${SIDECAR_URL}/r/[A-Za-z0-9_-]+$`));
  });

  const phone = await browser.newContext();
  await watch(phone, errors);
  const onPhone = await phone.newPage();
  let token = '';
  await test.step('the link, opened on the phone, ends at the checkout with the cart rebuilt and everything filled in as it was left', async () => {
    onPhone.on('request', (request) => {
      token ||= new URL(request.url()).searchParams.get('cartback_restore') ?? '';
    });
    await onPhone.goto(link);
    // The checkout, tagged so WooCommerce's own Order Attribution credits the order to WhatsApp.
    const tagged = new URL(checkoutUrl);
    tagged.searchParams.set('utm_source', 'whatsapp');
    tagged.searchParams.set('utm_medium', 'cartback');
    tagged.searchParams.set('utm_campaign', 'abandoned_cart');
    await expect(onPhone).toHaveURL(tagged.toString());
    await expect(onPhone.locator('#order_review .cart_item')).toContainText(`${PRODUCT} × 1`);
    for (const [field, value] of Object.entries(BILLING))
      await expect(onPhone.locator(`#billing_${field}`)).toHaveValue(value);
    await expect(onPhone.locator('#billing_phone')).toHaveValue(PHONE);
    await expect(onPhone.locator('#billing_email')).toHaveValue(EMAIL);
    await expect(onPhone.locator('#ship-to-different-address-checkbox')).toBeChecked();
    for (const [field, value] of Object.entries(SHIPPING)) {
      await expect(onPhone.locator(`#shipping_${field}`)).toBeVisible();
      await expect(onPhone.locator(`#shipping_${field}`)).toHaveValue(value);
    }
    await expect(onPhone.locator('#cartback_whatsapp_optin'), 'the opt-in shows the consent given').toBeChecked();
    await expect(onPhone.locator('#wpadminbar')).toHaveCount(0);
    const cookies = (await phone.cookies()).map((cookie) => cookie.name);
    expect(
      cookies.filter((name) => name.startsWith('wordpress_logged_in_')),
      'nobody is logged in',
    ).toEqual([]);
    expect(cookies.some((name) => name.startsWith('wp_woocommerce_session_'))).toBe(true);
    const known = (await phone.cookies()).find((cookie) => cookie.name === 'cartback_known');
    expect(known?.value, 'the link made this browser a known one (the contact consented)').toMatch(
      /^1\.[0-9a-f]{32}\.[0-9a-f]{64}$/,
    );
    expect(known?.value).not.toContain(PHONE.replace(/\D/g, '').slice(-10));
    expect([known?.httpOnly, known?.sameSite, known?.secure]).toEqual([true, 'Lax', false]);
    const code = link.split('/r/')[1] ?? '';
    expect(sidecarRows('SELECT id FROM clicks WHERE code = ?', [code]), 'the sidecar recorded the tap').toHaveLength(1);
    mkdirSync(join(__dirname, '..', 'artifacts'), { recursive: true });
    await onPhone.screenshot({ path: SCREENSHOT, fullPage: true });
    await testInfo.attach('restored-checkout', { path: SCREENSHOT, contentType: 'image/png' });
  });

  await test.step('a tampered link shows a notice on the cart page, and the cart is still there', async () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const tampered = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    await onPhone.goto(`${WP_URL}/?cartback_restore=${tampered}`);
    await expectCartPage(onPhone);
    await expect(onPhone.locator('.woocommerce-error')).toContainText('This link has expired or is not valid.');
    await expect(onPhone.locator('.cart_item')).toContainText(PRODUCT);
  });
  await phone.close();

  expect(errors, 'no JavaScript console errors').toEqual([]);
});

test('a tampered link opened on a phone that has no session with the store shows its notice on the cart page', async ({
  browser,
}) => {
  const errors: string[] = [];
  const phone = await browser.newContext();
  await watch(phone, errors);
  const page = await phone.newPage();
  const garbage = randomBytes(32).toString('base64url');
  await page.goto(`${WP_URL}/?cartback_restore=${garbage}`);
  await expectCartPage(page);
  await expect(page.locator('.woocommerce-error')).toContainText('This link has expired or is not valid.');
  await phone.close();
  expect(errors, 'no JavaScript console errors').toEqual([]);
});
