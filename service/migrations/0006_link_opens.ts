import { sql, type Kysely } from 'kysely';

/**
 * Links count a shopper once, however often they open them: one `clicks` row per link code (the
 * first open's time in `clicked_at`, every open in `opens`, the latest in `last_opened_at`), so
 * link scanners and reloads no longer add clicks. Rows already there are folded into one per code
 * (their count becomes `opens`). Restore tokens get the random salt they are derived from (an
 * unexpired one is handed out again rather than a new one minted each open), and an index to
 * find a link's live token.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE clicks
    ADD COLUMN opens INT UNSIGNED NOT NULL DEFAULT 1 COMMENT 'every open of the link, the first included' AFTER clicked_at,
    ADD COLUMN last_opened_at DATETIME(3) NULL AFTER opens`.execute(db);
  await sql`UPDATE clicks c
    JOIN (SELECT code, MIN(id) AS id, MIN(clicked_at) AS first_at, MAX(clicked_at) AS last_at, COUNT(*) AS n
          FROM clicks GROUP BY code) g ON g.id = c.id
    SET c.clicked_at = g.first_at, c.last_opened_at = g.last_at, c.opens = g.n`.execute(db);
  await sql`DELETE c FROM clicks c
    JOIN (SELECT code, MIN(id) AS id FROM clicks GROUP BY code) g ON g.code = c.code AND c.id <> g.id`.execute(db);
  await sql`ALTER TABLE clicks
    MODIFY last_opened_at DATETIME(3) NOT NULL,
    ADD UNIQUE KEY clicks_code (code)`.execute(db);
  await sql`ALTER TABLE restore_tokens
    ADD COLUMN salt CHAR(22) CHARACTER SET ascii COLLATE ascii_bin NULL
      COMMENT 'the token is HMAC(secret, code and salt); null for tokens minted before' AFTER code,
    ADD KEY restore_tokens_code (code, expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE restore_tokens DROP KEY restore_tokens_code, DROP COLUMN salt`.execute(db);
  await sql`ALTER TABLE clicks DROP KEY clicks_code, DROP COLUMN last_opened_at, DROP COLUMN opens`.execute(db);
}
