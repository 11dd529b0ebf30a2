<?php
/**
 * Captures product views on single product pages, server side (template_redirect + is_product()).
 * Anonymous shoppers are captured too, by session id: if they later log in or type a phone at
 * checkout, the sidecar links the views to them; until then it cannot message anyone about them.
 * A visitor without a WooCommerce session (no cookie yet) is skipped: a fresh random session per
 * request could never be tied to anyone; unless the browser is a known one (Known_Browser), whose
 * views carry the contact's reference, with or without a session.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** product.viewed. */
final class Capture_Views {
	/** Hooks. */
	public static function register(): void {
		add_action( 'template_redirect', array( self::class, 'on_template_redirect' ), 10, 0 );
	}

	/** On a single product page, records the view. */
	public static function on_template_redirect(): void {
		if ( Events::suppressed() || ! function_exists( 'is_product' ) || ! is_product() || is_admin() || is_preview() ) {
			return;
		}
		if ( isset( $_SERVER['REQUEST_METHOD'] ) && 'GET' !== $_SERVER['REQUEST_METHOD'] ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
			return; // HEAD requests and form posts are not views.
		}
		$session = function_exists( 'WC' ) ? WC()->session : null;
		if ( ! $session ) {
			return;
		}
		$has_session = is_user_logged_in() || $session->has_session();
		$ref         = Known_Browser::contact_ref();
		if ( ! $has_session && null === $ref ) {
			return;
		}
		$product = wc_get_product( get_queried_object_id() );
		if ( ! $product ) {
			return;
		}
		$data = array(
			'session_id'  => $has_session ? (string) Session_Keys::session_id() : self::known_session_id( (string) $ref ),
			'customer_id' => get_current_user_id(),
			'contact_ref' => (string) $ref,
			'product'     => Payloads::product( $product ),
		);
		if ( $data['customer_id'] <= 0 ) {
			unset( $data['customer_id'] );
		}
		if ( '' === $data['contact_ref'] ) {
			unset( $data['contact_ref'] );
		}
		Events::emit( 'product.viewed', $data );
	}

	/**
	 * The session a known browser without a WooCommerce session browses under: the same on every
	 * view from this contact's browsers (so the sidecar groups them), derived from the reference
	 * without showing it.
	 *
	 * @param string $ref The contact reference.
	 */
	private static function known_session_id( string $ref ): string {
		return substr( hash( 'sha256', 'cartback/known-session|' . $ref ), 0, 32 );
	}
}
