import { Notice } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import type { SettingsReply } from './api';

/**
 * Who tells a shopper about a failed or unpaid order: WooCommerce's own emails, when they are
 * on, and Cartback's WhatsApp reminder. The plugin reads WooCommerce's settings
 * (Store_Profile::wc_failed_order_email_enabled, ::wc_pending_order_email_enabled) and sends the
 * same two facts to the sidecar in store.updated.
 */
export function WhoSends({ settings }: { settings: SettingsReply }) {
  const failed = settings.wc_failed_order_email;
  const pending = settings.wc_pending_order_email;
  return (
    <Notice status="info" isDismissible={false} className="cartback-who-sends">
      <p data-wc-email="failed" data-on={failed ? 'yes' : 'no'}>
        {failed
          ? __(
              'WooCommerce already emails shoppers about failed orders (its “Failed order” email is on). Cartback’s WhatsApp reminder does not repeat that news: it comes later, with the order’s own pay link, and then an offer of help.',
              'cartback',
            )
          : __(
              'WooCommerce’s “Failed order” email to shoppers is off: Cartback’s WhatsApp reminder is the only message a shopper gets about a failed payment.',
              'cartback',
            )}
      </p>
      <p data-wc-email="pending" data-on={pending ? 'yes' : 'no'}>
        {pending
          ? __(
              'WooCommerce’s own reminder email for unpaid orders is on: WooCommerce reminds shoppers about orders still waiting for payment, so Cartback leaves those to it and never reminds about the same order.',
              'cartback',
            )
          : __(
              'WooCommerce sends no reminder for orders still waiting for payment: Cartback’s WhatsApp reminder covers them.',
              'cartback',
            )}
      </p>
    </Notice>
  );
}
