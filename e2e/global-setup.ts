import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dropDatabase, freePort, run, start, stop, waitForHttp, type Proc } from './support/processes';

/**
 * The whole system for one run: builds the sidecar and the admin screen, creates a throwaway
 * WordPress 6.1 site (Debian's package, a fresh MariaDB database, the plugin linked in, the
 * WooCommerce TEST DOUBLE) served by `php -S`, and starts a real sidecar on a fresh database.
 * The tests read where everything is from CARTBACK_E2E_* variables; the returned function tears
 * it all down (processes stopped, both databases dropped, the site's folder removed).
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
  const [wpPort, sidecarPort] = [await freePort(), await freePort()];
  const wpUrl = `http://127.0.0.1:${wpPort}`;
  const sidecarUrl = `http://127.0.0.1:${sidecarPort}`;
  const secret = `e2e-${randomBytes(24).toString('hex')}`;

  let wp: Proc | undefined;
  let sidecar: Proc | undefined;
  const teardown = async () => {
    await Promise.all([stop(wp), stop(sidecar)]);
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
    sidecar = start('sidecar', process.execPath, [join(ROOT, 'service/dist/src/main.js')], {
      DATABASE_URL: `mysql://root@127.0.0.1:3306/${sidecarDb}`,
      PORT: String(sidecarPort),
      PUBLIC_BASE_URL: sidecarUrl,
      CARTBACK_SECRET: secret,
      STORE_URL: wpUrl,
      LOG_LEVEL: 'warn',
      ENGINE_TICK_SECONDS: '59',
    });
    await Promise.all([waitForHttp(`${wpUrl}/wp-login.php`, wp), waitForHttp(`${sidecarUrl}/readyz`, sidecar)]);
  } catch (error) {
    await teardown();
    throw error;
  }

  process.env.CARTBACK_E2E_WP_URL = wpUrl;
  process.env.CARTBACK_E2E_SIDECAR_URL = sidecarUrl;
  process.env.CARTBACK_E2E_SECRET = secret;
  return teardown;
}
