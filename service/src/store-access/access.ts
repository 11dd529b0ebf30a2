import type { Db } from '../db/database';
import { WooClient, type WooClientOptions, type WooCredentials } from '../woo/client';
import { open, seal, SealError } from './crypto';
import { readGrant, saveGrant } from './sql';

/**
 * Which WooCommerce REST API credentials the sidecar uses, and where they come from:
 * WOOCOMMERCE_URL + _CONSUMER_KEY + _CONSUMER_SECRET when all three are set (the operator's word
 * wins), else the key the plugin granted (PUT /v1/admin/store-access), kept encrypted in
 * `store_access` (crypto.ts), else none.
 */

export type AccessSource = 'plugin' | 'environment';

export interface StoreAccessConfig {
  /** The WOOCOMMERCE_* variables: all three, or undefined. */
  environment?: WooCredentials | undefined;
  /** The at-rest key: `encryptionKey(sharedSecret, CARTBACK_ENCRYPTION_KEY)`. */
  encryptionKey: Buffer;
  /** For the client built (timeout, page size). */
  client?: WooClientOptions;
}

export interface StoreAccess {
  source: AccessSource;
  /** The store's home URL. */
  url: string;
  /** The consumer key's last 7 characters, as WooCommerce lists the key. */
  keyEnding: string;
  /** WooCommerce's id of the key, when the plugin said (never for the environment). */
  keyId: number | null;
  /** When the plugin granted it (null for the environment). */
  grantedAt: Date | null;
  /** The credentials themselves: not enumerable, so logging a StoreAccess never shows them. */
  readonly credentials: WooCredentials;
  client: WooClient;
}

/** What a grant looks like to an admin: never the key or the secret. */
export interface AccessStatus {
  granted: boolean;
  source: AccessSource | null;
  url: string | null;
  key_ending: string | null;
  granted_at: string | null;
  /** Set when a grant is kept but cannot be opened: the shared secret or encryption key changed. */
  reason?: 'encryption_key_changed';
}

/** The ending WooCommerce shows for a key (`substr( $consumer_key, -7 )`). */
export function keyEnding(consumerKey: string): string {
  return consumerKey.slice(-7);
}

const context = (storeId: number, column: 'key' | 'secret') => `store_access:${storeId}:${column}`;

/** Keeps the plugin's grant, encrypted; replaces the previous one. */
export async function grantAccess(
  db: Db,
  storeId: number,
  key: Buffer,
  grant: WooCredentials & { keyId?: number | undefined },
  now: Date,
): Promise<void> {
  await saveGrant(db, storeId, {
    url: grant.url,
    key_ciphertext: seal(key, grant.consumerKey, context(storeId, 'key')),
    secret_ciphertext: seal(key, grant.consumerSecret, context(storeId, 'secret')),
    key_ending: keyEnding(grant.consumerKey),
    key_id: grant.keyId ?? null,
    granted_at: now,
  });
}

function access(
  source: AccessSource,
  credentials: WooCredentials,
  rest: { keyId: number | null; grantedAt: Date | null },
  options: WooClientOptions | undefined,
): StoreAccess {
  const result = {
    source,
    url: credentials.url,
    keyEnding: keyEnding(credentials.consumerKey),
    ...rest,
    client: new WooClient(credentials, options),
  };
  Object.defineProperty(result, 'credentials', { value: credentials, enumerable: false });
  return result as StoreAccess;
}

type Resolved = { kind: 'none' } | { kind: 'unreadable' } | { kind: 'access'; access: StoreAccess };

async function resolve(db: Db, storeId: number, config: StoreAccessConfig): Promise<Resolved> {
  if (config.environment) {
    return {
      kind: 'access',
      access: access('environment', config.environment, { keyId: null, grantedAt: null }, config.client),
    };
  }
  const grant = await readGrant(db, storeId);
  if (!grant) return { kind: 'none' };
  let credentials: WooCredentials;
  try {
    credentials = {
      url: grant.url,
      consumerKey: open(config.encryptionKey, grant.key_ciphertext, context(storeId, 'key')),
      consumerSecret: open(config.encryptionKey, grant.secret_ciphertext, context(storeId, 'secret')),
    };
  } catch (error) {
    if (error instanceof SealError) return { kind: 'unreadable' };
    throw error;
  }
  return {
    kind: 'access',
    access: access('plugin', credentials, { keyId: grant.key_id, grantedAt: grant.granted_at }, config.client),
  };
}

/**
 * The store's REST API access with a client built on it, or null when none is granted or the
 * kept grant no longer opens (the shared secret changed: the plugin must grant again).
 */
export async function storeAccess(db: Db, storeId: number, config: StoreAccessConfig): Promise<StoreAccess | null> {
  const resolved = await resolve(db, storeId, config);
  return resolved.kind === 'access' ? resolved.access : null;
}

/** The admin's view of the store's access (GET /v1/admin/store-access). */
export async function accessStatus(db: Db, storeId: number, config: StoreAccessConfig): Promise<AccessStatus> {
  const resolved = await resolve(db, storeId, config);
  if (resolved.kind !== 'access') {
    const none: AccessStatus = { granted: false, source: null, url: null, key_ending: null, granted_at: null };
    return resolved.kind === 'unreadable' ? { ...none, reason: 'encryption_key_changed' } : none;
  }
  const a = resolved.access;
  return {
    granted: true,
    source: a.source,
    url: a.url,
    key_ending: a.keyEnding,
    granted_at: a.grantedAt?.toISOString() ?? null,
  };
}
