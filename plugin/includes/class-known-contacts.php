<?php
/**
 * The contact references known browsers carry (Known_Browser): one random reference per contact,
 * kept in the plugin's own table with keyed hashes of the contact's phone and email, never the
 * phone or email themselves. Erasure deletes the row, so the reference stops resolving: an old
 * cookie ties nothing to anyone, and a later opt-in gets a new reference.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** SQL for the known-contacts table; nothing else touches it. */
final class Known_Contacts {
	/** The table's name, with the site's prefix. */
	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . 'cartback_known_contacts';
	}

	/** The CREATE TABLE statement, in dbDelta's format. */
	public static function schema(): string {
		global $wpdb;
		$table   = self::table();
		$charset = $wpdb->get_charset_collate();
		return "CREATE TABLE {$table} (
  ref char(32) NOT NULL,
  phone_key char(64) NOT NULL,
  email_key char(64) NOT NULL DEFAULT '',
  created_at datetime NOT NULL,
  PRIMARY KEY  (ref),
  UNIQUE KEY phone_key (phone_key),
  KEY email_key (email_key)
) {$charset};";
	}

	/**
	 * The contact's reference, made on first use (random: 128 bits from random_bytes()). Two
	 * requests making one at once end with the same: the phone key is unique.
	 *
	 * @param string      $phone E.164.
	 * @param string|null $email Their email, when known (kept as a keyed hash, for erasure by email).
	 * @return string|null The reference, or null when the table cannot be written.
	 */
	public static function ref_for( string $phone, ?string $email ): ?string {
		global $wpdb;
		$table     = self::table();
		$phone_key = self::key( $phone );
		$email_key = null === $email || '' === $email ? null : self::key( strtolower( trim( $email ) ) );
		// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix.
		$wpdb->query(
			$wpdb->prepare(
				"INSERT IGNORE INTO {$table} (ref, phone_key, email_key, created_at) VALUES (%s, %s, %s, %s)",
				bin2hex( random_bytes( 16 ) ),
				$phone_key,
				(string) $email_key,
				gmdate( 'Y-m-d H:i:s' )
			)
		);
		if ( null !== $email_key ) {
			$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET email_key = %s WHERE phone_key = %s", $email_key, $phone_key ) );
		}
		$ref = $wpdb->get_var( $wpdb->prepare( "SELECT ref FROM {$table} WHERE phone_key = %s", $phone_key ) );
		// phpcs:enable
		return is_string( $ref ) && '' !== $ref ? $ref : null;
	}

	/**
	 * Whether a reference still belongs to a contact: one primary-key lookup.
	 *
	 * @param string $ref A reference.
	 */
	public static function exists( string $ref ): bool {
		global $wpdb;
		$table = self::table();
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix.
		return null !== $wpdb->get_var( $wpdb->prepare( "SELECT 1 FROM {$table} WHERE ref = %s", $ref ) );
	}

	/**
	 * The references of a person, found by any of their phones or their email, for the exporter.
	 *
	 * @param string[] $phones E.164 phones.
	 * @param string   $email  Email address ('' for none).
	 * @return array<int, array{ref: string, created_at: string}>
	 */
	public static function find( array $phones, string $email ): array {
		global $wpdb;
		$keys  = array_map( array( self::class, 'key' ), array_values( array_unique( array_filter( $phones, 'is_string' ) ) ) );
		$email = strtolower( trim( $email ) );
		if ( ! $keys && '' === $email ) {
			return array();
		}
		$table = self::table();
		$where = array();
		$args  = array();
		if ( $keys ) {
			$where[] = 'phone_key IN (' . implode( ', ', array_fill( 0, count( $keys ), '%s' ) ) . ')';
			$args    = $keys;
		}
		if ( '' !== $email ) {
			$where[] = 'email_key = %s';
			$args[]  = self::key( $email );
		}
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.PreparedSQL.NotPrepared -- table name from $wpdb->prefix, placeholders built above.
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT ref, created_at FROM {$table} WHERE " . implode( ' OR ', $where ) . ' ORDER BY created_at', $args ), ARRAY_A );
		return is_array( $rows ) ? $rows : array();
	}

	/**
	 * Deletes the references of a person, found by any of their phones or their email.
	 *
	 * @param string[] $phones E.164 phones.
	 * @param string   $email  Email address ('' for none).
	 * @return int How many references were deleted.
	 */
	public static function forget( array $phones, string $email ): int {
		global $wpdb;
		$table   = self::table();
		$deleted = 0;
		foreach ( array_unique( array_filter( $phones, 'is_string' ) ) as $phone ) {
			// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix.
			$deleted += (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE phone_key = %s", self::key( $phone ) ) );
		}
		$email = strtolower( trim( $email ) );
		if ( '' !== $email ) {
			// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- table name from $wpdb->prefix.
			$deleted += (int) $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE email_key = %s", self::key( $email ) ) );
		}
		return $deleted;
	}

	/**
	 * A keyed hash of a phone or email: HMAC-SHA256 with a key derived from this site's salts, so
	 * the table alone does not give the numbers away (a plain hash of a phone is easily reversed).
	 *
	 * @param string $value The phone or email.
	 */
	private static function key( string $value ): string {
		return hash_hmac( 'sha256', $value, hash_hmac( 'sha256', 'cartback/known-contacts', wp_salt( 'auth' ) ) );
	}
}
