import { Button, Card, CardBody, CardHeader, Notice, TextControl } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import {
  getMonitors,
  problemOf,
  resumeMonitor,
  saveMonitorThresholds,
  type MonitorThresholds,
  type MonitorsReply,
  type Problem,
} from './api';
import { FieldError, SaveBar, type SaveNotice } from './fields';

type Kind = 'rate' | 'count' | 'ratio';

/** The thresholds an admin sets, in the sidecar's order; rates are shown as percentages. */
const FIELDS: Array<{ key: keyof MonitorThresholds; kind: Kind; label: string }> = [
  { key: 'optOutRate', kind: 'rate', label: __('Opt-out rate that pauses a lane (%)', 'cartback') },
  { key: 'optOutWindowSends', kind: 'count', label: __('…over the lane’s last sends', 'cartback') },
  { key: 'optOutMinSends', kind: 'count', label: __('Sends needed before opt-outs are judged', 'cartback') },
  {
    key: 'readRateRatio',
    kind: 'rate',
    label: __('Pause when the read rate falls below (% of its 7-day level)', 'cartback'),
  },
  { key: 'readMinSends', kind: 'count', label: __('Delivered messages needed before reads are judged', 'cartback') },
  {
    key: 'failureRatio',
    kind: 'ratio',
    label: __('Pause when failures reach this many times their 7-day level', 'cartback'),
  },
  { key: 'failureRate', kind: 'rate', label: __('…and at least this failure rate (%)', 'cartback') },
  { key: 'failureMinSends', kind: 'count', label: __('Sends needed before failures are judged', 'cartback') },
];

const shown = (kind: Kind, value: number): string =>
  kind === 'rate' ? String(Math.round(value * 10000) / 100) : String(value);
const stored = (kind: Kind, text: string): number => (kind === 'rate' ? Number(text) / 100 : Number(text));

function targetName(target: string): string {
  /* translators: %s: a lane's name, such as abandoned_cart. */
  return target === 'all' ? __('All sending', 'cartback') : sprintf(__('The %s messages', 'cartback'), target);
}

/**
 * The monitors (kept in the sidecar, `/cartback/v1/monitors`): what a monitor paused and why,
 * each with a Resume button; the recent firings; the thresholds.
 */
export function MonitorsSection({ connected }: { connected: boolean }) {
  const [reply, setReply] = useState<MonitorsReply | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [resuming, setResuming] = useState<string | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<SaveNotice | null>(null);

  const load = () =>
    getMonitors().then(
      (next) => {
        setReply(next);
        setProblem(null);
        setDraft(Object.fromEntries(FIELDS.map((f) => [f.key, shown(f.kind, next.thresholds[f.key])])));
      },
      (thrown: unknown) => setProblem(problemOf(thrown)),
    );

  useEffect(() => {
    if (connected) void load();
  }, [connected]);

  if (!connected) return null;

  const resume = (target: string) => {
    setResuming(target);
    resumeMonitor(target)
      .then(load, (thrown: unknown) => setProblem(problemOf(thrown)))
      .finally(() => setResuming(null));
  };

  const save = () => {
    setBusy(true);
    setNotice(null);
    const data = Object.fromEntries(FIELDS.map((f) => [f.key, stored(f.kind, draft[f.key] ?? '')]));
    saveMonitorThresholds(data)
      .then(
        () => {
          setFields({});
          setNotice({ status: 'success', message: __('Thresholds saved.', 'cartback') });
          return load();
        },
        (thrown: unknown) => {
          const failure = problemOf(thrown);
          setFields(failure.fields);
          setNotice({ status: 'error', message: failure.message });
        },
      )
      .finally(() => setBusy(false));
  };

  return (
    <Card className="cartback-monitors" id="cartback-monitors">
      <CardHeader>
        <h2>{__('Monitors', 'cartback')}</h2>
      </CardHeader>
      <CardBody>
        <p>
          {__(
            'Every few minutes Cartback checks each lane’s opt-outs, read rate and failures, its templates and the number’s quality, and pauses sending before WhatsApp does. A paused lane stays paused until you resume it.',
            'cartback',
          )}
        </p>
        {problem && (
          <Notice status="error" isDismissible={false}>
            {problem.message}
          </Notice>
        )}
        {reply && reply.active.length === 0 && <p data-state="clear">{__('Nothing is paused.', 'cartback')}</p>}
        {reply?.active.map((event) => (
          <Notice key={event.id} status="error" isDismissible={false} className="cartback-monitor-active">
            <p>
              <strong>{targetName(event.target)}</strong>
              {' — '}
              {event.detail}
            </p>
            <Button
              __next40pxDefaultSize
              variant="primary"
              isBusy={resuming === event.target}
              disabled={resuming !== null}
              onClick={() => resume(event.target)}
            >
              {__('Resume', 'cartback')}
            </Button>
          </Notice>
        ))}
        {reply && reply.recent.some((e) => !e.active) && (
          <details>
            <summary>{__('Earlier pauses', 'cartback')}</summary>
            <ul>
              {reply.recent
                .filter((e) => !e.active)
                .map((e) => (
                  <li key={e.id}>
                    {sprintf(
                      /* translators: 1: when, 2: what, 3: why, 4: who resumed it. */
                      __('%1$s: %2$s — %3$s (resumed by %4$s)', 'cartback'),
                      new Date(e.fired_at).toLocaleString(),
                      targetName(e.target),
                      e.detail,
                      e.resumed_by ?? '—',
                    )}
                  </li>
                ))}
            </ul>
          </details>
        )}
        {reply && (
          <details>
            <summary>{__('Thresholds', 'cartback')}</summary>
            {FIELDS.map((f) => (
              <div key={f.key}>
                <TextControl
                  __next40pxDefaultSize
                  __nextHasNoMarginBottom
                  label={f.label}
                  type="number"
                  value={draft[f.key] ?? ''}
                  onChange={(value: string) => setDraft({ ...draft, [f.key]: value })}
                />
                <FieldError message={fields[f.key]} />
              </div>
            ))}
            <SaveBar label={__('Save thresholds', 'cartback')} busy={busy} onSave={save} notice={notice} />
          </details>
        )}
      </CardBody>
    </Card>
  );
}
