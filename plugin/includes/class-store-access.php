<?php
/**
 * Store access: the sidecar's WooCommerce REST API key, made and handed over without anyone
 * copying keys. The key is created exactly as WooCommerce creates one (WC_Auth::create_keys()):
 * a row in `{prefix}woocommerce_api_keys` owned by the admin who granted it, so it is listed —
 * and can be revoked — under WooCommerce → Settings → Advanced → REST API. The consumer key and
 * secret go to the sidecar once, in the body of a signed `PUT /v1/admin/store-access`; the
 * plugin keeps only the key's id. Neither ever reaches a browser or an option.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Grants, revokes and reports the sidecar's access to the store. */
final class Store_Access {
	/** `{key_id: int}` of the key the sidecar holds; key_id 0 once access was revoked. */
	const OPTION = 'cartback_store_access';

	/** The sidecar's admin route for its store credentials. */
	const PATH = '/v1/admin/store-access';

	/** What a granted key may do: coupons need write, products and orders read. */
	const PERMISSIONS = 'read_write';

	/** WooCommerce's table of REST API keys. */
	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . 'woocommerce_api_keys';
	}

	/** The id of the key the sidecar was given (0 when none). */
	public static function key_id(): int {
		$stored = get_option( self::OPTION, array() );
		return is_array( $stored ) ? (int) ( $stored['key_id'] ?? 0 ) : 0;
	}

	/** Whether store access was ever granted or revoked on this site (the first connection grants it). */
	public static function ever_decided(): bool {
		return false !== get_option( self::OPTION );
	}

	/**
	 * Makes a new key owned by the current user, hands it to the sidecar, and replaces the key it
	 * held before. When the sidecar cannot take it, the new key is deleted again: no key is left
	 * that nobody uses.
	 *
	 * @return array{ok: bool, status: int, code: string, message: string, key_ending: string, granted_at: string}
	 */
	public static function grant(): array {
		global $wpdb;
		$user_id = get_current_user_id();
		if ( ! Settings::connected() ) {
			return self::failure( 400, 'not_configured', __( 'Connect the sidecar first: store access is handed to it over that connection.', 'cartback' ) );
		}
		if ( 0 === $user_id || ! user_can( $user_id, 'manage_woocommerce' ) ) {
			return self::failure( 403, 'cartback_forbidden', __( 'Only a store manager can grant store access.', 'cartback' ) );
		}
		if ( ! function_exists( 'wc_rand_hash' ) || ! function_exists( 'wc_api_hash' ) ) {
			return self::failure( 400, 'woocommerce_missing', __( 'WooCommerce is not active: it makes the REST API key.', 'cartback' ) );
		}
		// As WC_Auth::create_keys() does; WooCommerce keeps only the key's hash, so the key
		// itself is never readable again once it has gone to the sidecar.
		$consumer_key    = 'ck_' . wc_rand_hash();
		$consumer_secret = 'cs_' . wc_rand_hash();
		$inserted        = $wpdb->insert(
			self::table(),
			array(
				'user_id'         => $user_id,
				'description'     => self::description(),
				'permissions'     => self::PERMISSIONS,
				'consumer_key'    => wc_api_hash( $consumer_key ),
				'consumer_secret' => $consumer_secret,
				'truncated_key'   => substr( $consumer_key, -7 ),
			),
			array( '%d', '%s', '%s', '%s', '%s', '%s' )
		);
		if ( false === $inserted ) {
			return self::failure( 500, 'key_not_created', __( 'WooCommerce\'s REST API key could not be created in the database.', 'cartback' ) );
		}
		$key_id = (int) $wpdb->insert_id;
		$ending = substr( $consumer_key, -7 );
		$answer = Sidecar_Client::request(
			'PUT',
			self::PATH,
			array(
				'url'             => home_url(),
				'consumer_key'    => $consumer_key,
				'consumer_secret' => $consumer_secret,
				'key_id'          => $key_id,
			)
		);
		unset( $consumer_key, $consumer_secret );
		$body = $answer['body'];
		if ( ! $answer['ok'] || ! is_array( $body ) || true !== ( $body['granted'] ?? null ) ) {
			self::delete_key( $key_id );
			return $answer['ok']
				? self::failure( 503, 'cartback_sidecar_unavailable', __( 'The sidecar did not confirm that it took the key, so the key was deleted again. Check the sidecar URL.', 'cartback' ) )
				: self::sidecar_failure( $answer, __( 'The key was deleted again.', 'cartback' ) );
		}
		$previous = self::key_id();
		update_option( self::OPTION, array( 'key_id' => $key_id ), false );
		if ( $previous > 0 && $previous !== $key_id ) {
			self::delete_key( $previous ); // The sidecar no longer uses it.
		}
		return array(
			'ok'         => true,
			'status'     => 200,
			'code'       => '',
			'message'    => '',
			'key_ending' => $ending,
			'granted_at' => is_string( $body['granted_at'] ?? null ) ? $body['granted_at'] : '',
		);
	}

	/**
	 * Deletes the key (so it stops working at once, whatever the sidecar says) and tells the
	 * sidecar to forget it. A sidecar that cannot be told is reported, but the key is gone.
	 *
	 * @return array{ok: bool, status: int, code: string, message: string}
	 */
	public static function revoke(): array {
		$key_id = self::key_id();
		if ( $key_id > 0 ) {
			self::delete_key( $key_id );
		}
		update_option( self::OPTION, array( 'key_id' => 0 ), false );
		$answer = Sidecar_Client::request( 'DELETE', self::PATH );
		if ( $answer['ok'] ) {
			return array(
				'ok'      => true,
				'status'  => 200,
				'code'    => '',
				'message' => '',
			);
		}
		if ( 409 === $answer['status'] ) {
			return self::failure( 409, 'environment_credentials', __( 'The key Cartback made is deleted, but the sidecar uses the WooCommerce key from its own environment (WOOCOMMERCE_CONSUMER_KEY and WOOCOMMERCE_CONSUMER_SECRET). Remove those there, or revoke that key under WooCommerce → Settings → Advanced → REST API.', 'cartback' ) );
		}
		return self::sidecar_failure( $answer, __( 'The key is deleted in WooCommerce all the same, so it no longer works.', 'cartback' ) );
	}

	/**
	 * How store access stands: the sidecar's view (`GET /v1/admin/store-access`) checked against
	 * this store's keys, since an admin may have deleted the key under WooCommerce's REST API
	 * settings. `state` is one of granted, not_granted, environment (the sidecar's own
	 * WOOCOMMERCE_* settings), revoked_in_woocommerce, unknown (the sidecar cannot be asked).
	 *
	 * @return array{state: string, key_ending: string, granted_at: string, code: string, message: string}
	 */
	public static function status(): array {
		$local  = self::key_id() > 0 ? self::local_key( self::key_id() ) : null;
		$ending = null !== $local ? (string) $local['truncated_key'] : '';
		$answer = Sidecar_Client::request( 'GET', self::PATH );
		if ( ! $answer['ok'] || ! is_array( $answer['body'] ) ) {
			$failure = $answer['ok'] ? array( 'code' => 'cartback_sidecar_unavailable', 'message' => __( 'The sidecar\'s answer was not what Cartback expects. Check the sidecar URL.', 'cartback' ) ) : self::sidecar_failure( $answer, '' );
			return self::state( 'unknown', $ending, '', $failure['code'], $failure['message'] );
		}
		$body       = $answer['body'];
		$granted_at = is_string( $body['granted_at'] ?? null ) ? $body['granted_at'] : '';
		if ( true !== ( $body['granted'] ?? null ) ) {
			return self::state( 'not_granted', '', '' );
		}
		if ( 'environment' === ( $body['source'] ?? null ) ) {
			return self::state( 'environment', is_string( $body['key_ending'] ?? null ) ? $body['key_ending'] : '', '' );
		}
		$held = is_string( $body['key_ending'] ?? null ) ? $body['key_ending'] : '';
		if ( null === $local || ( '' !== $held && ! self::same_ending( $held, $ending ) ) ) {
			// The sidecar holds a key this store no longer has: deleted under WooCommerce → REST API
			// (or one whose answer was lost, which the failed grant deleted again).
			return self::state( 'revoked_in_woocommerce', '', $granted_at );
		}
		return self::state( 'granted', $ending, $granted_at );
	}

	/**
	 * Whether two key endings (of any length) are of the same key.
	 *
	 * @param string $a One ending.
	 * @param string $b The other.
	 */
	private static function same_ending( string $a, string $b ): bool {
		$length = min( strlen( $a ), strlen( $b ) );
		return $length > 0 && substr( $a, -$length ) === substr( $b, -$length );
	}

	/** Deletes the key Cartback made, without asking the sidecar (uninstall). */
	public static function forget(): void {
		if ( self::key_id() > 0 ) {
			self::delete_key( self::key_id() );
		}
		delete_option( self::OPTION );
	}

	/**
	 * The key's row (without its hash and secret), or null when WooCommerce no longer has it.
	 *
	 * @param int $key_id The key's id.
	 * @return array{key_id: string, user_id: string, truncated_key: string}|null
	 */
	private static function local_key( int $key_id ): ?array {
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( 'SELECT key_id, user_id, truncated_key FROM ' . self::table() . ' WHERE key_id = %d', $key_id ), ARRAY_A ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- the table name is WooCommerce's.
		return is_array( $row ) ? $row : null;
	}

	/**
	 * Deletes a key row, as WooCommerce's "Revoke" does.
	 *
	 * @param int $key_id The key's id.
	 */
	private static function delete_key( int $key_id ): void {
		global $wpdb;
		$wpdb->delete( self::table(), array( 'key_id' => $key_id ), array( '%d' ) );
	}

	/** The key's description in WooCommerce's list: says what it is for and where it went. */
	private static function description(): string {
		$parts = wp_parse_url( Settings::sidecar_url() );
		$host  = (string) ( $parts['host'] ?? '' ) . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
		/* translators: %s: the sidecar's host, such as "127.0.0.1:8787". */
		$text = sprintf( __( 'Cartback (sidecar at %s)', 'cartback' ), $host );
		return mb_substr( $text, 0, 200 ); // WooCommerce's description column is varchar(200).
	}

	/**
	 * A status reply.
	 *
	 * @param string $state      The state.
	 * @param string $key_ending The key's last 7 characters, as WooCommerce lists it.
	 * @param string $granted_at When the sidecar took the key (ISO 8601), '' when unknown.
	 * @param string $code       Why the state is unknown.
	 * @param string $message    What the admin reads then.
	 */
	private static function state( string $state, string $key_ending, string $granted_at, string $code = '', string $message = '' ): array {
		return array(
			'state'      => $state,
			'key_ending' => $key_ending,
			'granted_at' => $granted_at,
			'code'       => $code,
			'message'    => $message,
		);
	}

	/**
	 * A failure the sidecar caused: its own refusal (4xx with its reason) or that it could not
	 * answer (503), with what that means for the key added.
	 *
	 * @param array  $answer Sidecar_Client::request's answer.
	 * @param string $after  What happened to the key, appended to the message.
	 */
	private static function sidecar_failure( array $answer, string $after ): array {
		$refused = $answer['status'] >= 400 && $answer['status'] < 500 && 401 !== $answer['status'];
		$message = 404 === $answer['status']
			? __( 'This sidecar does not offer store access yet: update it to the same Cartback version as the plugin.', 'cartback' )
			: self::scrub( $answer['message'] );
		$message = trim( $message . ' ' . $after );
		$codes   = array(
			'unreachable'  => 'cartback_sidecar_unreachable',
			'unauthorized' => 'cartback_sidecar_unauthorized',
		);
		$code    = $codes[ $answer['code'] ] ?? $answer['code'];
		return self::failure( $refused ? $answer['status'] : 503, $code, $message );
	}

	/**
	 * A failed grant or revoke.
	 *
	 * @param int    $status  HTTP status for the admin screen.
	 * @param string $code    Machine-readable reason.
	 * @param string $message What the admin reads.
	 */
	private static function failure( int $status, string $code, string $message ): array {
		return array(
			'ok'         => false,
			'status'     => $status,
			'code'       => $code,
			'message'    => $message,
			'key_ending' => '',
			'granted_at' => '',
		);
	}

	/**
	 * The sidecar's words with anything shaped like a consumer key or secret masked, in case an
	 * error ever echoes what it was sent: the admin's browser must never see one.
	 *
	 * @param string $text The message.
	 */
	private static function scrub( string $text ): string {
		return (string) preg_replace( '/\bc[ks]_[0-9a-f]{8,}/i', '[key]', $text );
	}
}
