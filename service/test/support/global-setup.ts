import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { testServerUrl } from './db';

/**
 * Builds the sidecar (the process tests run the compiled `main.js` and `cli.js`, as `npm start`
 * does) and fails fast, with what to do, when MariaDB is not there.
 */
export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '../../..');
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'shared', 'service'], {
    cwd: root,
    stdio: 'inherit',
  });
  const url = new URL(testServerUrl());
  try {
    const conn = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
    });
    await conn.end();
  } catch (error) {
    throw new Error(
      `The integration tests need MariaDB/MySQL at ${url.host} (TEST_DATABASE_URL): ${(error as Error).message}. ` +
        'Start it (bash .ci/run does) and run the tests again.',
    );
  }
}
