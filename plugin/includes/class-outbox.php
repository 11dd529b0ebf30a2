<?php
/**
 * The plugin's own table of events waiting for the sidecar. Written during storefront requests
 * (one INSERT per event), read and acknowledged by the background delivery job.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** SQL for the outbox; nothing else touches the table. */
final class Outbox {
	/** Delivered rows are kept this long (seconds), then pruned. */
	const KEEP_DELIVERED = 7 * DAY_IN_SECONDS;

	/** The table's name, with the site's prefix. */
	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . 'cartback_outbox';
	}

	/** The CREATE TABLE statement, in dbDelta's format. */
	public static function schema(): string {
		global $wpdb;
		$table   = self::table();
		$charset = $wpdb->get_charset_collate();
		return "CREATE TABLE {$table} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  event_id char(36) NOT NULL,
  type varchar(40) NOT NULL,
  payload longtext NOT NULL,
  created_at datetime NOT NULL,
  attempts smallint(5) unsigned NOT NULL DEFAULT 0,
  delivered_at datetime NULL DEFAULT NULL,
  rejected_at datetime NULL DEFAULT NULL,
  last_error varchar(255) NULL DEFAULT NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY event_id (event_id),
  KEY pending (delivered_at, rejected_at, id)
) {$charset};";
	}

	/**
	 * Queues one event: a single INSERT, and nothing else. Not $wpdb->insert(): that first asks
	 * MariaDB for the table's column charsets (SHOW FULL COLUMNS, about 1–2 ms on a real store) to
	 * strip invalid text, which the payload — JSON from wp_json_encode(), valid UTF-8 — never has.
	 *
	 * @param array $event The whole event (id, type, occurred_at, data).
	 */
	public static function add( array $event ): void {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix.
		$wpdb->query(
			$wpdb->prepare(
				"INSERT INTO {$table} (event_id, type, payload, created_at) VALUES (%s, %s, %s, %s)",
				$event['id'],
				$event['type'],
				wp_json_encode( $event, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ),
				gmdate( 'Y-m-d H:i:s' )
			)
		);
	}

	/**
	 * The oldest undelivered events, in the order they were captured.
	 *
	 * @param int $limit At most this many.
	 * @return array<int, object{id: string, event_id: string, payload: string}>
	 */
	public static function pending( int $limit ): array {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix.
		return $wpdb->get_results( $wpdb->prepare( "SELECT id, event_id, payload FROM {$table} WHERE delivered_at IS NULL AND rejected_at IS NULL ORDER BY id LIMIT %d", $limit ) );
	}

	/**
	 * Marks rows acknowledged by the sidecar.
	 *
	 * @param int[] $ids Row ids.
	 */
	public static function mark_delivered( array $ids ): void {
		self::update_rows( $ids, 'delivered_at = %s, attempts = attempts + 1, last_error = NULL', array( gmdate( 'Y-m-d H:i:s' ) ) );
	}

	/**
	 * Counts a failed attempt on rows that stay queued.
	 *
	 * @param int[]  $ids   Row ids.
	 * @param string $error Why (no personal data: a status and the sidecar's error code).
	 */
	public static function mark_attempted( array $ids, string $error ): void {
		self::update_rows( $ids, 'attempts = attempts + 1, last_error = %s', array( substr( $error, 0, 255 ) ) );
	}

	/**
	 * Sets one row aside that the sidecar refused as invalid, so it cannot block the rest.
	 *
	 * @param int    $id    Row id.
	 * @param string $error The sidecar's explanation.
	 */
	public static function mark_rejected( int $id, string $error ): void {
		self::update_rows( array( $id ), 'rejected_at = %s, attempts = attempts + 1, last_error = %s', array( gmdate( 'Y-m-d H:i:s' ), substr( $error, 0, 255 ) ) );
	}

	/**
	 * Deletes delivered rows older than the retention period.
	 *
	 * @param int $now Unix seconds.
	 * @return int Rows deleted.
	 */
	public static function prune( int $now ): int {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		return (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE delivered_at IS NOT NULL AND delivered_at < %s", gmdate( 'Y-m-d H:i:s', $now - self::KEEP_DELIVERED ) ) );
	}

	/**
	 * Rows whose stored event contains $text, case-insensitively (privacy export and erasure).
	 *
	 * @param string $text  What to look for, e.g. a JSON-encoded email.
	 * @param int    $limit At most this many rows.
	 * @return array<int, object{id: string, payload: string, delivered_at: ?string, rejected_at: ?string}>
	 */
	public static function rows_containing( string $text, int $limit ): array {
		global $wpdb;
		$table = self::table();
		$like  = '%' . $wpdb->esc_like( strtolower( $text ) ) . '%';
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix.
		return (array) $wpdb->get_results( $wpdb->prepare( "SELECT id, payload, delivered_at, rejected_at FROM {$table} WHERE LOWER(payload) LIKE %s ORDER BY id LIMIT %d", $like, $limit ) );
	}

	/**
	 * Deletes rows by id, delivered or not (privacy erasure).
	 *
	 * @param int[] $ids Row ids.
	 * @return int Rows deleted.
	 */
	public static function delete_rows( array $ids ): int {
		global $wpdb;
		$ids = array_values( array_unique( array_map( 'intval', $ids ) ) );
		if ( ! $ids ) {
			return 0;
		}
		$table        = self::table();
		$placeholders = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- placeholders built above.
		return (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE id IN ({$placeholders})", $ids ) );
	}

	/**
	 * Counts by state, for the admin screen.
	 *
	 * @return array{pending: int, delivered: int, rejected: int}
	 */
	public static function counts(): array {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$row = $wpdb->get_row( "SELECT SUM(delivered_at IS NULL AND rejected_at IS NULL) AS pending, SUM(delivered_at IS NOT NULL) AS delivered, SUM(rejected_at IS NOT NULL) AS rejected FROM {$table}" );
		return array(
			'pending'   => (int) ( $row->pending ?? 0 ),
			'delivered' => (int) ( $row->delivered ?? 0 ),
			'rejected'  => (int) ( $row->rejected ?? 0 ),
		);
	}

	/**
	 * Runs an UPDATE on a set of rows.
	 *
	 * @param int[]  $ids    Row ids.
	 * @param string $set    The SET clause with placeholders.
	 * @param array  $values Values for the SET placeholders.
	 */
	private static function update_rows( array $ids, string $set, array $values ): void {
		global $wpdb;
		if ( ! $ids ) {
			return;
		}
		$table        = self::table();
		$placeholders = implode( ',', array_fill( 0, count( $ids ), '%d' ) );
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET {$set} WHERE id IN ({$placeholders})", array_merge( $values, array_map( 'intval', $ids ) ) ) );
	}
}
