import { Notice, Spinner } from '@wordpress/components';
import { useCallback, useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { getSettings, problemOf, testConnection, type Link, type Problem, type SettingsReply } from './api';
import { ConnectionSection } from './ConnectionSection';
import { ConsentSection } from './ConsentSection';
import { LanesPanel } from './LanesPanel';
import { MessageHealth } from './MessageHealth';
import { MonitorsSection } from './MonitorsSection';
import { OutboxSection } from './OutboxSection';

const NOT_CONFIGURED: Link = {
  state: 'not_connected',
  code: 'not_configured',
  message: __('Connect the sidecar first: the lane settings are kept there.', 'cartback'),
};

/**
 * WooCommerce → Cartback: messages the sidecar could not confirm (when there are any),
 * connection, opt-in text, a section per lane (in order of precedence) with one save bar, the outbox.
 */
export function App() {
  const [settings, setSettings] = useState<SettingsReply | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [link, setLink] = useState<Link>({ state: 'checking' });
  // Bumped when the connection changes, so the lane is read again from the (new) sidecar.
  const [connection, setConnection] = useState(0);

  const refresh = useCallback(() => {
    setRefreshing(true);
    getSettings()
      .then(
        (reply) => {
          setSettings(reply);
          setProblem(null);
        },
        (thrown: unknown) => setProblem(problemOf(thrown)),
      )
      .finally(() => setRefreshing(false));
  }, []);

  useEffect(refresh, [refresh]);

  const loaded = settings !== null;
  const configured = loaded && settings.sidecar_url !== '' && settings.secret_set;

  // Once the settings are known: does the sidecar answer with them? Only then are lanes read.
  useEffect(() => {
    if (!loaded) return;
    if (!configured) {
      setLink(NOT_CONFIGURED);
      return;
    }
    let live = true;
    testConnection({}).then(
      (reply) =>
        live &&
        setLink(
          reply.connected
            ? { state: 'connected', status: reply.status }
            : { state: 'not_connected', code: reply.code, message: reply.message },
        ),
      (thrown: unknown) => {
        if (!live) return;
        const failure = problemOf(thrown);
        setLink({ state: 'not_connected', code: failure.code, message: failure.message });
      },
    );
    return () => {
      live = false;
    };
  }, [loaded, configured]);

  if (!settings) {
    return problem ? (
      <Notice status="error" isDismissible={false}>
        {problem.message}
      </Notice>
    ) : (
      <Spinner />
    );
  }

  return (
    <div className="cartback-sections">
      {link.state === 'connected' && <MessageHealth messages={link.status?.messages} />}
      <MonitorsSection key={`monitors-${connection}`} connected={link.state === 'connected'} />
      <ConnectionSection
        settings={settings}
        onSaved={(reply) => {
          // Saving checks the connection first: what is saved works.
          setSettings(reply);
          setLink({ state: 'connected' });
          setConnection((n) => n + 1);
        }}
        onTested={(next) => {
          // The same state: only what it reports is new (such as the messages' counts).
          setLink(next);
          if (next.state !== link.state) setConnection((n) => n + 1);
        }}
      />
      <ConsentSection settings={settings} onSaved={setSettings} />
      <LanesPanel key={`lanes-${connection}`} lanes={settings.lanes} link={link} settings={settings} />
      <OutboxSection
        settings={settings}
        connected={configured}
        refreshing={refreshing}
        onRefresh={refresh}
        onDelivered={(run) => setSettings({ ...settings, outbox: run.outbox, delivery: run.delivery })}
      />
    </div>
  );
}
