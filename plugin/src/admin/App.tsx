import { Notice, Spinner } from '@wordpress/components';
import { useCallback, useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { getSettings, problemOf, type Problem, type SettingsReply } from './api';
import { ConnectionSection } from './ConnectionSection';
import { ConsentSection } from './ConsentSection';
import { LaneSection } from './LaneSection';
import { OutboxSection } from './OutboxSection';

/** WooCommerce → Cartback: connection, opt-in text, the abandoned-cart lane, the outbox. */
export function App() {
  const [settings, setSettings] = useState<SettingsReply | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  // Bumped when the connection is saved, so the lane is read again from the (new) sidecar.
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

  if (!settings) {
    return problem ? (
      <Notice status="error" isDismissible={false}>
        {problem.message}
      </Notice>
    ) : (
      <Spinner />
    );
  }

  const connected = settings.sidecar_url !== '' && settings.secret_set;
  return (
    <div className="cartback-sections">
      <ConnectionSection
        settings={settings}
        onSaved={(reply) => {
          setSettings(reply);
          setConnection((n) => n + 1);
        }}
      />
      <ConsentSection settings={settings} onSaved={setSettings} />
      <LaneSection
        key={`abandoned_cart-${connection}`}
        lane="abandoned_cart"
        title={__('Abandoned carts', 'cartback')}
        connected={connected}
      />
      <OutboxSection
        settings={settings}
        connected={connected}
        refreshing={refreshing}
        onRefresh={refresh}
        onDelivered={(run) => setSettings({ ...settings, outbox: run.outbox, delivery: run.delivery })}
      />
    </div>
  );
}
