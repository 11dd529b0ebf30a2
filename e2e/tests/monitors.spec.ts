import { createHmac } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { sidecarExec, sidecarRows, siteStep } from '../support/site';

const WP_URL = process.env.CARTBACK_E2E_WP_URL ?? '';
const SIDECAR_URL = process.env.CARTBACK_E2E_SIDECAR_URL ?? '';
const APP_SECRET = process.env.CARTBACK_E2E_WHATSAPP_APP_SECRET ?? '';
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const DETAIL = "WhatsApp reports the number's quality as FLAGGED: all sending is paused before Meta lowers its limit.";

interface Polled {
  polled: boolean;
  paused: string[];
}

/** Meta's phone_number_quality_update, signed with the app secret as Meta signs it. */
async function qualityWebhook(event: string): Promise<number> {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'phone_number_quality_update',
            value: { display_phone_number: '15550001234', event, current_limit: 'TIER_1K' },
          },
        ],
      },
    ],
  });
  const signature = createHmac('sha256', APP_SECRET).update(body).digest('hex');
  const res = await fetch(`${SIDECAR_URL}/v1/webhooks/whatsapp/cloud`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': `sha256=${signature}` },
    body,
  });
  return res.status;
}

const openPauses = () =>
  sidecarRows<{ target: string }>('SELECT target FROM monitor_events WHERE open_target IS NOT NULL').map(
    (r) => r.target,
  );

test.afterAll(() => {
  // Whatever happened, the specs after this one find sending on.
  sidecarExec(
    "UPDATE monitor_events SET open_target = NULL, resumed_at = NOW(3), resumed_by = 'e2e-cleanup' WHERE open_target IS NOT NULL",
  );
});

test("the number's quality falls: a notice across wp-admin, and Resume on the Cartback screen clears it", async ({
  page,
}) => {
  expect(WP_URL && SIDECAR_URL && APP_SECRET, 'global-setup ran').toBeTruthy();
  await page.context().route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.fulfill({ status: 200, contentType: 'image/gif', body: PIXEL }),
  );
  siteStep('connect');

  // Meta flags the number; the sidecar's monitors pass runs at once and pauses all sending.
  expect(await qualityWebhook('FLAGGED')).toBe(200);
  await expect.poll(openPauses).toEqual(['all']);
  // WP-Cron's 5-minute poll (DISABLE_WP_CRON on test sites: run as the cron would).
  expect(siteStep<Polled>('poll-monitors')).toMatchObject({ polled: true, paused: ['all'] });

  await page.goto(`${WP_URL}/wp-login.php`);
  await page.locator('#user_login').fill('admin');
  await page.locator('#user_pass').fill('admin-password');
  await page.locator('#wp-submit').click();
  await expect(page.locator('#wpadminbar')).toBeVisible();

  // Any wp-admin page: the dashboard, then the posts list.
  for (const path of ['/wp-admin/index.php', '/wp-admin/edit.php']) {
    await page.goto(WP_URL + path);
    const notice = page.locator('#cartback-monitor-notice');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('Cartback paused sending before WhatsApp does.');
    await expect(notice).toContainText(`All WhatsApp sending is paused: ${DETAIL}`);
  }

  await page.locator('#cartback-monitor-notice a', { hasText: 'Review and resume' }).click();
  const section = page.locator('#cartback-monitors');
  await expect(section).toBeVisible();
  await expect(section.locator('.cartback-monitor-active')).toContainText(DETAIL);
  await section.getByRole('button', { name: 'Resume' }).click();
  await expect(section.locator('[data-state="clear"]')).toHaveText('Nothing is paused.');

  expect(openPauses()).toEqual([]);
  expect(
    sidecarRows<{ monitor: string; resumed_by: string }>(
      "SELECT monitor, resumed_by FROM monitor_events WHERE target = 'all' ORDER BY id DESC LIMIT 1",
    ),
  ).toEqual([{ monitor: 'number_quality', resumed_by: 'admin' }]);

  // The notice goes at once (the Resume refreshed the cached state), on every page.
  await page.goto(`${WP_URL}/wp-admin/index.php`);
  await expect(page.locator('#wpadminbar')).toBeVisible();
  await expect(page.locator('#cartback-monitor-notice')).toHaveCount(0);
});
