#!/usr/bin/env node
// `npm run bench:plugin`: what a storefront request pays for the plugin. Two throwaway WordPress
// sites on this machine's MariaDB — one with Cartback active, one without — answer the same whole
// requests over HTTP (a page, and a cart-changing add-to-cart: the plugin's boot, capture,
// snapshot and INSERT all included), asked in alternating pairs so drift hits both, and the
// median of the paired differences is the plugin's whole cost. Inside one process, the cart
// change alone is also timed (many iterations, alternating rounds) to show where the cost goes.
'use strict';
const { execFileSync } = require('node:child_process');
const { nginxAndFpm, startNginxFpm, startPhpServer } = require('./servers');
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

const PAGE_LOADS = Number(process.env.CARTBACK_BENCH_PAGE_LOADS ?? 300);
const WARMUP = 20;

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

/** Rows in a site's outbox (0 when the plugin never created its table). */
function outboxRows(site) {
  try {
    const out = execFileSync('mariadb', [
      '--protocol=tcp',
      '-h127.0.0.1',
      '-uroot',
      '-N',
      '-e',
      `SELECT COUNT(*) FROM \`${site.db}\`.wp_cartback_outbox`,
    ]);
    return Number(out.toString().trim());
  } catch {
    return 0;
  }
}

/**
 * Whole requests over HTTP, as a shopper's browser makes them: each site served by `startServer`
 * (servers.js), both at once, asked in pairs whose order alternates
 * (A B, B A, …) so drift hits both. Each request is a fresh visitor (no cookies): a storefront
 * page, and a cart-changing request (`?add-to-cart=42`: WooCommerce's add-to-cart handler, a new
 * session and cart, and with the plugin active its capture, the snapshot at shutdown and its one
 * outbox INSERT — everything the plugin does on such a request, boot included). Per request:
 * time to the last byte, in ms; and per pair the difference, so the plugin's cost is the median of
 * paired differences, not a difference of two noisy medians.
 */
async function httpTimes(sites, paths, startServer) {
  const servers = sites.map(startServer);
  const load = async (site, urlPath) => {
    const start = process.hrtime.bigint();
    const res = await fetch(`http://127.0.0.1:${site.port}${urlPath}`, { redirect: 'manual' });
    await res.arrayBuffer();
    if (res.status >= 400) throw new Error(`GET ${urlPath} answered ${res.status} on the ${site.name} site`);
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
    const results = {};
    for (const urlPath of paths) {
      const times = sites.map(() => []);
      for (let i = 0; i < PAGE_LOADS + WARMUP; i++) {
        const order = i % 2 === 0 ? [0, 1] : [1, 0];
        const pair = [];
        for (const n of order) pair[n] = await load(sites[n], urlPath);
        if (i >= WARMUP) pair.forEach((ms, n) => times[n].push(ms));
      }
      results[urlPath] = times;
    }
    return results;
  } finally {
    for (const server of servers) server.stop();
  }
}

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const median = (xs) => quantile(xs, 0.5);

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
    const CART = '/?add-to-cart=42';
    const fmt = (x) => x.toFixed(3);
    const line = (label, [on, off]) => {
      const diffs = on.map((ms, i) => ms - off[i]);
      return `| ${label} | ${fmt(median(off))} / ${fmt(quantile(off, 0.9))} | ${fmt(median(on))} / ${fmt(quantile(on, 0.9))} | ${fmt(median(diffs))} | ${(median(on) / median(off)).toFixed(3)}× |`;
    };
    const bins = nginxAndFpm();
    const kinds = [
      ['php -S (the built-in server: the INSERT before the response ends)', startPhpServer],
      ...(bins
        ? [
            [
              'nginx + PHP-FPM (the cart snapshot written after the response is finished)',
              (site) => startNginxFpm(site, bins),
            ],
          ]
        : []),
    ];
    const rows = [];
    const cartAdded = [];
    for (const [label, startServer] of kinds) {
      const rowsBefore = outboxRows(active);
      const http = await httpTimes([active, inactive], ['/', CART], startServer);
      const captured = outboxRows(active) - rowsBefore;
      if (captured < PAGE_LOADS + WARMUP)
        throw new Error(
          `${label}: the active site captured ${captured} carts in ${PAGE_LOADS + WARMUP} cart-changing requests`,
        );
      rows.push(
        `| **${label}** | | | | |`,
        line('storefront page `GET /`', http['/']),
        line(`cart-changing \`GET ${CART}\` (${captured} carts captured)`, http[CART]),
      );
      cartAdded.push([label.split(' (')[0], median(http[CART][0].map((ms, i) => ms - http[CART][1][i]))]);
    }
    const best = Math.min(...cartAdded.map(([, ms]) => ms));
    process.stdout.write(
      [
        `Whole requests over HTTP (OPcache on, fresh visitor each, ${PAGE_LOADS} alternating pairs after ${WARMUP} warm-up)`,
        '',
        '| request | without plugin: median / p90 ms | with plugin: median / p90 ms | added (median of paired differences) ms | ratio of medians |',
        '| --- | --- | --- | --- | --- |',
        ...rows,
        ...(bins ? [] : ['', 'nginx + PHP-FPM: skipped (install nginx-light and php-fpm from Debian, or run as root)']),
        '',
        `Inside the request, the cart change alone (add 2 products, change a quantity, shutdown), ${ROUNDS} alternating rounds × ${ITERATIONS}`,
        '',
        '| plugin | median ms | p90 ms | p99 ms | DB queries / request | HTTP calls |',
        '| --- | --- | --- | --- | --- | --- |',
        `| inactive (baseline) | ${fmt(b.median_ms)} | ${fmt(b.p90_ms)} | ${fmt(b.p99_ms)} | ${b.queries} | ${b.http} |`,
        `| active | ${fmt(a.median_ms)} | ${fmt(a.p90_ms)} | ${fmt(a.p99_ms)} | ${a.queries} | ${a.http} |`,
        '',
        `whole cart-changing request: ${cartAdded.map(([label, ms]) => `${fmt(ms)} ms added on ${label}`).join(', ')} (target < ${TARGET_MS} ms); the cart change alone ${fmt(added)} ms (${(a.median_ms / b.median_ms).toFixed(2)}× the double's in-memory cart); network calls during requests: ${a.http} (target 0)`,
        `verdict: ${best < TARGET_MS && a.http === 0 ? `target met (${cartAdded.find(([, ms]) => ms === best)[0]})` : 'TARGET NOT MET'}`,
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
