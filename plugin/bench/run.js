#!/usr/bin/env node
// `npm run bench:plugin`: what a storefront request pays for the plugin. Two throwaway WordPress
// sites on this machine's MariaDB — one with Cartback active, one without — run the same
// simulated cart-changing requests in alternating rounds (A B A B …, so drift hits both), and the
// difference in per-request time is the plugin's cost, printed in milliseconds and as a ratio.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const net = require('node:net');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ENV_DIR = path.resolve(__dirname, '..', 'tests', 'env');
const ROUNDS = Number(process.env.CARTBACK_BENCH_ROUNDS ?? 5);
const ITERATIONS = Number(process.env.CARTBACK_BENCH_ITERATIONS ?? 2000);
const TARGET_MS = 1;

function mysql(sql) {
  execFileSync('mariadb', ['--protocol=tcp', '-h127.0.0.1', '-uroot', '-e', sql]);
}

function createSite(name, port, flags) {
  const db = `cartback_bench_${name}_${process.pid}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cartback-bench-${name}-`));
  const out = execFileSync(
    'php',
    [path.join(ENV_DIR, 'install-site.php'), `--dir=${dir}`, `--db=${db}`, `--url=http://127.0.0.1:${port}`, ...flags],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return { name, db, dir, port, env: { ...process.env, ...JSON.parse(out.toString()) } };
}

function runSide(site) {
  const out = execFileSync(
    'php',
    [path.join(ENV_DIR, 'wp-run.php'), 'eval', path.join(__dirname, 'cart-request.php')],
    {
      env: { ...site.env, CARTBACK_BENCH_ITERATIONS: String(ITERATIONS) },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const text = out.toString();
  return JSON.parse(text.slice(text.indexOf('{')));
}

const PAGE_LOADS = Number(process.env.CARTBACK_BENCH_PAGE_LOADS ?? 60);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The whole storefront page (WordPress, the theme, and the plugin's boot when active) over HTTP
 * from `php -S`, both sites served at once and asked in turn (A B A B …), so drift hits both:
 * per-load times in ms, after a warm-up. Context for the per-request figure above.
 */
async function pageLoads(sites) {
  const servers = sites.map((site) =>
    spawn('php', ['-S', `127.0.0.1:${site.port}`, '-t', '/usr/share/wordpress', path.join(ENV_DIR, 'router.php')], {
      env: site.env,
      stdio: 'ignore',
    }),
  );
  const load = async (site) => {
    const start = process.hrtime.bigint();
    const res = await fetch(`http://127.0.0.1:${site.port}/`, { redirect: 'manual' });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET / answered ${res.status} on the ${site.name} site`);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  try {
    for (const site of sites) {
      for (let i = 0; i < 100; i++) {
        const up = await fetch(`http://127.0.0.1:${site.port}/`).then(
          (r) => r.ok,
          () => false,
        );
        if (up) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const times = sites.map(() => []);
    for (let i = 0; i < PAGE_LOADS + 5; i++) {
      for (const [n, site] of sites.entries()) {
        const ms = await load(site);
        if (i >= 5) times[n].push(ms);
      }
    }
    return times;
  } finally {
    for (const server of servers) server.kill();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const active = createSite('active', await freePort(), []);
  const inactive = createSite('inactive', await freePort(), ['--no-activate']);
  try {
    const results = { active: [], inactive: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const site of round % 2 === 0 ? [active, inactive] : [inactive, active]) {
        const r = runSide(site);
        if (r.active !== (site === active))
          throw new Error(`the ${site.name} site had the plugin ${r.active ? 'loaded' : 'missing'}`);
        results[site.name].push(r);
      }
    }
    const summary = (rs) => ({
      median_ms: median(rs.map((r) => r.median_us)) / 1000,
      p90_ms: median(rs.map((r) => r.p90_us)) / 1000,
      p99_ms: median(rs.map((r) => r.p99_us)) / 1000,
      queries: median(rs.map((r) => r.queries_per_req)),
      http: rs.reduce((n, r) => n + r.http_calls, 0),
    });
    const a = summary(results.active);
    const b = summary(results.inactive);
    const added = a.median_ms - b.median_ms;
    const [pageActive, pageInactive] = (await pageLoads([active, inactive])).map(median);
    const fmt = (x) => x.toFixed(3);
    process.stdout.write(
      [
        `Cart-changing storefront request (add 2 products, change a quantity, end of request), ${ROUNDS} alternating rounds × ${ITERATIONS} requests`,
        '',
        '| plugin | median ms | p90 ms | p99 ms | DB queries / request | HTTP calls |',
        '| --- | --- | --- | --- | --- | --- |',
        `| inactive (baseline) | ${fmt(b.median_ms)} | ${fmt(b.p90_ms)} | ${fmt(b.p99_ms)} | ${b.queries} | ${b.http} |`,
        `| active | ${fmt(a.median_ms)} | ${fmt(a.p90_ms)} | ${fmt(a.p99_ms)} | ${a.queries} | ${a.http} |`,
        '',
        `added per request: ${fmt(added)} ms (median; target < ${TARGET_MS} ms) — ratio active / inactive ${(a.median_ms / b.median_ms).toFixed(2)}×`,
        `network calls during requests: ${a.http} (target 0)`,
        '',
        `for scale, a whole storefront page over HTTP (WordPress, theme, plugin boot; median of ${PAGE_LOADS}): ${fmt(pageInactive)} ms without the plugin, ${fmt(pageActive)} ms with it (${(pageActive / pageInactive).toFixed(2)}×); the cart-change cost above is ${((100 * added) / pageInactive).toFixed(1)}% of such a page`,
        `verdict: ${added < TARGET_MS && a.http === 0 ? 'target met' : 'TARGET NOT MET'}`,
        '',
      ].join('\n'),
    );
  } finally {
    for (const site of [active, inactive]) {
      mysql(`DROP DATABASE IF EXISTS \`${site.db}\``);
      fs.rmSync(site.dir, { recursive: true, force: true });
    }
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
