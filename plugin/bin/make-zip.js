#!/usr/bin/env node
// Builds cartback.zip at the repository root: the installable plugin as WordPress's
// "Upload Plugin" expects it (one top-level `cartback/` folder), with the built admin assets and
// without sources, tests, tooling or node_modules. Run through `npm run plugin:zip`, which builds
// the assets first.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const PLUGIN = path.resolve(__dirname, '..');
const OUT = path.resolve(PLUGIN, '..', 'cartback.zip');
// What an installed plugin needs; everything else (src/, tests/, bin/, package.json …) stays out.
const INCLUDE = ['cartback.php', 'uninstall.php', 'readme.txt', 'includes', 'assets', 'build', 'languages'];

if (!fs.existsSync(path.join(PLUGIN, 'build', 'admin.asset.php'))) {
  process.stderr.write('plugin/build is missing: run `npm run plugin:build` (or `npm run plugin:zip`)\n');
  process.exit(1);
}

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'cartback-zip-'));
try {
  const target = path.join(stage, 'cartback');
  fs.mkdirSync(target);
  for (const entry of INCLUDE) {
    const from = path.join(PLUGIN, entry);
    if (fs.existsSync(from)) {
      fs.cpSync(from, path.join(target, entry), {
        recursive: true,
        filter: (src) => !/\.map$/.test(src) && !src.includes(`${path.sep}node_modules`),
      });
    }
  }
  fs.rmSync(OUT, { force: true });
  execFileSync('zip', ['-q', '-r', '-X', OUT, 'cartback'], { cwd: stage, stdio: 'inherit' });
  const size = fs.statSync(OUT).size;
  process.stdout.write(`wrote ${path.relative(process.cwd(), OUT) || OUT} (${Math.round(size / 1024)} KiB)\n`);
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
