<?php
/**
 * The two identifiers a shopper's WooCommerce session carries on the wire: the cart key (one per
 * cart, until that cart is bought) and the session id (one per session, tying anonymous carts and
 * views to a customer once they log in). Both live in the WooCommerce session, so they survive
 * across requests and WooCommerce's guest-to-customer session migration at login.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Stable, non-guessable keys stored in the WooCommerce session. */
final class Session_Keys {
	/** Session key holding the current cart's key. */
	const CART_KEY = 'cartback_cart_key';
	/** Session key holding the session id. */
	const SESSION_ID = 'cartback_session_id';
	/** Session key holding a fingerprint of what was last sent for the current cart. */
	const LAST_SENT = 'cartback_cart_sent';
	/** Session key holding the key of a cart an order was placed from. */
	const ORDERED = 'cartback_cart_ordered';
	/** Session key holding the user this session was last identified with (customer.identified). */
	const IDENTIFIED = 'cartback_identified';

	/**
	 * The current cart's key: 32 hex characters, random, kept in the session (Capture_Checkout reads
	 * the same session entry). Not derived from the customer id alone: a returning customer's new
	 * session must not reuse the key of a cart they bought before.
	 *
	 * @param bool $create Make one when the session has none yet.
	 * @return string|null Null without a session, or when there is none and $create is false.
	 */
	public static function cart_key( bool $create = true ): ?string {
		return self::get_or_make( self::CART_KEY, $create, self::new_cart_seed() );
	}

	/**
	 * The session id: 32 hex characters derived from WooCommerce's customer id for the session.
	 *
	 * @param bool $create Make one when the session has none yet.
	 * @return string|null Null without a session.
	 */
	public static function session_id( bool $create = true ): ?string {
		return self::get_or_make( self::SESSION_ID, $create, 'cartback-session|' . self::wc_customer_id() );
	}

	/**
	 * Gives the session a new cart key once its cart has become an order: the next cart is a new
	 * cart, so an order placed earlier never counts as the conversion of a cart started later.
	 */
	public static function retire_cart_key(): void {
		$session = self::session();
		if ( $session ) {
			$session->set( self::CART_KEY, wp_hash( self::new_cart_seed() ) );
			$session->set( self::LAST_SENT, '' );
			$session->set( self::ORDERED, '' );
		}
	}

	/** Notes that an order was placed from the current cart (its key is what the order carries). */
	public static function mark_ordered(): void {
		$session = self::session();
		$key     = self::cart_key( false );
		if ( $session && null !== $key ) {
			$session->set( self::ORDERED, $key );
		}
	}

	/** Whether an order was placed from the current cart, in this request or an earlier one. */
	public static function cart_was_ordered(): bool {
		$session = self::session();
		$key     = self::cart_key( false );
		return $session && null !== $key && $session->get( self::ORDERED ) === $key;
	}

	/**
	 * Whether this session was identified with $user_id already (a login reported once).
	 *
	 * @param int $user_id The user.
	 */
	public static function identified_as( int $user_id ): bool {
		$session = self::session();
		return $session && (int) $session->get( self::IDENTIFIED, 0 ) === $user_id;
	}

	/**
	 * Notes that this session was identified with $user_id.
	 *
	 * @param int $user_id The user.
	 */
	public static function mark_identified( int $user_id ): void {
		$session = self::session();
		if ( $session ) {
			$session->set( self::IDENTIFIED, $user_id );
		}
	}

	/** A fingerprint of the snapshot last sent for the current cart ('' when none). */
	public static function last_sent(): string {
		$session = self::session();
		return $session ? (string) $session->get( self::LAST_SENT, '' ) : '';
	}

	/**
	 * Remembers what was last sent for the current cart.
	 *
	 * @param string $fingerprint A hash of the snapshot, or "emptied".
	 */
	public static function remember_sent( string $fingerprint ): void {
		$session = self::session();
		if ( $session ) {
			$session->set( self::LAST_SENT, $fingerprint );
		}
	}

	/**
	 * Reads a key from the session, making and storing it when asked.
	 *
	 * @param string $name   Session key.
	 * @param bool   $create Whether to make one.
	 * @param string $seed   What to hash (with the site's salt) into a new value.
	 */
	private static function get_or_make( string $name, bool $create, string $seed ): ?string {
		$session = self::session();
		if ( ! $session ) {
			return null;
		}
		$value = $session->get( $name );
		if ( is_string( $value ) && preg_match( '/^[A-Za-z0-9_-]{1,64}$/', $value ) ) { // The schema's key.
			return $value;
		}
		if ( ! $create ) {
			return null;
		}
		$value = wp_hash( $seed ); // HMAC-MD5 keyed with the site's salt: 32 hex, not guessable.
		$session->set( $name, $value );
		return $value;
	}

	/** What a new cart key is hashed from: the session's customer and a random UUID. */
	private static function new_cart_seed(): string {
		return 'cartback-cart|' . self::wc_customer_id() . '|' . wp_generate_uuid4();
	}

	/** WooCommerce's customer id for the session (the user id, or a random guest id). */
	private static function wc_customer_id(): string {
		$session = self::session();
		if ( ! $session ) {
			return '';
		}
		return (string) ( is_callable( array( $session, 'get_customer_unique_id' ) ) ? $session->get_customer_unique_id() : $session->get_customer_id() );
	}

	/** The WooCommerce session, when there is one (not in wp-admin or cron). */
	private static function session() {
		if ( ! function_exists( 'WC' ) ) {
			return null;
		}
		$session = WC()->session;
		return is_object( $session ) ? $session : null;
	}
}
