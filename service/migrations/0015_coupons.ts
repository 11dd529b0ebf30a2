import { sql, type Kysely } from 'kysely';

/**
 * Per-step coupons (issue 11, part 2; recovery/step-coupon.ts). `coupons`: one row per
 * enrollment step that offers an incentive, reserved (with its CSPRNG code) in the transaction
 * that checks the store's monthly budget, then made in WooCommerce outside any lock, then linked
 * to the message that carries it. UNIQUE (enrollment_id, step) makes a retaken step reuse its
 * coupon; UNIQUE (store_id, code) keeps codes unique. `value` is the most the coupon can be worth
 * (minor units), which the budget counts while it is live; `redeemed_value` what an order took
 * off with it (min(value, the order's discount)), counted in the month of `redeemed_at`.
 *
 * `incentive_budgets`: one row per store, the monthly budget (minor units of the store currency;
 * 0 = no coupons). The stepper locks it FOR UPDATE while it sums and reserves, so two sidecars
 * never both spend the last of it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE coupons (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id INT UNSIGNED NOT NULL,
    enrollment_id BIGINT UNSIGNED NOT NULL,
    step INT UNSIGNED NOT NULL,
    lane VARCHAR(64) NOT NULL,
    code VARCHAR(32) CHARACTER SET ascii NOT NULL,
    state ENUM('reserved', 'created', 'void', 'removed') NOT NULL,
    discount_type ENUM('percent', 'fixed_cart') NOT NULL,
    amount VARCHAR(32) CHARACTER SET ascii NOT NULL COMMENT 'as WooCommerce takes it: "10" (percent), "100.00"',
    value BIGINT NOT NULL COMMENT 'minor units: the most the coupon can be worth',
    currency CHAR(3) NOT NULL,
    minimum_spend BIGINT NULL,
    maximum_spend BIGINT NULL COMMENT 'percent coupons: the spend above which it would exceed the ceiling',
    email VARCHAR(255) NULL,
    expires_at DATETIME(3) NOT NULL,
    woo_id BIGINT UNSIGNED NULL,
    create_attempts INT UNSIGNED NOT NULL DEFAULT 0,
    message_id BIGINT UNSIGNED NULL,
    redeemed_at DATETIME(3) NULL,
    redeemed_value BIGINT NULL,
    redeemed_order_id BIGINT UNSIGNED NULL,
    removed_at DATETIME(3) NULL,
    created_at DATETIME(3) NOT NULL,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY coupons_step (enrollment_id, step),
    UNIQUE KEY coupons_code (store_id, code),
    KEY coupons_live (store_id, state, expires_at),
    KEY coupons_redeemed (store_id, redeemed_at),
    KEY coupons_message (message_id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`.execute(db);
  await sql`CREATE TABLE incentive_budgets (
    store_id INT UNSIGNED NOT NULL,
    monthly_budget BIGINT NOT NULL DEFAULT 0,
    updated_at DATETIME(3) NOT NULL,
    PRIMARY KEY (store_id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE incentive_budgets`.execute(db);
  await sql`DROP TABLE coupons`.execute(db);
}
