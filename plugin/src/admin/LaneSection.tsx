import { Button, Card, CardBody, CardHeader, Notice, Spinner, TextControl, ToggleControl } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { getLane, problemOf, saveLane, type LaneSettings, type Link, type Problem } from './api';
import { durationSeconds } from './duration';
import { DurationControl, FieldError, SaveBar, type SaveNotice } from './fields';

const MAX_STEPS = 5;

function copy(settings: LaneSettings): LaneSettings {
  return JSON.parse(JSON.stringify(settings)) as LaneSettings;
}

/** The fields this screen shows, so an error naming another one is shown at the top instead. */
function shownPaths(settings: LaneSettings): Set<string> {
  const paths = ['enabled', 'inactivity_delay', 'holdout_percent', 'quiet_hours.start', 'quiet_hours.end'];
  paths.push('cap_per_contact.max', 'cap_per_contact.window', 'lane_cap', 'lane_cap.max', 'lane_cap.window');
  settings.steps.forEach((_step, i) => paths.push(`steps[${i}].delay`, `steps[${i}].template`, `steps[${i}].language`));
  return new Set(paths);
}

const numberOrNaN = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
const numberText = (n: number) => (Number.isFinite(n) ? String(n) : '');

/**
 * One lane's settings, read from and saved to the sidecar (through the plugin's signed proxy),
 * only once the sidecar is known to answer; until then, why it does not. The sidecar validates;
 * its message is shown next to the field its path names.
 */
export function LaneSection({ lane, title, link }: { lane: string; title: string; link: Link }) {
  const [settings, setSettings] = useState<LaneSettings | null>(null);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<SaveNotice | null>(null);

  const connected = link.state === 'connected';

  useEffect(() => {
    if (!connected) return;
    let live = true;
    getLane(lane).then(
      (reply) => live && setSettings(reply.settings),
      (thrown: unknown) => live && setLoadProblem(problemOf(thrown)),
    );
    return () => {
      live = false;
    };
  }, [lane, connected]);

  const header = (
    <CardHeader>
      <h2>{title}</h2>
    </CardHeader>
  );
  if (!connected) {
    return (
      <Card className="cartback-section" id={`cartback-lane-${lane}`}>
        {header}
        <CardBody>
          {link.state === 'not_connected' ? (
            <p className="cartback-lane-unavailable" data-code={link.code}>
              {link.message}
            </p>
          ) : (
            <Spinner />
          )}
        </CardBody>
      </Card>
    );
  }
  if (!settings) {
    return (
      <Card className="cartback-section" id={`cartback-lane-${lane}`}>
        {header}
        <CardBody>
          {loadProblem ? (
            <Notice status="error" isDismissible={false}>
              {loadProblem.message}
            </Notice>
          ) : (
            <Spinner />
          )}
        </CardBody>
      </Card>
    );
  }

  const update = (change: (draft: LaneSettings) => void) => {
    const draft = copy(settings);
    change(draft);
    setSettings(draft);
  };
  const error = (path: string) => fields[path];

  const addStep = () =>
    update((draft) => {
      const last = draft.steps[draft.steps.length - 1];
      if (!last) return;
      const seconds = durationSeconds(last.delay) ?? 0;
      draft.steps.push({ ...last, delay: `PT${Math.floor(seconds / 3600) + 24}H` });
    });

  const save = async () => {
    setBusy(true);
    setNotice(null);
    setFields({});
    try {
      const reply = await saveLane(lane, settings);
      setSettings(reply.settings);
      setNotice({ status: 'success', message: __('Saved in the sidecar.', 'cartback') });
    } catch (thrown) {
      const problem = problemOf(thrown);
      setFields(problem.fields);
      const path = Object.keys(problem.fields)[0];
      setNotice({
        status: 'error',
        message:
          path && shownPaths(settings).has(path)
            ? __('Not saved: the sidecar refused the setting marked in red.', 'cartback')
            : sprintf(
                /* translators: %s: the sidecar's explanation. */
                __('Not saved: %s', 'cartback'),
                problem.message,
              ),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="cartback-section" id={`cartback-lane-${lane}`}>
      {header}
      <CardBody>
        <div className="cartback-field">
          <ToggleControl
            __nextHasNoMarginBottom
            label={__('Send these reminders', 'cartback')}
            checked={settings.enabled}
            onChange={(on: boolean) => update((draft) => void (draft.enabled = on))}
          />
          <FieldError message={error('enabled')} />
        </div>
        <DurationControl
          label={__('A cart counts as abandoned after', 'cartback')}
          help={__('Time since the shopper last changed the cart.', 'cartback')}
          value={settings.inactivity_delay}
          onChange={(iso) => update((draft) => void (draft.inactivity_delay = iso))}
          error={error('inactivity_delay')}
        />

        <h3>{__('Messages', 'cartback')}</h3>
        <FieldError message={error('steps')} />
        <ol className="cartback-steps">
          {settings.steps.map((step, i) => (
            <li key={i} className="cartback-step" data-step={i}>
              <DurationControl
                label={sprintf(
                  /* translators: %d: the message's number (1, 2, 3). */
                  __('Message %d: send after', 'cartback'),
                  i + 1,
                )}
                help={__('Counted from the shopper’s last change to the cart.', 'cartback')}
                value={step.delay}
                onChange={(iso) => update((draft) => void (draft.steps[i] && (draft.steps[i].delay = iso)))}
                error={error(`steps[${i}].delay`)}
              />
              <div className="cartback-row">
                <div className="cartback-field">
                  <TextControl
                    __next40pxDefaultSize
                    __nextHasNoMarginBottom
                    label={__('WhatsApp template', 'cartback')}
                    value={step.template}
                    onChange={(next: string) =>
                      update((draft) => void (draft.steps[i] && (draft.steps[i].template = next.trim())))
                    }
                  />
                  <FieldError message={error(`steps[${i}].template`)} />
                </div>
                <div className="cartback-field">
                  <TextControl
                    __next40pxDefaultSize
                    __nextHasNoMarginBottom
                    label={__('Template language', 'cartback')}
                    value={step.language}
                    onChange={(next: string) =>
                      update((draft) => void (draft.steps[i] && (draft.steps[i].language = next.trim())))
                    }
                  />
                  <FieldError message={error(`steps[${i}].language`)} />
                </div>
              </div>
              {Object.entries(fields)
                .filter(([path]) => path.startsWith(`steps[${i}]`) && !shownPaths(settings).has(path))
                .map(([path, message]) => (
                  <FieldError key={path} message={message} />
                ))}
              {settings.steps.length > 1 && (
                <Button variant="link" isDestructive onClick={() => update((draft) => void draft.steps.splice(i, 1))}>
                  {__('Remove this message', 'cartback')}
                </Button>
              )}
            </li>
          ))}
        </ol>
        {settings.steps.length < MAX_STEPS && (
          <Button __next40pxDefaultSize variant="secondary" onClick={addStep}>
            {__('Add a message', 'cartback')}
          </Button>
        )}

        <h3>{__('Measurement and limits', 'cartback')}</h3>
        <div className="cartback-field">
          <TextControl
            __next40pxDefaultSize
            __nextHasNoMarginBottom
            label={__('Holdout group (% of carts not messaged)', 'cartback')}
            help={__('Carts left alone on purpose, to measure what the messages really recover. 0–50.', 'cartback')}
            type="number"
            min={0}
            max={50}
            step={0.01}
            value={numberText(settings.holdout_percent)}
            onChange={(next: string) => update((draft) => void (draft.holdout_percent = numberOrNaN(next)))}
          />
          <FieldError message={error('holdout_percent')} />
        </div>
        <div className="cartback-row">
          <div className="cartback-field">
            <TextControl
              __next40pxDefaultSize
              __nextHasNoMarginBottom
              label={__('Quiet hours start', 'cartback')}
              type="time"
              value={settings.quiet_hours.start}
              onChange={(next: string) => update((draft) => void (draft.quiet_hours.start = next))}
            />
            <FieldError message={error('quiet_hours.start')} />
          </div>
          <div className="cartback-field">
            <TextControl
              __next40pxDefaultSize
              __nextHasNoMarginBottom
              label={__('Quiet hours end', 'cartback')}
              help={__('Store time. The same start and end means no quiet hours.', 'cartback')}
              type="time"
              value={settings.quiet_hours.end}
              onChange={(next: string) => update((draft) => void (draft.quiet_hours.end = next))}
            />
            <FieldError message={error('quiet_hours.end')} />
          </div>
        </div>
        <div className="cartback-row">
          <div className="cartback-field">
            <TextControl
              __next40pxDefaultSize
              __nextHasNoMarginBottom
              label={__('Marketing messages per contact, at most', 'cartback')}
              type="number"
              min={1}
              max={100}
              step={1}
              value={numberText(settings.cap_per_contact.max)}
              onChange={(next: string) => update((draft) => void (draft.cap_per_contact.max = numberOrNaN(next)))}
            />
            <FieldError message={error('cap_per_contact.max')} />
          </div>
          <DurationControl
            label={__('within', 'cartback')}
            value={settings.cap_per_contact.window}
            onChange={(iso) => update((draft) => void (draft.cap_per_contact.window = iso))}
            error={error('cap_per_contact.window')}
          />
        </div>
        <div className="cartback-field">
          <ToggleControl
            __nextHasNoMarginBottom
            label={__('Also limit this lane’s messages to one contact', 'cartback')}
            checked={settings.lane_cap !== null}
            onChange={(on: boolean) => update((draft) => void (draft.lane_cap = on ? { max: 3, window: 'P7D' } : null))}
          />
          <FieldError message={error('lane_cap')} />
        </div>
        {settings.lane_cap && (
          <div className="cartback-row">
            <div className="cartback-field">
              <TextControl
                __next40pxDefaultSize
                __nextHasNoMarginBottom
                label={__('Messages of this lane per contact, at most', 'cartback')}
                type="number"
                min={1}
                max={100}
                step={1}
                value={numberText(settings.lane_cap.max)}
                onChange={(next: string) =>
                  update((draft) => void (draft.lane_cap && (draft.lane_cap.max = numberOrNaN(next))))
                }
              />
              <FieldError message={error('lane_cap.max')} />
            </div>
            <DurationControl
              label={__('within', 'cartback')}
              value={settings.lane_cap.window}
              onChange={(iso) => update((draft) => void (draft.lane_cap && (draft.lane_cap.window = iso)))}
              error={error('lane_cap.window')}
            />
          </div>
        )}

        <SaveBar label={__('Save lane settings', 'cartback')} busy={busy} onSave={save} notice={notice} />
      </CardBody>
    </Card>
  );
}
