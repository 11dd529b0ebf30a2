<?php
/**
 * WooCommerce TEST DOUBLE: a shopper's state across HTTP requests, kept as WooCommerce keeps it.
 *
 * - The session (WC_Session_Handler): a cookie named wp_woocommerce_session_<COOKIEHASH>, in
 *   WooCommerce's format and with its hash, names session data kept on the server (WooCommerce
 *   keeps it in its sessions table; the double in a transient). It is set when a cart gets its
 *   first line (WC_Cart_Session::maybe_set_cart_cookies) or when code calls
 *   set_customer_session_cookie(true), and data is saved at shutdown only when the visitor has a
 *   session (a cookie, or logged in): without one, whatever was set in the session, notices
 *   included, is gone with the request, exactly as in WooCommerce.
 * - The cart (WC_Cart_Session): loaded from the session on wp_loaded, stored in it whenever
 *   totals are calculated or the cart is emptied; WC_Cart's own hook recalculates totals after
 *   an add to cart. Applied coupons are not kept across requests (nothing needs them yet).
 * - The guest customer (WC_Customer_Data_Store_Session): billing and shipping details and the
 *   allowed meta read from the session when the customer is made, defaulting the countries to
 *   the store's, and saved at shutdown.
 * - Notices (wc_add_notice() keeps them in the session): shown on a later page.
 * - ?add-to-cart=<id> (WC_Form_Handler::add_to_cart_action), and the products of the double's
 *   storefront catalogue (the option wc_test_double_catalogue, see double-storefront-pages.php).
 *
 * All of this only when WordPress serves a real HTTP request (`php -S`). PHPUnit loads WordPress
 * into its own CLI process and starts each test with WC()->reset_shopper(): there the session
 * stays the in-memory double it always was.
 *
 * @package Cartback\Tests
 */

/** Whether this process serves HTTP requests, where the storefront keeps a shopper's state. */
function wc_test_double_serves_storefront() {
	return 'cli' !== PHP_SAPI;
}

/** Double of WC_Session_Handler as it runs on a storefront: cookie, stored data, save at shutdown. */
class WC_Test_Double_Cookie_Session extends WC_Session_Handler {
	/** Seconds a session lives (WooCommerce: 48 hours). */
	const LIFETIME = 172800;

	/** @var string */
	private $cookie;
	/** @var int */
	private $expiration;
	/** @var int */
	private $expiring;
	/** @var bool Something changed since the data was loaded. */
	private $dirty = false;
	/** @var string The cookie value this request has sent. */
	private $sent = '';

	/** @param int $user_id The logged-in user, or 0. */
	public function __construct( $user_id = 0 ) {
		parent::__construct( $user_id );
		$this->cookie     = 'wp_woocommerce_session_' . COOKIEHASH;
		$this->expiration = time() + self::LIFETIME;
		$this->expiring   = $this->expiration - 3600;
		$cookie           = $this->session_cookie( (string) $user_id );
		if ( $cookie ) {
			list( $this->customer_id, $this->expiration, $this->expiring ) = $cookie;
			$this->has_cookie = true;
			$this->data       = $this->stored( $this->customer_id );
			if ( $user_id && (string) $user_id !== $this->customer_id ) {
				// A guest logged in: WooCommerce moves the guest's session to the customer.
				delete_transient( self::key( $this->customer_id ) );
				$this->customer_id = (string) $user_id;
				$this->dirty       = true;
				$this->set_customer_session_cookie( true );
			}
		} elseif ( $user_id ) {
			$this->data = $this->stored( $this->customer_id );
		}
	}

	/** As WooCommerce: a guest without a session has no id yet. */
	public function get_customer_unique_id() {
		return $this->has_session() ? $this->customer_id : '';
	}

	/** As WooCommerce: a cookie came with the request or was set during it, or someone is logged in. */
	public function has_session() {
		return isset( $_COOKIE[ $this->cookie ] ) || $this->has_cookie || is_user_logged_in();
	}

	/**
	 * As WooCommerce (wc_setcookie()): sets the cookie unless headers are already sent, which WP_DEBUG reports.
	 *
	 * @param bool $set Whether to set it.
	 */
	public function set_customer_session_cookie( $set ) {
		if ( ! $set ) {
			return;
		}
		$to_hash          = $this->customer_id . '|' . $this->expiration;
		$value            = $this->customer_id . '||' . $this->expiration . '||' . $this->expiring . '||' . hash_hmac( 'md5', $to_hash, wp_hash( $to_hash ) );
		$this->has_cookie = true;
		if ( $this->sent === $value || ( isset( $_COOKIE[ $this->cookie ] ) && $_COOKIE[ $this->cookie ] === $value ) ) {
			return; // Already there (WooCommerce removes the duplicate header: WC_Cart_Session::dedupe_cookies()).
		}
		if ( headers_sent( $file, $line ) ) {
			trigger_error( esc_html( "{$this->cookie} cookie cannot be set - headers already sent by {$file} on line {$line}" ), E_USER_NOTICE ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions
			return;
		}
		$this->sent = $value;
		setcookie(
			$this->cookie,
			$value,
			array(
				'expires'  => $this->expiration,
				'path'     => COOKIEPATH ? COOKIEPATH : '/',
				'domain'   => COOKIE_DOMAIN ? COOKIE_DOMAIN : '',
				'secure'   => false,
				'httponly' => true,
			)
		);
	}

	/**
	 * As WC_Session::set(): only a changed value makes the session dirty.
	 *
	 * @param string $key   Key.
	 * @param mixed  $value Value.
	 */
	public function set( $key, $value ) {
		if ( $value !== $this->get( $key ) ) {
			parent::set( $key, $value );
			$this->dirty = true;
		}
	}

	/** @param string $key Key. */
	public function __unset( $key ) {
		parent::__unset( $key );
		$this->dirty = true;
	}

	/** As WC_Session_Handler::save_data() (shutdown, 20): only a changed session that has a cookie or a user. */
	public function save_data() {
		if ( $this->dirty && $this->has_session() ) {
			set_transient( self::key( $this->customer_id ), $this->data, max( 1, $this->expiration - time() ) );
			$this->dirty = false;
		}
	}

	/**
	 * The request's session cookie when it is valid: [customer id, expiration, expiring], else null.
	 *
	 * @param string $user_id The logged-in user ('0' for none).
	 */
	private function session_cookie( string $user_id ): ?array {
		$value = isset( $_COOKIE[ $this->cookie ] ) && is_string( $_COOKIE[ $this->cookie ] ) ? wp_unslash( $_COOKIE[ $this->cookie ] ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
		$parts = explode( '||', $value );
		if ( 4 !== count( $parts ) || '' === $parts[0] ) {
			return null;
		}
		list( $customer_id, $expiration, $expiring, $hash ) = $parts;
		$to_hash = $customer_id . '|' . $expiration;
		$guest   = 0 === strpos( $customer_id, 't_' );
		if ( ! hash_equals( hash_hmac( 'md5', $to_hash, wp_hash( $to_hash ) ), $hash ) || time() > (int) $expiration
			|| ( ! $guest && $customer_id !== $user_id ) ) {
			return null; // Forged, expired, or another user's: a new session, as WooCommerce starts one.
		}
		return array( $customer_id, (int) $expiration, (int) $expiring );
	}

	/**
	 * The data stored for a session.
	 *
	 * @param string $customer_id Session key.
	 */
	private function stored( string $customer_id ): array {
		$data = get_transient( self::key( $customer_id ) );
		return is_array( $data ) ? $data : array();
	}

	/**
	 * The transient holding a session's data.
	 *
	 * @param string $customer_id Session key.
	 */
	private static function key( string $customer_id ): string {
		return 'wc_test_double_session_' . $customer_id;
	}
}

/** Registers the storefront catalogue's products (the option is written by wc_test_double_install_storefront()). */
function wc_test_double_register_catalogue() {
	foreach ( (array) get_option( 'wc_test_double_catalogue', array() ) as $props ) {
		wc_test_double_product( (array) $props );
	}
}

/** The guest customer's details and the notices, read from the session (WC_Customer_Data_Store_Session::read()). */
function wc_test_double_read_customer_and_notices() {
	$customer = WC()->customer;
	$data     = (array) WC()->session->get( 'customer', array() );
	foreach ( $data as $field => $value ) {
		if ( 'meta_data' === $field ) {
			foreach ( (array) $value as $meta ) {
				$customer->add_meta_data( $meta['key'], $meta['value'], true );
			}
		} elseif ( is_callable( array( $customer, "set_{$field}" ) ) ) {
			$customer->{"set_{$field}"}( $value );
		}
	}
	if ( '' === $customer->get_billing_country() ) {
		$customer->set_billing_country( WC()->countries->get_base_country() );
	}
	if ( '' === $customer->get_shipping_country() ) {
		$customer->set_shipping_country( WC()->countries->get_base_country() );
	}
	$GLOBALS['wc_test_double_notices'] = (array) WC()->session->get( 'wc_notices', array() );
}

/**
 * Saves the customer's details in the session, as WooCommerce does at shutdown
 * (WC_Customer_Data_Store_Session::get_customer_session_data()): every billing and shipping prop,
 * and the meta whose keys woocommerce_customer_allowed_session_meta_keys allows.
 */
function wc_test_double_save_customer() {
	$customer = WC()->customer;
	$data     = array();
	foreach ( array( 'billing', 'shipping' ) as $group ) {
		foreach ( array_merge( WC_Customer::ADDRESS_PROPS, 'billing' === $group ? array( 'email' ) : array() ) as $field ) {
			$data[ "{$group}_{$field}" ] = (string) $customer->{"get_{$group}_{$field}"}();
		}
	}
	$allowed           = (array) apply_filters( 'woocommerce_customer_allowed_session_meta_keys', array(), $customer );
	$data['meta_data'] = array();
	foreach ( $customer->get_meta_data() as $meta ) {
		if ( in_array( $meta->key, $allowed, true ) ) {
			$data['meta_data'][] = array(
				'key'   => $meta->key,
				'value' => $meta->value,
			);
		}
	}
	WC()->session->set( 'customer', $data );
	$notices = $GLOBALS['wc_test_double_notices'];
	WC()->session->set( 'wc_notices', $notices ? $notices : null );
}

/** WC_Cart_Session::get_cart_from_session(): lines whose product is gone are dropped. */
function wc_test_double_get_cart_from_session() {
	$cart = WC()->cart;
	foreach ( (array) WC()->session->get( 'cart', array() ) as $key => $item ) {
		$product = wc_get_product( $item['variation_id'] ? $item['variation_id'] : $item['product_id'] );
		if ( $product ) {
			$cart->cart_contents[ $key ] = array_merge( $item, array( 'data' => $product ) );
		}
	}
	do_action( 'woocommerce_cart_loaded_from_session', $cart );
}

/** WC_Cart_Session::set_session(): the cart's lines, without their product objects. */
function wc_test_double_set_cart_session() {
	$lines = array();
	foreach ( WC()->cart->get_cart() as $key => $item ) {
		unset( $item['data'] );
		$lines[ $key ] = $item;
	}
	WC()->session->set( 'cart', $lines );
}

/** WC_Cart_Session::maybe_set_cart_cookies(): a cart with lines gets the session cookie. */
function wc_test_double_maybe_set_cart_cookies() {
	if ( ! headers_sent() && did_action( 'wp_loaded' ) && ! WC()->cart->is_empty() ) {
		WC()->session->set_customer_session_cookie( true );
	}
}

/** WC_Form_Handler::add_to_cart_action() for simple products: ?add-to-cart=<id>[&quantity=<n>]. */
function wc_test_double_add_to_cart_action() {
	// phpcs:disable WordPress.Security.NonceVerification.Recommended -- WooCommerce's add-to-cart links carry no nonce.
	if ( ! isset( $_REQUEST['add-to-cart'] ) || ! is_numeric( wp_unslash( $_REQUEST['add-to-cart'] ) ) ) {
		return;
	}
	nocache_headers();
	$product  = wc_get_product( absint( $_REQUEST['add-to-cart'] ) );
	$quantity = empty( $_REQUEST['quantity'] ) ? 1 : max( 1, absint( $_REQUEST['quantity'] ) );
	// phpcs:enable
	if ( ! $product || ! apply_filters( 'woocommerce_add_to_cart_validation', true, $product->get_id(), $quantity ) ) {
		return;
	}
	if ( false !== WC()->cart->add_to_cart( $product->get_id(), $quantity ) ) {
		$added = sprintf( '“%s” has been added to your cart.', $product->get_name() );
		wc_add_notice( sprintf( '<a href="%s" tabindex="1" class="button wc-forward">View cart</a> %s', esc_url( wc_get_cart_url() ), esc_html( $added ) ), 'success' );
		if ( 'yes' === get_option( 'woocommerce_cart_redirect_after_add' ) ) {
			wp_safe_redirect( wc_get_cart_url() );
			exit;
		}
	}
}

if ( wc_test_double_serves_storefront() ) {
	add_filter(
		'woocommerce_session_handler',
		static function () {
			return 'WC_Test_Double_Cookie_Session';
		}
	);
	add_action( 'plugins_loaded', 'wc_test_double_register_catalogue', -20 );
	add_action( 'plugins_loaded', 'wc_test_double_read_customer_and_notices', -9 ); // Right after WC() made the shopper (-10).
	add_action( 'wp_loaded', 'wc_test_double_get_cart_from_session' );
	add_action( 'wp_loaded', 'wc_test_double_add_to_cart_action', 20 );
	add_action(
		'woocommerce_add_to_cart',
		static function () {
			WC()->cart->calculate_totals(); // WC_Cart's constructor hooks this (priority 20).
		},
		20
	);
	add_action( 'woocommerce_add_to_cart', 'wc_test_double_maybe_set_cart_cookies' );
	add_action( 'wp', 'wc_test_double_maybe_set_cart_cookies', 99 );
	add_action( 'woocommerce_after_calculate_totals', 'wc_test_double_set_cart_session', 1000 );
	add_action( 'woocommerce_cart_emptied', 'wc_test_double_set_cart_session' );
	add_action( 'woocommerce_cart_item_removed', 'wc_test_double_set_cart_session' );
	add_action( 'shutdown', 'wc_test_double_save_customer', 10 );
	add_action(
		'shutdown',
		static function () {
			WC()->session->save_data();
		},
		20
	);
}
