import { __ } from '@wordpress/i18n';
import type { Range } from './api';

/** Where the CSV downloads are (admin-post.php, Csv_Export) and the nonce they need. */
export interface ExportConfig {
  url: string;
  nonce: string;
}

function href(config: ExportConfig, kind: 'messages' | 'orders', range: Range): string {
  const query = new URLSearchParams({
    action: 'cartback_export',
    kind,
    from: range.from,
    to: range.to,
    _wpnonce: config.nonce,
  });
  return `${config.url}?${query.toString()}`;
}

/** The CSV downloads of the range: the messages queued in it, and the orders attributed in it. */
export function ExportLinks({ config, range }: { config: ExportConfig; range: Range }) {
  return (
    <section className="cartback-panel" id="cartback-export">
      <h2>{__('Export', 'cartback')}</h2>
      <p>
        <a className="button" href={href(config, 'messages', range)} data-export="messages">
          {__('Messages (CSV)', 'cartback')}
        </a>{' '}
        <a className="button" href={href(config, 'orders', range)} data-export="orders">
          {__('Attributed orders (CSV)', 'cartback')}
        </a>
      </p>
      <p className="description">
        {__('Phones are masked in the messages file. The files cover the range chosen above.', 'cartback')}
      </p>
    </section>
  );
}
