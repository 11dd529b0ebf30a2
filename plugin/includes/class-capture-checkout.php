<?php
/**
 * checkout.contact_captured: what a shopper has typed at checkout (phone, email, names, country,
 * and the billing and shipping addresses), as soon as the server can know it, so that a restore
 * link can fill the checkout in again. The blocks checkout sends it itself (Store API
 * cart/update-customer); the classic checkout does not, so a small script posts it (with the
 * opt-in box) to a nonce-checked endpoint of ours.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Checkout contact capture: the Store API hook, the classic checkout's endpoint and its script. */
final class Capture_Checkout {
	const REST_NAMESPACE = 'cartback/v1';
	const REST_ROUTE     = '/checkout/contact';
	const NONCE_ACTION   = 'cartback_checkout_contact';

	/** WC session: what was last sent (the cart's key is Session_Keys', shared with Capture_Cart). */
	const SESSION_SENT = 'cartback_contact_sent';

	/** The blocks checkout sends its additional fields while the shopper types from this version on. */
	const BLOCKS_PUSH_VERSION = '9.8.0';

	/** Milliseconds the scripts wait after the last keystroke. */
	const DEBOUNCE_MS = 600;

	/** Hooks. */
	public static function register(): void {
		add_action( 'woocommerce_store_api_cart_update_customer_from_request', array( self::class, 'from_store_api' ), 10, 2 );
		add_action( 'rest_api_init', array( self::class, 'register_route' ) );
		add_filter( 'woocommerce_is_rest_api_request', array( self::class, 'load_session_for_route' ) );
		add_action( 'wp_enqueue_scripts', array( self::class, 'enqueue_scripts' ) );
	}

	/**
	 * The blocks checkout saved the shopper's addresses (Store API cart/update-customer).
	 *
	 * @param object $customer WC_Customer, with the request's values set.
	 * @param mixed  $request  WP_REST_Request.
	 */
	public static function from_store_api( $customer, $request ): void {
		if ( ! is_object( $customer ) ) {
			return;
		}
		$billing  = Checkout_Address::from_customer( $customer, 'billing' );
		$shipping = Checkout_Address::from_customer( $customer, 'shipping' );
		self::capture(
			array(
				'phone'      => '' !== $billing['phone'] ? $billing['phone'] : $shipping['phone'],
				'email'      => (string) $customer->get_billing_email(),
				'first_name' => '' !== $billing['first_name'] ? $billing['first_name'] : $shipping['first_name'],
				'last_name'  => '' !== $billing['last_name'] ? $billing['last_name'] : $shipping['last_name'],
				'country'    => '' !== $billing['country'] ? $billing['country'] : $shipping['country'],
				'billing'    => $billing,
				'shipping'   => $shipping,
			)
		);
	}

	/**
	 * Queues checkout.contact_captured when what was typed differs from what this session last sent.
	 *
	 * @param array $contact phone (as typed), email, first_name, last_name, country, and billing and
	 *                       shipping (arrays of WooCommerce's address fields), each optional.
	 * @return array|null The event, or null when there was nothing new (or no phone and no email).
	 */
	public static function capture( array $contact ): ?array {
		$cart_key = Session_Keys::cart_key();
		if ( null === $cart_key ) {
			return null;
		}
		$country = strtoupper( trim( (string) ( $contact['country'] ?? '' ) ) );
		$country = preg_match( '/^[A-Z]{2}$/', $country ) ? $country : '';
		$phone   = Phone::to_e164( (string) ( $contact['phone'] ?? '' ), $country );
		$email   = strtolower( trim( (string) ( $contact['email'] ?? '' ) ) );
		$data    = array( 'cart_key' => $cart_key );
		if ( null !== $phone ) {
			$data['phone'] = $phone;
		}
		if ( '' !== $email && is_email( $email ) && strlen( $email ) <= 254 ) {
			$data['email'] = $email;
		}
		if ( ! isset( $data['phone'] ) && ! isset( $data['email'] ) ) {
			return null;
		}
		foreach ( array( 'first_name', 'last_name' ) as $field ) {
			$name = trim( sanitize_text_field( (string) ( $contact[ $field ] ?? '' ) ) );
			if ( '' !== $name ) {
				$data[ $field ] = mb_substr( $name, 0, 100 );
			}
		}
		if ( '' !== $country ) {
			$data['country'] = $country;
		}
		foreach ( array( 'billing', 'shipping' ) as $group ) {
			if ( is_array( $contact[ $group ] ?? null ) ) {
				$address = Checkout_Address::for_event( $contact[ $group ], $country );
				if ( $address ) {
					$data[ $group ] = $address;
				}
			}
		}
		$fingerprint = md5( (string) wp_json_encode( $data ) );
		if ( WC()->session->get( self::SESSION_SENT ) === $fingerprint ) {
			return null;
		}
		$event = Events::emit( 'checkout.contact_captured', $data );
		if ( $event ) {
			WC()->session->set( self::SESSION_SENT, $fingerprint );
		}
		return $event;
	}

	/** POST /cartback/v1/checkout/contact: public, but only with the nonce the checkout page carries. */
	public static function register_route(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			self::REST_ROUTE,
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'handle' ),
				'permission_callback' => array( self::class, 'check_nonce' ),
			)
		);
	}

	/**
	 * Refuses a request without our nonce (403) before anything is read or changed.
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return true|\WP_Error
	 */
	public static function check_nonce( $request ) {
		$nonce = (string) $request->get_header( 'X-Cartback-Nonce' );
		if ( '' !== $nonce && wp_verify_nonce( $nonce, self::NONCE_ACTION ) ) {
			return true;
		}
		return new \WP_Error( 'cartback_invalid_nonce', __( 'This checkout page has expired. Reload it and try again.', 'cartback' ), array( 'status' => 403 ) );
	}

	/**
	 * The checkout script's post: what was typed so far and the opt-in box.
	 *
	 * @param \WP_REST_Request $request phone?, email?, first_name?, last_name?, country?, billing? and
	 *                                  shipping? (objects of address fields), optin? (bool), checkout? (classic|block).
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function handle( $request ) {
		$input = Checkout_Contact_Input::from_request( $request );
		if ( is_wp_error( $input ) ) {
			return $input;
		}
		$contact  = array(
			'phone'      => $input['phone'],
			'email'      => $input['email'],
			'first_name' => $input['first_name'],
			'last_name'  => $input['last_name'],
			'country'    => $input['country'],
			'billing'    => $input['billing'],
			'shipping'   => $input['shipping'],
		);
		$captured = self::capture( $contact );
		$consent  = null === $input['optin'] ? array() : Consent::from_checkout_script( $input['optin'], $input['checkout'], $contact );
		return rest_ensure_response(
			array(
				'captured' => null !== $captured,
				'consent'  => count( $consent ),
			)
		);
	}

	/**
	 * WooCommerce loads the shopper's session and cart only for what it considers front-end
	 * requests; our endpoint needs them, as the Store API does.
	 *
	 * @param bool $is_rest Whether WooCommerce treats the request as a REST API request.
	 * @return bool
	 */
	public static function load_session_for_route( $is_rest ) {
		// phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- only compared, never output or stored.
		$uri = isset( $_SERVER['REQUEST_URI'] ) ? rawurldecode( (string) wp_unslash( $_SERVER['REQUEST_URI'] ) ) : '';
		return false !== strpos( $uri, self::REST_NAMESPACE . self::REST_ROUTE ) ? false : $is_rest;
	}

	/**
	 * The classic checkout's script, only on the classic checkout page; on a blocks checkout older
	 * than WooCommerce 9.8 (which keeps the box in the browser until the order is placed), a script
	 * that posts the box's changes.
	 */
	public static function enqueue_scripts(): void {
		if ( ! function_exists( 'is_checkout' ) || ! is_checkout() || ( function_exists( 'is_wc_endpoint_url' ) && is_wc_endpoint_url() ) ) {
			return;
		}
		$blocks = function_exists( 'has_block' ) && has_block( 'woocommerce/checkout' );
		if ( ! $blocks ) {
			wp_enqueue_script( 'cartback-checkout-classic', plugins_url( 'assets/js/checkout-classic.js', CARTBACK_FILE ), array(), CARTBACK_VERSION, true );
			wp_localize_script( 'cartback-checkout-classic', 'cartbackCheckout', self::script_config( 'classic' ) );
			return;
		}
		if ( version_compare( self::woocommerce_version(), self::BLOCKS_PUSH_VERSION, '<' ) ) {
			wp_enqueue_script( 'cartback-checkout-block', plugins_url( 'assets/js/checkout-block.js', CARTBACK_FILE ), array( 'wp-data' ), CARTBACK_VERSION, true );
			wp_localize_script( 'cartback-checkout-block', 'cartbackCheckout', self::script_config( 'block' ) );
		}
	}

	/**
	 * What the scripts need: where to post, the nonces, the field names. Never a secret.
	 *
	 * @param string $checkout classic | block.
	 */
	public static function script_config( string $checkout ): array {
		return array(
			'url'        => esc_url_raw( rest_url( self::REST_NAMESPACE . self::REST_ROUTE ) ),
			'nonce'      => wp_create_nonce( self::NONCE_ACTION ),
			'restNonce'  => wp_create_nonce( 'wp_rest' ),
			'checkout'   => $checkout,
			'field'      => Consent::CLASSIC_FIELD,
			'blockField' => Consent::FIELD_ID,
			'delay'      => self::DEBOUNCE_MS,
		);
	}

	/** WooCommerce's version. */
	private static function woocommerce_version(): string {
		if ( defined( 'WC_VERSION' ) ) {
			return (string) WC_VERSION;
		}
		return function_exists( 'WC' ) && isset( WC()->version ) ? (string) WC()->version : '0';
	}
}
