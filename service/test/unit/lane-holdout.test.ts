import { holdoutCell } from '../../src/engine/holdout';
import { defaultLaneSettings, LANE_NAMES } from '../../src/engine/lanes';
import { startEnrollment } from '../../src/recovery/journey';

const now = new Date('2026-11-21T12:00:00Z');
const contacts = Array.from({ length: 4_000 }, (_, i) => i + 1);

/** The cell a contact's journey in `lane` starts in (holdout at 50 %, so the cells split evenly). */
function cellOf(lane: (typeof LANE_NAMES)[number], contactId: number, salt = 'salt-1'): string | undefined {
  const settings = { ...defaultLaneSettings(lane), enabled: true, holdout_percent: 50 };
  const lastChangeAt = new Date(now.getTime() - 2 * 3600_000);
  return startEnrollment(settings, lane, { contactId, lastChangeAt, consented: true }, salt, now)?.cell;
}

describe('each lane has its own sticky holdout cell', () => {
  it.each(LANE_NAMES)('%s: a journey starts in the cell hashed from (salt, %s, contact), every time', (lane) => {
    for (const id of contacts.slice(0, 300)) {
      const cell = cellOf(lane, id);
      expect(cell).toBe(holdoutCell(String(id), lane, 'salt-1', 50));
      expect(cellOf(lane, id)).toBe(cell);
    }
  });

  it('puts one contact in cells drawn independently per lane: each pair of lanes agrees about half the time', () => {
    for (const a of LANE_NAMES) {
      for (const b of LANE_NAMES) {
        if (a >= b) continue;
        const agree = contacts.filter((id) => cellOf(a, id) === cellOf(b, id)).length / contacts.length;
        expect(agree).toBeGreaterThan(0.45);
        expect(agree).toBeLessThan(0.55);
      }
    }
  });
});
