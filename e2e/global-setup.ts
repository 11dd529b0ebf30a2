import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pointTemplateLinksAt } from './support/fake-whatsapp';
import { dropDatabase, run, start, stop, waitForHttp, type Proc } from './support/processes';

/**
 * The whole system for one run: builds the sidecar and the admin screen, creates a throwaway
 * WordPress 6.1 site (Debian's package, a fresh MariaDB database, the plugin linked in, the
 * WooCommerce TEST DOUBLE with its storefront pages) served by `php -S`, and starts the fake
 * WhatsApp Cloud API (the project's TEST DOUBLE of Meta's API) with a real sidecar on a fresh
 * database that sends through it, its recovery engine ticking every second — the demo's
 * `startSystem`, the same pair the sidecar's own system tests run. The tests read where everything is
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
  // Loaded once built, compiled (the demo's system runs the compiled sidecar and fake).
  const { freePort, startSystem } = require(
    join(ROOT, 'service/dist/src/demo/system.js'),
  ) as typeof import('../service/src/demo/system');
  const wpPort = await freePort();
  const wpUrl = `http://127.0.0.1:${wpPort}`;

  let wp: Proc | undefined;
  let system: Awaited<ReturnType<typeof startSystem>> | undefined;
  const teardown = async () => {
    await Promise.all([stop(wp), system?.stop()]);
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
    system = await startSystem({ databaseUrl: `mysql://root@127.0.0.1:3306/${sidecarDb}`, storeUrl: wpUrl });
    await pointTemplateLinksAt(system.fakeUrl, system.sidecarUrl, system.sidecarEnv);
    await waitForHttp(`${wpUrl}/wp-login.php`, wp);
    process.env.CARTBACK_E2E_WP_CONFIG = siteEnv.CARTBACK_WP_CONFIG;
    process.env.CARTBACK_E2E_WP_CONTENT = siteEnv.CARTBACK_WP_CONTENT;
  } catch (error) {
    await teardown();
    throw error;
  }

  process.env.CARTBACK_E2E_WP_URL = wpUrl;
  process.env.CARTBACK_E2E_SIDECAR_URL = system.sidecarUrl;
  process.env.CARTBACK_E2E_SECRET = system.secret;
  process.env.CARTBACK_E2E_SIDECAR_DB = sidecarDb;
  process.env.CARTBACK_E2E_FAKE_URL = system.fakeUrl;
  // The sidecar's WhatsApp app secret, for specs that deliver a signed webhook as Meta would.
  process.env.CARTBACK_E2E_WHATSAPP_APP_SECRET = system.sidecarEnv.WHATSAPP_APP_SECRET ?? '';
  return teardown;
}
