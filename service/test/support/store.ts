import type { Db } from '../../src/db/database';
import { startFakeStore, type FakeStore } from '../../src/fake-store/server';
import { createLogger } from '../../src/logger';
import { RecoveryEngine } from '../../src/recovery/engine';
import { createStoreClient } from '../../src/store/client';
import type { WhatsAppProvider } from '../../src/whatsapp/provider';
import { TEST_SECRET } from './http';

/**
 * The recovery engine as the sidecar runs it (the store's profile, the pull and the pre-send
 * re-check included), with the configuration's store settings at UTC, USD, en, signing with the
 * tests' secret; store calls time out after 2 s.
 */
export function testEngine(
  db: Db,
  options: {
    storeUrl?: string;
    storeApiUrl?: string;
    secret?: string;
    provider?: WhatsAppProvider;
    onQueued?: () => void;
  } = {},
): RecoveryEngine {
  return new RecoveryEngine({
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.onQueued ? { onQueued: options.onQueued } : {}),
    db,
    storeId: 1,
    logger: createLogger('silent'),
    store: {
      timeZone: 'UTC',
      currency: 'USD',
      locale: 'en',
      ...(options.storeUrl ? { storeUrl: options.storeUrl } : {}),
      ...(options.storeApiUrl ? { storeApiUrl: options.storeApiUrl } : {}),
    },
    secret: () => options.secret ?? TEST_SECRET,
    createStoreClient: (baseUrl, secret) => createStoreClient({ baseUrl, secret, timeoutMs: 2000 }),
  });
}

/** The fake of the plugin's routes, checking signatures with the tests' secret, closed after the file. */
export function useFakeStore(): { readonly store: FakeStore } {
  let store: FakeStore | undefined;
  beforeAll(async () => {
    store = await startFakeStore({ secret: TEST_SECRET });
  });
  afterAll(async () => {
    await store?.close();
  });
  return {
    get store() {
      if (!store) throw new Error('useFakeStore: used outside a test');
      return store;
    },
  };
}
