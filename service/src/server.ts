import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { createDb, ensureDatabase, type Db } from './db/database';
import { migrateToLatest } from './db/migrate';
import { createApp } from './http/app';
import type { Logger } from './logger';
import { createMetrics } from './metrics';
import { resolveSecret, secretAnnouncement } from './secret';
import { Dispatcher } from './dispatch/dispatcher';
import { AttributionScheduler } from './attribution/pass';
import { CouponCleanup } from './coupons/cleanup';
import { MonitorScheduler } from './monitors/pass';
import { RollupScheduler } from './measure/sql/rollup-scheduler';
import { TokenPurger } from './links/purger';
import { LostSweeper } from './reconcile/sweeper';
import { RecoveryEngine } from './recovery/engine';
import { storeAccess } from './store-access/access';
import { encryptionKey } from './store-access/crypto';
import { readStoreProfile, type StoreDefaults } from './store/profile';
import { wooCatalog } from './woo/catalog';
import { cloudProviderConfig, createCloudProvider } from './whatsapp/cloud';
import { createD360Provider, d360ProviderConfig } from './whatsapp/d360';
import type { WhatsAppProvider } from './whatsapp/provider';

export const DEFAULT_STORE_ID = 1;

export interface Sidecar {
  server: Server;
  db: Db;
  port: number;
  /** Stops taking connections, lets in-flight requests finish, then closes the pool. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts the sidecar: creates the database if missing, migrates, settles the shared secret and
 * listens. `announce` receives the one-time message when a secret was generated.
 */
export async function startSidecar(
  config: Config,
  logger: Logger,
  announce: (message: string) => void,
): Promise<Sidecar> {
  await ensureDatabase(config.databaseUrl);
  const db = createDb(config.databaseUrl);
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
    const { secret, generated } = await resolveSecret(db, DEFAULT_STORE_ID, config.secret);
    const provider = whatsappProvider(config, logger);
    const dispatcher = provider ? new Dispatcher({ db, provider, logger }) : null;
    const store: StoreDefaults = {
      timeZone: config.store.timezone,
      locale: config.store.locale,
      currency: config.store.currency,
      storeUrl: config.storeUrl,
      storeApiUrl: config.storeApiUrl,
    };
    const accessConfig = {
      environment: config.woocommerce,
      encryptionKey: encryptionKey(secret, config.encryptionKey),
    };
    // The store's REST client (null until the plugin hands over a key): live stock, coupons.
    const wooClient = () => storeAccess(db, DEFAULT_STORE_ID, accessConfig).then((access) => access?.client ?? null);
    const engine = new RecoveryEngine({
      db,
      storeId: DEFAULT_STORE_ID,
      logger,
      provider,
      store,
      // Live stock and price over the store's REST API; without access granted it answers null,
      // and steps go on the captured facts (engine/catalog.ts).
      catalog: wooCatalog(wooClient, () =>
        readStoreProfile(db, DEFAULT_STORE_ID, store).then((profile) => profile.currency),
      ),
      // Per-step coupons (recovery/step-coupon.ts) are made over the same REST access.
      coupons: wooClient,
      everySeconds: config.engineTickSeconds,
      winbackHour: config.winbackHour,
      secret: () => secret,
      // A message queued in this process is sent at once, not at the dispatcher's next poll.
      onQueued: () => dispatcher?.wake(),
    });
    const purger = new TokenPurger({ db, storeId: DEFAULT_STORE_ID, logger });
    const attribution = new AttributionScheduler({ db, storeId: DEFAULT_STORE_ID, logger });
    const couponCleanup = new CouponCleanup({ db, storeId: DEFAULT_STORE_ID, logger, client: wooClient });
    const rollups = new RollupScheduler({ db, storeId: DEFAULT_STORE_ID, logger });
    if (generated) announce(secretAnnouncement(secret, config.publicBaseUrl));
    const metrics = createMetrics();
    const sweeper = new LostSweeper({ db, logger, metrics, windowMs: config.reconcileWindowMs });
    const monitors = new MonitorScheduler({ db, storeId: DEFAULT_STORE_ID, logger, metrics });
    const app = createApp({
      db,
      logger,
      metrics,
      storeId: DEFAULT_STORE_ID,
      reconcileWindowMs: config.reconcileWindowMs,
      secret: () => secret,
      storeUrl: () => config.storeUrl,
      rateLimits: config.rateLimits,
      trustProxy: config.trustProxy,
      whatsapp: {
        appSecret: () => config.whatsapp.appSecret,
        verifyToken: () => config.whatsapp.verifyToken,
        webhookSecret: () => config.whatsapp.webhookSecret,
        provider: () => provider,
      },
      woocommerce: { environment: () => config.woocommerce, encryptionKey: config.encryptionKey },
      monitors,
      storeDefaults: store,
    });
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, () => resolve(s));
      s.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    logger.info({ port }, 'cartback sidecar listening');
    engine.start();
    dispatcher?.start();
    purger.start();
    sweeper.start();
    attribution.start();
    couponCleanup.start();
    monitors.start();
    rollups.start();
    return {
      server,
      db,
      port,
      stop: async (graceMs = 10_000) => {
        await engine.stop();
        await dispatcher?.stop();
        await purger.stop();
        await sweeper.stop();
        await attribution.stop();
        await couponCleanup.stop();
        await monitors.stop();
        await rollups.stop();
        await stopSidecar(server, db, logger, graceMs);
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

/**
 * The WhatsApp provider, when its credentials are configured; without them the sidecar still
 * takes in events, and says once that it will not send.
 */
function whatsappProvider(config: Config, logger: Logger): WhatsAppProvider | undefined {
  const { provider } = config.whatsapp;
  if (provider === 'twilio') {
    logger.warn({ provider }, 'the twilio provider is not implemented yet; not sending');
    return undefined;
  }
  const configured =
    provider === '360dialog'
      ? config.whatsapp.accessToken
      : config.whatsapp.accessToken || config.whatsapp.phoneNumberId || config.whatsapp.wabaId;
  if (!configured) {
    logger.warn('WhatsApp is not configured (WHATSAPP_ACCESS_TOKEN, …): taking in events, sending nothing');
    return undefined;
  }
  if (provider === '360dialog') return createD360Provider(d360ProviderConfig(config.whatsapp));
  return createCloudProvider(cloudProviderConfig(config.whatsapp));
}

async function stopSidecar(server: Server, db: Db, logger: Logger, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections go as soon as their request is answered, not after their idle timeout.
  server.closeIdleConnections();
  const sweeper = setInterval(() => server.closeIdleConnections(), 50);
  const timer = setTimeout(() => {
    logger.warn({ graceMs }, 'in-flight requests still open at the end of the grace period; closing them');
    server.closeAllConnections();
  }, graceMs);
  await closed;
  clearInterval(sweeper);
  clearTimeout(timer);
  await db.destroy();
  logger.info('cartback sidecar stopped');
}
