// Validates `{"events": [...]}` from stdin with the sidecar's own schemas (the compiled shared
// package) and prints `{"ok": true}` or `{"ok": false, "path": …, "message": …}`.
'use strict';
const { validateEventBatch } = require('../../../shared/dist/index.js');

let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  const result = validateEventBatch(JSON.parse(input));
  process.stdout.write(
    JSON.stringify(result.ok ? { ok: true } : { ok: false, path: result.path, message: result.message }),
  );
});
