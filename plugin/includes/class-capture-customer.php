<?php
/**
 * Captures a shopper logging in: customer.identified ties the session's anonymous carts and
 * product views (by session id) to the customer, with the customer's email and billing phone.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** customer.identified. */
final class Capture_Customer {
	/** Hooks. */
	public static function register(): void {
		add_action( 'wp_login', array( self::class, 'on_login' ), 10, 2 );
	}

	/**
	 * A user logged in. The WooCommerce session is still the one the shopper browsed with (it moves
	 * to the customer on the next request, keeping its data), so its session id is the one the
	 * anonymous events carried.
	 *
	 * @param string        $user_login Login name (unused).
	 * @param \WP_User|null $user       The user.
	 */
	public static function on_login( $user_login, $user = null ): void {
		if ( Events::suppressed() || ! $user instanceof \WP_User || $user->ID <= 0 ) {
			return;
		}
		$session_id = Session_Keys::session_id();
		if ( null === $session_id ) {
			return; // No WooCommerce session (wp-admin, cron): nothing to tie.
		}
		$data  = array(
			'session_id'  => $session_id,
			'customer_id' => (int) $user->ID,
		);
		$phone = Phone::to_e164( (string) get_user_meta( $user->ID, 'billing_phone', true ), (string) get_user_meta( $user->ID, 'billing_country', true ) );
		if ( null !== $phone ) {
			$data['phone'] = $phone;
		}
		if ( is_email( $user->user_email ) ) {
			$data['email'] = $user->user_email;
		}
		Events::emit( 'customer.identified', $data );
	}
}
