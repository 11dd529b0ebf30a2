import { createLogger } from '../logger';
import { FakeConfigError, loadFakeConfig, type FakeConfig } from './config';
import { createFakeCloudApi } from './server';

/** `npm run fake:whatsapp`: the fake WhatsApp Cloud API (a test double) as a process. */

function fail(message: string): never {
  process.stderr.write(`fake-whatsapp (test double): ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: FakeConfig;
  try {
    config = loadFakeConfig(process.env);
  } catch (error) {
    if (error instanceof FakeConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }
  const logger = createLogger(config.logLevel).child({ component: 'fake-whatsapp (test double)' });
  const fake = createFakeCloudApi({ ...config, logger });
  const { url } = await fake.listen(config.port, config.host).catch((error: { code?: string; message?: string }) => {
    if (error.code === 'EADDRINUSE') fail(`port ${config.port} is already in use; set PORT to another`);
    fail(`cannot listen on ${config.host}:${config.port}: ${error.message ?? String(error)}`);
  });
  logger.info(
    {
      url,
      graphApi: `${url}/v24.0/${config.phoneNumberId}/messages`,
      ...(config.dialog360 ? { dialog360Api: `${url}/messages` } : {}),
      wabaId: config.wabaId,
      webhookUrl: config.webhookUrl ?? null,
      rateLimit: config.rateLimit,
    },
    'fake WhatsApp Cloud API (a test double) listening',
  );
  if (!config.webhookUrl) logger.warn('FAKE_WEBHOOK_URL is not set: statuses and inbound messages will not be sent');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'fake WhatsApp Cloud API (a test double) shutting down');
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
