#!/usr/bin/env node
// Writes plugin/languages/cartback.pot from the plugin's sources (PHP in cartback.php and
// includes/, TypeScript/JavaScript in src/ and assets/), the way `wp i18n make-pot` would for
// the calls the plugin uses: __, _e, _x, _n, esc_html__, esc_html_e, esc_attr__, esc_attr_e,
// with `translators:` comments. `--check` exits 1 if the committed file misses or keeps a string.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DOMAIN = 'cartback';
const OUT = path.join(ROOT, 'languages', 'cartback.pot');

function files(dir, exts) {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  if (fs.statSync(abs).isFile()) return [dir];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? files(path.join(dir, e.name), exts)
        : exts.includes(path.extname(e.name))
          ? [path.join(dir, e.name)]
          : [],
    );
}

// A quoted string literal: single or double quotes, backslash escapes.
const STR = String.raw`('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")`;
const SEP = String.raw`\s*,\s*`;
// The closing parenthesis, after the trailing comma Prettier adds to a call it breaks over lines.
const END = String.raw`\s*,?\s*\)`;
const CALLS = [
  {
    re: new RegExp(
      String.raw`\b(?:__|_e|esc_html__|esc_html_e|esc_attr__|esc_attr_e)\(\s*${STR}${SEP}${STR}${END}`,
      'g',
    ),
    kind: 'single',
  },
  {
    re: new RegExp(String.raw`\b(?:_x|esc_html_x|esc_attr_x)\(\s*${STR}${SEP}${STR}${SEP}${STR}${END}`, 'g'),
    kind: 'context',
  },
  { re: new RegExp(String.raw`\b_n\(\s*${STR}${SEP}${STR}${SEP}[^,]+?${SEP}${STR}${END}`, 'g'), kind: 'plural' },
];

function unquote(literal) {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === "'") return body.replace(/\\(['\\])/g, '$1');
  return body
    .replace(/\\(["\\$])/g, '$1')
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t');
}

function po(text) {
  return '"' + text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t') + '"';
}

function translatorComment(source, index) {
  const before = source.slice(Math.max(0, index - 400), index);
  // The nearest comment: its text never spans a `*/` (else two comments close together merge).
  const m = before.match(/(?:\/\*\s*translators:((?:(?!\*\/)[\s\S])*?)\*\/|\/\/\s*translators:([^\n]*))\s*[^;{}]*$/i);
  return m ? 'translators: ' + (m[1] ?? m[2]).trim().replace(/\s+/g, ' ') : '';
}

function collect() {
  const entries = new Map();
  const add = (key, entry, ref, comment) => {
    const existing = entries.get(key) ?? { ...entry, refs: [], comments: new Set() };
    existing.refs.push(ref);
    if (comment) existing.comments.add(comment);
    entries.set(key, existing);
  };
  const sources = [
    ...files('cartback.php', ['.php']),
    ...files('includes', ['.php']),
    ...files('src', ['.ts', '.tsx', '.js']),
    ...files('assets', ['.js']),
  ].sort();
  for (const file of sources) {
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const { re, kind } of CALLS) {
      for (const m of source.matchAll(re)) {
        const domain = unquote(m[m.length - 1]);
        if (domain !== DOMAIN) continue;
        const line = source.slice(0, m.index).split('\n').length;
        const ref = `${file.split(path.sep).join('/')}:${line}`;
        const comment = translatorComment(source, m.index);
        if (kind === 'single') add(`\u0000${unquote(m[1])}`, { msgid: unquote(m[1]) }, ref, comment);
        if (kind === 'context') {
          add(`${unquote(m[2])}\u0000${unquote(m[1])}`, { msgid: unquote(m[1]), msgctxt: unquote(m[2]) }, ref, comment);
        }
        if (kind === 'plural') {
          add(`\u0000${unquote(m[1])}`, { msgid: unquote(m[1]), plural: unquote(m[2]) }, ref, comment);
        }
      }
    }
  }
  // The plugin header's translatable fields, as WordPress translates them.
  const header = fs.readFileSync(path.join(ROOT, 'cartback.php'), 'utf8');
  for (const field of ['Plugin Name', 'Plugin URI', 'Description', 'Author']) {
    const m = header.match(new RegExp(`^\\s*\\*\\s*${field}:\\s*(.+)$`, 'm'));
    if (m) add(`\u0000${m[1].trim()}`, { msgid: m[1].trim() }, 'cartback.php', `${field} of the plugin`);
  }
  return entries;
}

function render(entries) {
  const version = (fs.readFileSync(path.join(ROOT, 'cartback.php'), 'utf8').match(/Version:\s*(\S+)/) ?? [])[1];
  const out = [
    '# Copyright (C) Cartback',
    '# This file is distributed under the GPL-2.0-or-later.',
    'msgid ""',
    'msgstr ""',
    `"Project-Id-Version: Cartback ${version}\\n"`,
    '"MIME-Version: 1.0\\n"',
    '"Content-Type: text/plain; charset=UTF-8\\n"',
    '"Content-Transfer-Encoding: 8bit\\n"',
    '"X-Domain: cartback\\n"',
    '',
  ];
  const sorted = [...entries.values()].sort((a, b) => (a.msgid < b.msgid ? -1 : a.msgid > b.msgid ? 1 : 0));
  for (const e of sorted) {
    for (const c of e.comments) out.push(`#. ${c}`);
    out.push(`#: ${e.refs.join(' ')}`);
    if (e.msgctxt !== undefined) out.push(`msgctxt ${po(e.msgctxt)}`);
    out.push(`msgid ${po(e.msgid)}`);
    if (e.plural !== undefined) out.push(`msgid_plural ${po(e.plural)}`, 'msgstr[0] ""', 'msgstr[1] ""');
    else out.push('msgstr ""');
    out.push('');
  }
  return out.join('\n');
}

const pot = render(collect());
if (process.argv.includes('--check')) {
  // Source references move with every edit; what must match is the set of strings and comments.
  const strings = (text) =>
    text
      .split('\n')
      .filter((line) => !line.startsWith('#:'))
      .join('\n');
  const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  if (strings(current) !== strings(pot)) {
    process.stderr.write('plugin/languages/cartback.pot is out of date: run `npm run plugin:pot`\n');
    process.exit(1);
  }
  process.stdout.write('cartback.pot is up to date\n');
} else {
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, pot);
  process.stdout.write(`wrote ${path.relative(process.cwd(), OUT)}\n`);
}
