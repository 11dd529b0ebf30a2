import { Button, Notice, Spinner } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { getStoreAccess, grantStoreAccess, problemOf, revokeStoreAccess, type StoreAccessReply } from './api';

/** One line saying how store access stands. */
function summary(access: StoreAccessReply): string {
  switch (access.state) {
    case 'granted':
      return access.key_ending !== ''
        ? sprintf(
            /* translators: %s: the REST API key's last 7 characters, as WooCommerce lists it. */
            __('Store access: granted (key …%s)', 'cartback'),
            access.key_ending,
          )
        : __('Store access: granted', 'cartback');
    case 'environment':
      return __(
        'Store access: the sidecar uses the WooCommerce key from its own settings (WOOCOMMERCE_CONSUMER_KEY). Change or remove it there.',
        'cartback',
      );
    case 'revoked_in_woocommerce':
      return __(
        'Store access: revoked in WooCommerce → Settings → Advanced → REST API. Grant it again so Cartback can check stock and prices and make coupons.',
        'cartback',
      );
    case 'unknown':
      return sprintf(
        /* translators: %s: why the sidecar could not be asked. */
        __('Store access: unknown — %s', 'cartback'),
        access.message,
      );
    default:
      return __('Store access: not granted', 'cartback');
  }
}

/**
 * Whether the sidecar may use the store's REST API (products, stock, coupons), with "Grant store
 * access" (a new WooCommerce REST API key, handed to the sidecar) and "Revoke". The key itself is
 * never shown: only its last characters, as WooCommerce lists it.
 */
export function StoreAccess({ configured }: { configured: boolean }) {
  const [access, setAccess] = useState<StoreAccessReply | null>(null);
  const [busy, setBusy] = useState<'load' | 'grant' | 'revoke' | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    if (!configured) {
      setAccess(null);
      return;
    }
    let live = true;
    setBusy('load');
    getStoreAccess()
      .then(
        (reply) => live && setAccess(reply),
        (thrown: unknown) => live && setError(problemOf(thrown).message),
      )
      .finally(() => live && setBusy(null));
    return () => {
      live = false;
    };
  }, [configured]);

  const act = async (kind: 'grant' | 'revoke') => {
    setBusy(kind);
    setError(null);
    try {
      setAccess(await (kind === 'grant' ? grantStoreAccess() : revokeStoreAccess()));
    } catch (thrown) {
      setError(problemOf(thrown).message);
      // What the failure left behind (a revoke deletes the key even when the sidecar is down).
      getStoreAccess().then(setAccess, () => undefined);
    } finally {
      setBusy(null);
    }
  };

  const state = access?.state;
  return (
    <div className="cartback-store-access" id="cartback-store-access">
      <h3>{__('Store access', 'cartback')}</h3>
      <p className="cartback-intro">
        {__(
          'The sidecar checks stock and prices and makes single-use coupons through WooCommerce’s REST API. Granting access creates a key for it, listed under WooCommerce → Settings → Advanced → REST API, where you can also revoke it.',
          'cartback',
        )}
      </p>
      <p className="cartback-store-access-state" data-state={state ?? 'none'} aria-live="polite">
        {!configured && __('Store access: connect the sidecar first.', 'cartback')}
        {configured && busy === 'load' && <Spinner />}
        {configured && access && summary(access)}
      </p>
      <div className="cartback-actions">
        <Button
          __next40pxDefaultSize
          variant="secondary"
          onClick={() => void act('grant')}
          isBusy={busy === 'grant'}
          disabled={!configured || busy !== null || state === 'environment'}
        >
          {__('Grant store access', 'cartback')}
        </Button>
        <Button
          __next40pxDefaultSize
          variant="tertiary"
          isDestructive
          onClick={() => void act('revoke')}
          isBusy={busy === 'revoke'}
          disabled={!configured || busy !== null || state === 'not_granted' || state === 'environment'}
        >
          {__('Revoke', 'cartback')}
        </Button>
      </div>
      {error !== null && (
        <Notice status="error" isDismissible={false}>
          <span className="cartback-store-access-error">{error}</span>
        </Notice>
      )}
    </div>
  );
}
