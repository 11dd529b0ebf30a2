<?php
/**
 * Captures a shopper logging in: customer.identified ties the session's anonymous carts and
 * product views (by session id) to the customer, with the customer's email and billing phone.
 *
 * Only shoppers: people who run the store (administrators, shop managers, editors …) are never
 * reported, and a session is identified with a user at most once. WordPress fires wp_login only
 * from wp_signon() — once per sign-in on wp-login.php or WooCommerce's My Account form, never for
 * a request authenticated by its cookie or for a REST call — so before this each time an admin
 * signed in, a customer.identified went out.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** customer.identified. */
final class Capture_Customer {
	/**
	 * A user with any of these runs the store. The same capabilities WooCommerce lets into
	 * wp-admin (WC_Admin::prevent_admin_access()): every role from contributor up has edit_posts,
	 * shop managers manage_woocommerce; WooCommerce's customer and WordPress's subscriber have
	 * none of them.
	 */
	const STAFF_CAPABILITIES = array( 'edit_posts', 'manage_woocommerce', 'view_admin_dashboard' );

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
		if ( Events::suppressed() || ! $user instanceof \WP_User || $user->ID <= 0 || self::runs_the_store( $user ) ) {
			return;
		}
		$session_id = Session_Keys::session_id();
		if ( null === $session_id || Session_Keys::identified_as( (int) $user->ID ) ) {
			return; // No WooCommerce session (wp-admin, cron): nothing to tie; or tied already.
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
		if ( Events::emit( 'customer.identified', $data ) ) {
			Session_Keys::mark_identified( (int) $user->ID );
		}
	}

	/**
	 * Whether the user works on the store rather than shops in it.
	 *
	 * @param \WP_User $user The user.
	 */
	public static function runs_the_store( \WP_User $user ): bool {
		foreach ( self::STAFF_CAPABILITIES as $capability ) {
			if ( user_can( $user, $capability ) ) {
				return true;
			}
		}
		return false;
	}
}
