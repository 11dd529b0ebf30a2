import express from 'express';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { adminRouter } from './admin';
import type { StoreDefaults } from '../store/profile';
import { monitorsRouter } from './monitors';
import { dashboardRouter } from './dashboard';
import { errorHandler, notFound } from './errors';
import { eventsRouter } from './events';
import { healthRouter } from './health';
import { linksRouter } from './links';
import { privacyRouter } from './privacy';
import { storeAccessRouter } from './store-access';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limit';
import type { TrustProxy } from './trust-proxy';
import { whatsappWebhookRouter } from './whatsapp-webhook';
import type { WhatsAppProvider } from '../whatsapp/provider';
import type { WooCredentials } from '../woo/client';

export interface AppDeps {
  db: Db;
  logger: Logger;
  metrics: Metrics;
  storeId: number;
  secret: () => string;
  /** The store's home URL, where restore links land (STORE_URL). */
  storeUrl?: () => string | undefined;
  nowSeconds?: () => number;
  /** Per-client limits on the link routes (default DEFAULT_RATE_LIMITS). */
  rateLimits?: RateLimits;
  /** Whose X-Forwarded-For to believe about the client's address (default: no one's). */
  trustProxy?: TrustProxy;
  /** RECONCILE_WINDOW in ms, reported by the admin status (default PT36H). */
  reconcileWindowMs?: number;
  /** WhatsApp webhook settings and the provider that sends opt-out confirmations. */
  whatsapp?: {
    appSecret: () => string | undefined;
    verifyToken: () => string | undefined;
    /** WHATSAPP_WEBHOOK_SECRET, for the 360dialog webhook route. */
    webhookSecret?: () => string | undefined;
    provider: () => WhatsAppProvider | undefined;
  };
  /** The monitors' pass, run at once when a template or quality webhook is stored. */
  monitors?: { wake: () => void };
  /** The store's REST API: the WOOCOMMERCE_* credentials, and CARTBACK_ENCRYPTION_KEY when set. */
  woocommerce?: { environment: () => WooCredentials | undefined; encryptionKey?: Buffer | undefined };
  /**
   * STORE_TIMEZONE, STORE_CURRENCY, STORE_LOCALE: the store's settings until the plugin reports
   * its own (the dashboard's periods and currency, the incentive budget's month and currency).
   */
  storeDefaults?: StoreDefaults;
}

/** The HTTP surface. Logs one line per request: method, route (never the query), status, time. */
export function createApp(deps: AppDeps): express.Express {
  const nowSeconds = deps.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Only when the operator says which proxies to trust: else X-Forwarded-For is ignored.
  if (deps.trustProxy !== undefined && deps.trustProxy !== null) app.set('trust proxy', deps.trustProxy);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      deps.metrics.httpDuration.observe({ route, status: String(res.statusCode) }, seconds);
      // The route's pattern where there is one: paths may carry link codes and restore tokens.
      const path = route === 'unmatched' ? req.path : route;
      deps.logger.info({ method: req.method, path, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
    next();
  });
  app.use(healthRouter(deps));
  app.use(eventsRouter({ ...deps, nowSeconds }));
  app.use(
    linksRouter({
      ...deps,
      nowSeconds,
      storeUrl: deps.storeUrl ?? (() => undefined),
      rateLimits: deps.rateLimits ?? DEFAULT_RATE_LIMITS,
    }),
  );
  app.use(
    whatsappWebhookRouter({
      ...deps,
      appSecret: deps.whatsapp?.appSecret ?? (() => undefined),
      verifyToken: deps.whatsapp?.verifyToken ?? (() => undefined),
      webhookSecret: deps.whatsapp?.webhookSecret ?? (() => undefined),
      provider: deps.whatsapp?.provider ?? (() => undefined),
      ...(deps.monitors ? { onMonitorSignal: () => deps.monitors?.wake() } : {}),
    }),
  );
  app.use(adminRouter({ ...deps, nowSeconds }));
  app.use(monitorsRouter({ ...deps, nowSeconds }));
  app.use(dashboardRouter({ ...deps, nowSeconds }));
  app.use(privacyRouter({ ...deps, nowSeconds }));
  app.use(
    storeAccessRouter({
      ...deps,
      nowSeconds,
      environment: deps.woocommerce?.environment ?? (() => undefined),
      encryptionKey: deps.woocommerce?.encryptionKey,
    }),
  );
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
