import { Router } from 'express';
import Joi from 'joi';
import type { Db } from '../db/database';
import { accessStatus, grantAccess, keyEnding, type StoreAccessConfig } from '../store-access/access';
import { encryptionKey } from '../store-access/crypto';
import { deleteGrant } from '../store-access/sql';
import type { WooCredentials } from '../woo/client';
import { ApiError } from './errors';
import { jsonBody, signedRoute } from './signed';

/**
 * The plugin hands the sidecar the WooCommerce REST API key it created for Cartback (every route
 * signed, 401 and nothing changed otherwise):
 *
 * - `PUT /v1/admin/store-access` `{url, consumer_key, consumer_secret, key_id?}` → 200
 *   `{granted: true, source: 'plugin', url, key_ending, granted_at}`; 400 `invalid_store_access`
 *   naming the field. The key is kept encrypted and not tried here: the plugin's PHP request is
 *   waiting on this answer, and a call back into a single-threaded store would deadlock.
 * - `GET /v1/admin/store-access` → `{granted, source: 'plugin' | 'environment' | null, url,
 *   key_ending, granted_at}` (the access in use: WOOCOMMERCE_* variables win over the grant);
 *   never the key or the secret.
 * - `DELETE /v1/admin/store-access` → `{granted: false}`; 409 `environment_credentials` while
 *   the WOOCOMMERCE_* variables are set (nothing changed: unset them to revoke).
 */

const grantSchema = Joi.object({
  url: Joi.string()
    .max(2048)
    .uri({ scheme: ['http', 'https'] })
    .custom((value: string, helpers) => {
      const url = new URL(value);
      return url.username || url.password || url.search || url.hash ? helpers.error('url.home') : value;
    })
    .required()
    .messages({ 'url.home': '{{#label}} must be the store home URL, without credentials, query or fragment' }),
  consumer_key: Joi.string()
    .pattern(/^ck_[0-9a-f]{40}$/)
    .required()
    .messages({ 'string.pattern.base': '{{#label}} must be a WooCommerce consumer key (ck_ and 40 hex digits)' }),
  consumer_secret: Joi.string()
    .pattern(/^cs_[0-9a-f]{40}$/)
    .required()
    .messages({ 'string.pattern.base': '{{#label}} must be a WooCommerce consumer secret (cs_ and 40 hex digits)' }),
  key_id: Joi.number().strict().integer().min(1).max(Number.MAX_SAFE_INTEGER),
})
  .unknown(true)
  .required();

export function storeAccessRouter(deps: {
  db: Db;
  storeId: number;
  secret: () => string;
  nowSeconds: () => number;
  /** The WOOCOMMERCE_* credentials (all three, or none). */
  environment: () => WooCredentials | undefined;
  /** CARTBACK_ENCRYPTION_KEY, when set; else the key comes from the shared secret. */
  encryptionKey?: Buffer | undefined;
}): Router {
  const router = Router();
  const signed = signedRoute(deps.secret, deps.nowSeconds);
  const config = (): StoreAccessConfig => ({
    environment: deps.environment(),
    encryptionKey: encryptionKey(deps.secret(), deps.encryptionKey),
  });

  router.put('/v1/admin/store-access', ...signed, async (req, res) => {
    const { error, value } = grantSchema.validate(jsonBody(req), {
      abortEarly: true,
      errors: { wrap: { label: false } },
    });
    if (error) {
      const detail = error.details[0];
      throw new ApiError(
        400,
        'invalid_store_access',
        detail?.message ?? error.message,
        detail?.path.join('.') || undefined,
      );
    }
    const grant = value as { url: string; consumer_key: string; consumer_secret: string; key_id?: number };
    const url = grant.url.replace(/\/+$/, '');
    const grantedAt = new Date(deps.nowSeconds() * 1000);
    await grantAccess(
      deps.db,
      deps.storeId,
      config().encryptionKey,
      { url, consumerKey: grant.consumer_key, consumerSecret: grant.consumer_secret, keyId: grant.key_id },
      grantedAt,
    );
    res.set('Cache-Control', 'no-store').json({
      granted: true,
      source: 'plugin',
      url,
      key_ending: keyEnding(grant.consumer_key),
      granted_at: grantedAt.toISOString(),
    });
  });

  router.get('/v1/admin/store-access', ...signed, async (_req, res) => {
    res.set('Cache-Control', 'no-store').json(await accessStatus(deps.db, deps.storeId, config()));
  });

  router.delete('/v1/admin/store-access', ...signed, async (_req, res) => {
    if (deps.environment()) {
      throw new ApiError(
        409,
        'environment_credentials',
        'The store access comes from the WOOCOMMERCE_URL, WOOCOMMERCE_CONSUMER_KEY and WOOCOMMERCE_CONSUMER_SECRET variables; unset them on the sidecar to revoke it',
      );
    }
    await deleteGrant(deps.db, deps.storeId);
    res.set('Cache-Control', 'no-store').json({ granted: false });
  });

  return router;
}
