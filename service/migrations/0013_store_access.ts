import { sql, type Kysely } from 'kysely';

/**
 * Store access (issue 11): the WooCommerce REST API key the plugin created for Cartback and handed
 * over on the signed channel, one per store. The consumer key and secret are kept only as
 * AES-256-GCM ciphertexts (store-access/crypto.ts: `v1.<iv>.<tag>.<data>`, each value with its
 * own random IV, bound to the store and column); `key_ending` is the key's last 7 characters, as
 * WooCommerce lists it under Settings → Advanced → REST API, so an admin can tell which key it is.
 * `key_id` is WooCommerce's own id of the key (woocommerce_api_keys.key_id), when the plugin said.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE store_access (
    store_id INT UNSIGNED NOT NULL,
    url VARCHAR(2048) NOT NULL COMMENT 'the store home URL the REST API is under',
    key_ciphertext VARCHAR(512) CHARACTER SET ascii NOT NULL,
    secret_ciphertext VARCHAR(512) CHARACTER SET ascii NOT NULL,
    key_ending CHAR(7) CHARACTER SET ascii NOT NULL,
    key_id BIGINT UNSIGNED NULL,
    granted_at DATETIME(3) NOT NULL,
    PRIMARY KEY (store_id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE store_access`.execute(db);
}
