import { ConfigError, loadConfig, type Config } from './config';
import { loggableError } from './http/errors';
import { createLogger } from './logger';
import { startSidecar } from './server';

/** The URL with any password hidden, for messages. */
function safeUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

function fail(message: string): never {
  process.stderr.write(`cartback: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const sidecar = await startSidecar(config, logger, (message) => process.stdout.write(message)).catch(
    (error: { code?: string; message?: string }) => {
      if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
      if (error.code === 'ECONNREFUSED' || error.code === 'ER_ACCESS_DENIED_ERROR' || error.code === 'ENOTFOUND') {
        fail(`cannot reach the database at ${safeUrl(config.databaseUrl)} (${error.code}); check DATABASE_URL`);
      }
      if (error.code === 'EADDRINUSE') fail(`port ${config.port} is already in use; set PORT to another`);
      logger.fatal({ err: loggableError(error) }, 'start-up failed');
      process.exit(1);
    },
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    sidecar.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: loggableError(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
