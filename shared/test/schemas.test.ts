import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_TYPES, MAX_BATCH_EVENTS } from '../src/types';
import { validateEvent, validateEventBatch } from '../src/schemas';

const dir = join(__dirname, '../fixtures/events');
const read = (path: string) => JSON.parse(readFileSync(join(dir, path), 'utf8'));
const valid = readdirSync(join(dir, 'valid')).map((f) => read(`valid/${f}`));
const invalid: Array<{ name: string; path: string; event: unknown }> = read('invalid/cases.json');

describe('event schemas', () => {
  it('has a valid fixture for every event type', () => {
    expect(valid.map((e) => e.type).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it.each(valid.map((e) => [e.type, e]))('accepts the %s fixture', (_type, event) => {
    expect(validateEvent(event)).toMatchObject({ ok: true });
  });

  it.each(invalid.map((c) => [c.name, c]))('rejects %s, naming the field', (_name, c) => {
    const result = validateEventBatch({ events: [c.event] });
    expect(result).toMatchObject({ ok: false, path: c.path });
    if (!result.ok) expect(result.message).toContain(c.path);
  });

  it('names the event at fault by its position in the batch', () => {
    const bad = { ...valid[0], id: 'nope' };
    expect(validateEventBatch({ events: [valid[1], valid[2], bad] })).toMatchObject({
      ok: false,
      path: 'events[2].id',
    });
  });

  it(`accepts ${MAX_BATCH_EVENTS} events and rejects one more`, () => {
    const event = valid[0];
    expect(validateEventBatch({ events: Array(MAX_BATCH_EVENTS).fill(event) })).toMatchObject({ ok: true });
    expect(validateEventBatch({ events: Array(MAX_BATCH_EVENTS + 1).fill(event) })).toMatchObject({
      ok: false,
      path: 'events',
    });
  });

  it('accepts a contact capture as plugins sent it before addresses were captured', () => {
    const capture = valid.find((e) => e.type === 'checkout.contact_captured');
    const { cart_key, phone, email, first_name, country } = capture.data;
    expect(validateEvent({ ...capture, data: { cart_key, phone, email, first_name, country } })).toMatchObject({
      ok: true,
    });
    expect(validateEvent({ ...capture, data: { cart_key, email, billing: {}, shipping: { city: '' } } })).toMatchObject(
      { ok: true },
    );
  });

  it('rejects a body that is not a batch', () => {
    expect(validateEventBatch([])).toMatchObject({ ok: false });
    expect(validateEventBatch({ events: [] })).toMatchObject({ ok: false, path: 'events' });
    expect(validateEventBatch({})).toMatchObject({ ok: false, path: 'events' });
  });

  it('accepts a UTC offset written as +00:00 and ignores fields it does not know', () => {
    const event = {
      ...valid[0],
      occurred_at: '2026-11-21T10:15:00+00:00',
      extra: 1,
      data: { ...valid[0].data, later: true },
    };
    expect(validateEvent(event)).toMatchObject({ ok: true });
  });
});
