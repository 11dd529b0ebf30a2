import { Button, Card, CardBody, CardHeader, Notice, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import {
  problemOf,
  saveSettings,
  testConnection,
  type Link,
  type SettingsReply,
  type SidecarStatus,
  type StoreAccessGrant,
} from './api';
import { FieldError } from './fields';
import { laneCopy } from './lane-copy';
import { StoreAccess } from './StoreAccess';

type Outcome =
  | { kind: 'saved'; grant?: StoreAccessGrant | undefined }
  | { kind: 'connected'; status: SidecarStatus }
  | { kind: 'failed'; message: string; code: string };

function statusSummary(status: SidecarStatus): string {
  const lanes = status.lanes
    .map((lane) =>
      sprintf(
        /* translators: 1: lane name, 2: "on" or "off". */
        __('%1$s %2$s', 'cartback'),
        laneCopy(lane.lane).title,
        lane.enabled ? __('on', 'cartback') : __('off', 'cartback'),
      ),
    )
    .join(', ');
  return sprintf(
    /* translators: 1: "sending is paused" or "sending is active", 2: list of lanes and whether each is on. */
    __('%1$s; lanes: %2$s.', 'cartback'),
    status.paused ? __('sending is paused', 'cartback') : __('sending is active', 'cartback'),
    lanes || __('none', 'cartback'),
  );
}

/**
 * The sidecar URL and the shared secret: test them before or after saving. Saving tests them
 * first: the plugin stores them only when the sidecar answers, and otherwise names the field at
 * fault and why. The first saved connection also grants store access (shown below it).
 */
export function ConnectionSection({
  settings,
  onSaved,
  onTested,
}: {
  settings: SettingsReply;
  onSaved: (settings: SettingsReply) => void;
  /** A test of the stored URL and secret (nothing new typed): how the saved connection stands. */
  onTested: (link: Link) => void;
}) {
  const [url, setUrl] = useState(settings.sidecar_url);
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  // Bumped on every save, so store access is read again from the (new) sidecar.
  const [saves, setSaves] = useState(0);

  // Only what the admin typed: an empty secret means "the saved one".
  const form = () => ({
    ...(url.trim() !== '' ? { sidecar_url: url.trim() } : {}),
    ...(secret.trim() !== '' ? { secret: secret.trim() } : {}),
  });

  const save = async () => {
    setBusy('save');
    setOutcome(null);
    setFields({});
    try {
      const reply = await saveSettings({
        sidecar_url: url.trim(),
        ...(secret.trim() !== '' ? { secret: secret.trim() } : {}),
      });
      setSecret('');
      setUrl(reply.sidecar_url);
      setOutcome({ kind: 'saved', grant: reply.store_access });
      setSaves((n) => n + 1);
      onSaved(reply);
    } catch (thrown) {
      const problem = problemOf(thrown);
      setFields(problem.fields);
      setOutcome({ kind: 'failed', code: problem.code, message: problem.message });
    } finally {
      setBusy(null);
    }
  };

  const test = async () => {
    setBusy('test');
    setOutcome(null);
    setFields({});
    const stored = secret.trim() === '' && url.trim() === settings.sidecar_url;
    try {
      const reply = await testConnection(form());
      setOutcome(
        reply.connected
          ? { kind: 'connected', status: reply.status }
          : { kind: 'failed', code: reply.code, message: reply.message },
      );
      if (stored) {
        onTested(
          reply.connected
            ? { state: 'connected', status: reply.status }
            : { state: 'not_connected', code: reply.code, message: reply.message },
        );
      }
    } catch (thrown) {
      const problem = problemOf(thrown);
      setFields(problem.fields);
      setOutcome({ kind: 'failed', code: problem.code, message: problem.message });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card className="cartback-section" id="cartback-connection">
      <CardHeader>
        <h2>{__('Connection', 'cartback')}</h2>
      </CardHeader>
      <CardBody>
        <p className="cartback-intro">
          {__(
            'Cartback sends its reminders from your own Cartback sidecar. Enter where it runs and the shared secret it was started with.',
            'cartback',
          )}
        </p>
        <div className="cartback-field">
          <TextControl
            __next40pxDefaultSize
            __nextHasNoMarginBottom
            label={__('Sidecar URL', 'cartback')}
            help={__('The sidecar’s base URL, such as http://127.0.0.1:8787.', 'cartback')}
            type="url"
            value={url}
            placeholder="http://127.0.0.1:8787"
            onChange={(next: string) => setUrl(next)}
          />
          <FieldError message={fields.sidecar_url} />
        </div>
        <div className="cartback-field">
          <TextControl
            __next40pxDefaultSize
            __nextHasNoMarginBottom
            label={__('Shared secret', 'cartback')}
            help={
              settings.secret_set
                ? __('Saved — leave empty to keep. Enter a new one only to replace it.', 'cartback')
                : __('The CARTBACK_SECRET the sidecar printed at its first start (at least 32 characters).', 'cartback')
            }
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            value={secret}
            placeholder={settings.secret_set ? __('saved — leave empty to keep', 'cartback') : ''}
            onChange={(next: string) => setSecret(next)}
          />
          <FieldError message={fields.secret} />
        </div>
        <div className="cartback-actions">
          <Button
            __next40pxDefaultSize
            variant="primary"
            onClick={save}
            isBusy={busy === 'save'}
            disabled={busy !== null}
          >
            {__('Save connection', 'cartback')}
          </Button>
          <Button
            __next40pxDefaultSize
            variant="secondary"
            onClick={test}
            isBusy={busy === 'test'}
            disabled={busy !== null}
          >
            {__('Test connection', 'cartback')}
          </Button>
        </div>
        <div className="cartback-outcome" aria-live="polite">
          {outcome?.kind === 'saved' && (
            <Notice status="success" isDismissible={false}>
              {__('Connection checked and saved.', 'cartback')}
            </Notice>
          )}
          {outcome?.kind === 'saved' && outcome.grant?.granted === false && (
            <Notice status="warning" isDismissible={false}>
              {sprintf(
                /* translators: %s: why the sidecar did not take the key. */
                __('Store access was not granted: %s', 'cartback'),
                outcome.grant.message,
              )}
            </Notice>
          )}
          {outcome?.kind === 'connected' && (
            <Notice status="success" isDismissible={false}>
              <strong className="cartback-connected">{__('Connected', 'cartback')}</strong>
              {' — '}
              <span>{statusSummary(outcome.status)}</span>
            </Notice>
          )}
          {outcome?.kind === 'failed' && (
            <Notice status="error" isDismissible={false}>
              <span className="cartback-not-connected" data-code={outcome.code}>
                {outcome.message}
              </span>
            </Notice>
          )}
        </div>
        <StoreAccess key={`store-access-${saves}`} configured={settings.sidecar_url !== '' && settings.secret_set} />
      </CardBody>
    </Card>
  );
}
