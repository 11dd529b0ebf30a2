import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { createDb, ensureDatabase, type Db } from './db/database';
import { migrateToLatest } from './db/migrate';
import { createApp } from './http/app';
import type { Logger } from './logger';
import { createMetrics } from './metrics';
import { resolveSecret, secretAnnouncement } from './secret';

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
    if (generated) announce(secretAnnouncement(secret, config.publicBaseUrl));
    const app = createApp({
      db,
      logger,
      metrics: createMetrics(),
      storeId: DEFAULT_STORE_ID,
      secret: () => secret,
      storeUrl: () => config.storeUrl,
    });
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.port, () => resolve(s));
      s.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    logger.info({ port }, 'cartback sidecar listening');
    return { server, db, port, stop: (graceMs = 10_000) => stopSidecar(server, db, logger, graceMs) };
  } catch (error) {
    await db.destroy();
    throw error;
  }
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
