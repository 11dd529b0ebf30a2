import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FAKE_WHATSAPP, pointTemplateLinksAt } from './support/fake-whatsapp';
import { dropDatabase, freePort, run, start, stop, waitForHttp, type Proc } from './support/processes';

/**
 * The whole system for one run: builds the sidecar and the admin screen, creates a throwaway
 * WordPress 6.1 site (Debian's package, a fresh MariaDB database, the plugin linked in, the
 * WooCommerce TEST DOUBLE with its storefront pages) served by `php -S`, starts the fake WhatsApp
 * Cloud API (the project's TEST DOUBLE of Meta's API) and a real sidecar on a fresh database that
 * sends through it, its recovery engine ticking every second. The tests read where everything is
 * from CARTBACK_E2E_* variables; the returned function tears it all down (processes stopped,
 * both databases dropped, the site's folder removed).
 */

const ROOT = resolve(__dirname, '..');
const PLUGIN = join(ROOT, 'plugin');

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!process.env.CARTBACK_E2E_SKIP_BUILD) {
    run('npm', ['run', '-s', 'build'], ROOT);
    run('npm', ['run', '-s', 'plugin:build'], ROOT);
  }

  const runId = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const wpDb = `cartback_e2e_wp_${runId}`;
  const sidecarDb = `cartback_e2e_sidecar_${runId}`;
  const siteDir = join(tmpdir(), wpDb);
  const [wpPort, sidecarPort, fakePort] = [await freePort(), await freePort(), await freePort()];
  const wpUrl = `http://127.0.0.1:${wpPort}`;
  const sidecarUrl = `http://127.0.0.1:${sidecarPort}`;
  const fakeUrl = `http://127.0.0.1:${fakePort}`;
  const secret = `e2e-${randomBytes(24).toString('hex')}`;

  let wp: Proc | undefined;
  let sidecar: Proc | undefined;
  let fake: Proc | undefined;
  const teardown = async () => {
    await Promise.all([stop(wp), stop(sidecar), stop(fake)]);
    if (process.env.CARTBACK_KEEP_SITE) {
      process.stderr.write(`Kept the e2e site in ${siteDir} (databases ${wpDb}, ${sidecarDb})\n`);
      return;
    }
    dropDatabase(wpDb);
    dropDatabase(sidecarDb);
    rmSync(siteDir, { recursive: true, force: true });
  };

  try {
    const siteEnv = JSON.parse(
      run(
        'php',
        [join(PLUGIN, 'tests/env/install-site.php'), `--dir=${siteDir}`, `--db=${wpDb}`, `--url=${wpUrl}`],
        ROOT,
      ),
    ) as Record<string, string>;
    wp = start(
      'php -S',
      'php',
      ['-S', `127.0.0.1:${wpPort}`, '-t', '/usr/share/wordpress', join(PLUGIN, 'tests/env/router.php')],
      siteEnv,
    );
    fake = start('fake WhatsApp Cloud API', process.execPath, [join(ROOT, 'service/dist/src/fake-whatsapp/main.js')], {
      PORT: String(fakePort),
      FAKE_WEBHOOK_URL: `${sidecarUrl}/v1/webhooks/whatsapp/cloud`,
      FAKE_APP_SECRET: FAKE_WHATSAPP.appSecret,
      FAKE_ACCESS_TOKEN: FAKE_WHATSAPP.accessToken,
      FAKE_PHONE_NUMBER_ID: FAKE_WHATSAPP.phoneNumberId,
      FAKE_WABA_ID: FAKE_WHATSAPP.wabaId,
      LOG_LEVEL: 'warn',
    });
    await waitForHttp(`${fakeUrl}/_sandbox/health`, fake);
    await pointTemplateLinksAt(fakeUrl, sidecarUrl);
    sidecar = start('sidecar', process.execPath, [join(ROOT, 'service/dist/src/main.js')], {
      DATABASE_URL: `mysql://root@127.0.0.1:3306/${sidecarDb}`,
      PORT: String(sidecarPort),
      PUBLIC_BASE_URL: sidecarUrl,
      CARTBACK_SECRET: secret,
      STORE_URL: wpUrl,
      LOG_LEVEL: 'warn',
      ENGINE_TICK_SECONDS: '1',
      WHATSAPP_API_URL: fakeUrl,
      WHATSAPP_API_VERSION: FAKE_WHATSAPP.apiVersion,
      WHATSAPP_ACCESS_TOKEN: FAKE_WHATSAPP.accessToken,
      WHATSAPP_PHONE_NUMBER_ID: FAKE_WHATSAPP.phoneNumberId,
      WHATSAPP_WABA_ID: FAKE_WHATSAPP.wabaId,
      WHATSAPP_APP_SECRET: FAKE_WHATSAPP.appSecret,
      WHATSAPP_VERIFY_TOKEN: 'e2e-verify-token',
    });
    await Promise.all([waitForHttp(`${wpUrl}/wp-login.php`, wp), waitForHttp(`${sidecarUrl}/readyz`, sidecar)]);
    process.env.CARTBACK_E2E_WP_CONFIG = siteEnv.CARTBACK_WP_CONFIG;
    process.env.CARTBACK_E2E_WP_CONTENT = siteEnv.CARTBACK_WP_CONTENT;
  } catch (error) {
    await teardown();
    throw error;
  }

  process.env.CARTBACK_E2E_WP_URL = wpUrl;
  process.env.CARTBACK_E2E_SIDECAR_URL = sidecarUrl;
  process.env.CARTBACK_E2E_SECRET = secret;
  process.env.CARTBACK_E2E_SIDECAR_DB = sidecarDb;
  process.env.CARTBACK_E2E_FAKE_URL = fakeUrl;
  return teardown;
}
