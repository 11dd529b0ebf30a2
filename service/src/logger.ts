import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Keys that could carry a secret or a phone number are censored wherever
 * they appear (two levels deep); code that must mention a phone logs `maskPhone(phone)`.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const sensitive = [
    'secret',
    'phone',
    'authorization',
    'signature',
    'token',
    'password',
    // The store's WooCommerce REST API key (store-access/).
    'consumerKey',
    'consumerSecret',
    'consumer_key',
    'consumer_secret',
    'credentials',
  ];
  const paths = sensitive.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  return pino(
    {
      level,
      base: { service: 'cartback' },
      redact: { paths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
