import { join, resolve } from 'node:path';
import { run } from './processes';

/**
 * The test run's WordPress site and sidecar database, reached the way the PHP tests reach them:
 * steps inside the site run by plugin/tests/env/wp-run.php, and the sidecar's tables read through
 * PHP's mysqli (as processes.ts drops databases), so the tests see exactly what is stored.
 */

const ROOT = resolve(__dirname, '..', '..');

export type SiteStep = 'connect' | 'disconnect' | 'deliver' | 'poll-monitors';

/** Runs one step of wp-steps.php inside the site; returns its JSON answer. */
export function siteStep<T>(step: SiteStep, env: Record<string, string> = {}): T {
  const out = run('php', [join(ROOT, 'plugin/tests/env/wp-run.php'), 'eval', join(__dirname, 'wp-steps.php')], ROOT, {
    CARTBACK_WP_CONFIG: process.env.CARTBACK_E2E_WP_CONFIG ?? '',
    CARTBACK_WP_CONTENT: process.env.CARTBACK_E2E_WP_CONTENT ?? '',
    CARTBACK_E2E_STEP: step,
    ...env,
  });
  const answer = out.trim().split('\n').pop() ?? '';
  return JSON.parse(answer) as T;
}

const QUERY = [
  '$db = new mysqli("127.0.0.1", "root", "", getenv("CARTBACK_E2E_QUERY_DB"), 3306);',
  '$db->set_charset("utf8mb4");',
  '$statement = $db->prepare($argv[1]);',
  '$params = json_decode($argv[2], true);',
  'if ($params) { $statement->bind_param(str_repeat("s", count($params)), ...$params); }',
  '$statement->execute();',
  'echo json_encode($statement->get_result()->fetch_all(MYSQLI_ASSOC));',
].join(' ');

/** The rows of a SELECT on the sidecar's database (`?` placeholders, string parameters). */
export function sidecarRows<T>(sql: string, params: string[] = []): T[] {
  const out = run('php', ['-r', QUERY, '--', sql, JSON.stringify(params)], ROOT, {
    CARTBACK_E2E_QUERY_DB: process.env.CARTBACK_E2E_SIDECAR_DB ?? '',
  });
  return JSON.parse(out) as T[];
}

const EXEC = [
  '$db = new mysqli("127.0.0.1", "root", "", getenv("CARTBACK_E2E_QUERY_DB"), 3306);',
  '$db->set_charset("utf8mb4");',
  '$statement = $db->prepare($argv[1]);',
  '$params = json_decode($argv[2], true);',
  'if ($params) { $statement->bind_param(str_repeat("s", count($params)), ...$params); }',
  '$statement->execute();',
  'echo json_encode($statement->affected_rows);',
].join(' ');

/** Runs a statement that changes the sidecar's database (`?` placeholders); returns the rows it changed. */
export function sidecarExec(sql: string, params: string[] = []): number {
  const out = run('php', ['-r', EXEC, '--', sql, JSON.stringify(params)], ROOT, {
    CARTBACK_E2E_QUERY_DB: process.env.CARTBACK_E2E_SIDECAR_DB ?? '',
  });
  return JSON.parse(out) as number;
}
