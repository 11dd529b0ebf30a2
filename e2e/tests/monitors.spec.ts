import { expect, test } from '@playwright/test';
import { sidecarExec, sidecarRows, siteStep } from '../support/site';

const WP_URL = process.env.CARTBACK_E2E_WP_URL ?? '';
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const DETAIL = '9 opt-outs over the last 200 sends (4.5%; the limit is 2%).';

interface Polled {
  polled: boolean;
  paused: string[];
}

test.afterAll(() => {
  // Whatever happened, the specs after this one find the lane sending.
  sidecarExec(
    "UPDATE monitor_events SET open_target = NULL, resumed_at = NOW(3), resumed_by = 'e2e-cleanup' WHERE open_target IS NOT NULL",
  );
});

test('a fired monitor shows its notice across wp-admin, and Resume on the Cartback screen clears it', async ({
  page,
}) => {
  expect(WP_URL, 'global-setup ran').toBeTruthy();
  await page.context().route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.fulfill({ status: 200, contentType: 'image/gif', body: PIXEL }),
  );
  siteStep('connect');

  // The monitors' pass fired on the abandoned-cart lane (as monitors/pass.ts records a firing).
  sidecarExec(
    `INSERT INTO monitor_events (store_id, monitor, target, reason, figures, detail, fired_at, open_target)
     VALUES (1, 'opt_out_rate', 'abandoned_cart', 'opt_out_rate_high', '{"sends":200,"opt_outs":9}', ?, NOW(3), 'abandoned_cart')`,
    [DETAIL],
  );
  // WP-Cron's 5-minute poll (DISABLE_WP_CRON on test sites: run as the cron would).
  expect(siteStep<Polled>('poll-monitors')).toMatchObject({ polled: true, paused: ['abandoned_cart'] });

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
    await expect(notice).toContainText(`The abandoned_cart messages are paused: ${DETAIL}`);
  }

  await page.locator('#cartback-monitor-notice a', { hasText: 'Review and resume' }).click();
  const section = page.locator('#cartback-monitors');
  await expect(section).toBeVisible();
  await expect(section.locator('.cartback-monitor-active')).toContainText(DETAIL);
  await section.getByRole('button', { name: 'Resume' }).click();
  await expect(section.locator('[data-state="clear"]')).toHaveText('Nothing is paused.');

  expect(
    sidecarRows<{ open_target: string | null; resumed_by: string }>(
      "SELECT open_target, resumed_by FROM monitor_events WHERE target = 'abandoned_cart' ORDER BY id DESC LIMIT 1",
    ),
  ).toEqual([{ open_target: null, resumed_by: 'admin' }]);

  // The notice goes at once (the Resume refreshed the cached state), on every page.
  await page.goto(`${WP_URL}/wp-admin/index.php`);
  await expect(page.locator('#wpadminbar')).toBeVisible();
  await expect(page.locator('#cartback-monitor-notice')).toHaveCount(0);
});
