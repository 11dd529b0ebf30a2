import {
  DEFAULT_THRESHOLDS,
  decideMonitors,
  validateThresholds,
  type LaneFigures,
  type MonitorInput,
} from '../../../src/monitors/decide';

/** A normal week for a lane sending ~60 a day: 1 % opt-outs, 80 % read, 2 % failures. */
function normalLane(lane = 'cart', over: Partial<LaneFigures> = {}): LaneFigures {
  return {
    lane,
    optOut: { sends: 200, optOuts: 2 },
    reads: { delivered: 300, read: 240, baselineDelivered: 2000, baselineRead: 1600 },
    failures: { attempted: 300, failed: 6, baselineAttempted: 2000, baselineFailed: 40 },
    templates: ['cart_1', 'cart_2'],
    ...over,
  };
}

function input(over: Partial<MonitorInput> = {}): MonitorInput {
  return {
    lanes: [normalLane()],
    templateSignals: [],
    qualityEvent: null,
    paused: new Set(),
    thresholds: DEFAULT_THRESHOLDS,
    ...over,
  };
}

const fired = (i: MonitorInput) =>
  decideMonitors(i)
    .filter((v) => v.fire)
    .map((v) => [v.monitor, v.target, v.reason]);

describe('decideMonitors', () => {
  it('a normal week fires nothing', () => {
    expect(fired(input())).toEqual([]);
  });

  it.each<[string, Partial<LaneFigures>, [string, string, string]]>([
    [
      'an opt-out spike (3 % of the last 200)',
      { optOut: { sends: 200, optOuts: 6 } },
      ['opt_out_rate', 'cart', 'opt_out_rate_high'],
    ],
    [
      'a read-rate drop (40 % against 80 %)',
      { reads: { delivered: 300, read: 120, baselineDelivered: 2000, baselineRead: 1600 } },
      ['read_rate', 'cart', 'read_rate_dropped'],
    ],
    [
      'a failure spike (15 % against 2 %)',
      { failures: { attempted: 300, failed: 45, baselineAttempted: 2000, baselineFailed: 40 } },
      ['failure_rate', 'cart', 'failure_rate_spiking'],
    ],
  ])('%s pauses the lane', (_name, over, expected) => {
    expect(fired(input({ lanes: [normalLane('cart', over)] }))).toEqual([expected]);
  });

  it.each<[string, Partial<LaneFigures>]>([
    ['opt-outs: 3 of 50 sends', { optOut: { sends: 50, optOuts: 3 } }],
    ['reads: 5 of 40 delivered', { reads: { delivered: 40, read: 5, baselineDelivered: 2000, baselineRead: 1600 } }],
    ['reads: no baseline', { reads: { delivered: 300, read: 30, baselineDelivered: 20, baselineRead: 18 } }],
    ['failures: 10 of 20', { failures: { attempted: 20, failed: 10, baselineAttempted: 2000, baselineFailed: 4 } }],
  ])('low volume never fires (%s)', (_name, over) => {
    const verdicts = decideMonitors(input({ lanes: [normalLane('cart', over)] }));
    expect(verdicts.filter((v) => v.fire)).toEqual([]);
    expect(verdicts.some((v) => v.reason === 'low_volume')).toBe(true);
  });

  it('a failure rate three times a tiny baseline but under 10 % does not fire', () => {
    const lane = normalLane('cart', {
      failures: { attempted: 300, failed: 3, baselineAttempted: 2000, baselineFailed: 2 },
    });
    expect(fired(input({ lanes: [lane] }))).toEqual([]);
  });

  it('a paused or re-categorised template pauses only the lanes that use it', () => {
    const lanes = [normalLane('cart'), normalLane('browse', { templates: ['browse_1'] })];
    expect(
      fired(
        input({
          lanes,
          templateSignals: [{ template: 'browse_1', language: 'en', kind: 'status', value: 'PAUSED', previous: null }],
        }),
      ),
    ).toEqual([['template_status', 'browse', 'template_paused']]);
    expect(
      fired(
        input({
          lanes,
          templateSignals: [
            { template: 'cart_2', language: 'en', kind: 'category', value: 'MARKETING', previous: 'UTILITY' },
          ],
        }),
      ),
    ).toEqual([['template_status', 'cart', 'template_category_changed']]);
    expect(
      fired(
        input({
          lanes,
          templateSignals: [{ template: 'cart_1', language: 'en', kind: 'status', value: 'APPROVED', previous: null }],
        }),
      ),
    ).toEqual([]);
  });

  it('a flagged number pauses all sending, and no lane fires beside it', () => {
    const spiking = normalLane('cart', { optOut: { sends: 200, optOuts: 20 } });
    expect(fired(input({ qualityEvent: 'FLAGGED', lanes: [spiking] }))).toEqual([
      ['number_quality', 'all', 'number_quality_low'],
    ]);
    expect(fired(input({ qualityEvent: 'UNFLAGGED' }))).toEqual([]);
  });

  it('a lane already paused by a monitor does not fire again; one firing per lane per pass', () => {
    const bad = normalLane('cart', {
      optOut: { sends: 200, optOuts: 20 },
      failures: { attempted: 300, failed: 90, baselineAttempted: 2000, baselineFailed: 40 },
    });
    expect(fired(input({ lanes: [bad] }))).toEqual([['opt_out_rate', 'cart', 'opt_out_rate_high']]);
    const again = decideMonitors(input({ lanes: [bad], paused: new Set(['cart']) }));
    expect(again.filter((v) => v.fire)).toEqual([]);
    expect(again.filter((v) => v.reason === 'already_paused').map((v) => v.monitor)).toEqual([
      'opt_out_rate',
      'failure_rate',
    ]);
  });

  it('explains the figures in plain words', () => {
    const [opt] = decideMonitors(input({ lanes: [normalLane('cart', { optOut: { sends: 200, optOuts: 6 } })] })).filter(
      (v) => v.fire,
    );
    expect(opt?.detail).toBe('6 opt-outs over the last 200 sends (3%; the limit is 2%).');
    expect(opt?.figures).toMatchObject({ sends: 200, opt_outs: 6, rate: 0.03 });
  });
});

describe('validateThresholds', () => {
  it('fills the defaults and names a bad field', () => {
    expect(validateThresholds({ optOutRate: 0.05 })).toEqual({
      ok: true,
      value: { ...DEFAULT_THRESHOLDS, optOutRate: 0.05 },
    });
    expect(validateThresholds({ optOutRate: 5 })).toMatchObject({ ok: false, field: 'optOutRate' });
    expect(validateThresholds({ readMinSends: 1.5 })).toMatchObject({ ok: false, field: 'readMinSends' });
    expect(validateThresholds({ nope: 1 })).toMatchObject({ ok: false, field: 'nope' });
    expect(validateThresholds({ optOutMinSends: 500 })).toMatchObject({ ok: false, field: 'optOutMinSends' });
    expect(validateThresholds([])).toMatchObject({ ok: false, field: '' });
  });
});
