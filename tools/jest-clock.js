/* global __filename */
/**
 * A test clock: with CARTBACK_TEST_CLOCK=HH:MM (e.g. 00:30 or 23:30, read in the zone TZ gives the
 * process) every Jest test file starts at that time of today, so that a test which depends on the
 * hour shows it. Only Date moves: `new Date()` and `Date.now()` are shifted by a fixed offset and
 * keep running; timers, `performance.now()`, and Dates built from a value are untouched (mysql2,
 * express and the tests' own waits work as ever).
 *
 * Jest runs this file first in each test file (`setupFiles`). It leaves the offset in
 * CARTBACK_TEST_CLOCK_OFFSET_MS and itself in NODE_OPTIONS (`--require`), so that the sidecar
 * processes a test starts (they are given both) run on the same clock.
 */
const OFFSET = 'CARTBACK_TEST_CLOCK_OFFSET_MS';

function shiftDate(offsetMs) {
  const Real = globalThis.Date;
  if (Real.cartbackTestClock !== undefined) return;
  function ShiftedDate(...args) {
    if (!new.target) return new Real(Real.now() + offsetMs).toString();
    return args.length === 0 ? new Real(Real.now() + offsetMs) : new Real(...args);
  }
  Object.setPrototypeOf(ShiftedDate, Real);
  ShiftedDate.prototype = Real.prototype;
  ShiftedDate.now = () => Real.now() + offsetMs;
  ShiftedDate.cartbackTestClock = offsetMs;
  globalThis.Date = ShiftedDate;
}

/** Today (in the process's zone) at `clock`, as milliseconds from now. */
function offsetTo(clock) {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(clock);
  if (!match) throw new Error(`CARTBACK_TEST_CLOCK must be HH:MM (00:00 to 23:59), not "${clock}"`);
  const now = new Date();
  const start = new Date(now.getFullYear(), now.getMonth(), now.getDate(), Number(match[1]), Number(match[2]));
  return start.getTime() - now.getTime();
}

const clock = process.env.CARTBACK_TEST_CLOCK;
if (clock) {
  // A Jest test file: its own start at `clock`, handed on to the processes it starts.
  const offsetMs = offsetTo(clock);
  shiftDate(offsetMs);
  process.env[OFFSET] = String(offsetMs);
  const preload = `--require ${JSON.stringify(__filename)}`;
  const options = process.env.NODE_OPTIONS ?? '';
  if (!options.includes(preload)) process.env.NODE_OPTIONS = `${options} ${preload}`.trim();
} else if (process.env[OFFSET]) {
  // A process started by a test file: that file's clock.
  shiftDate(Number(process.env[OFFSET]));
}
