<?php
/**
 * What the capture tests share: request boundaries, a store currency, products, and a guard that
 * fails the test if capture tries any HTTP request.
 *
 * @package Cartback\Tests
 */

use Cartback\Capture_Cart;
use Cartback\Capture_Orders;

/** For Cartback_Test_Case subclasses that test capture. */
trait Capture_Test_Helpers {
	/** @var string[] URLs capture tried to reach. */
	private $http_attempts = array();

	/** @var callable|null */
	private $http_guard;

	/** Call at the start of setUp(), before parent::setUp(): ends whatever "request" came before. */
	protected function end_previous_request(): void {
		$this->end_request();
	}

	/** Call at the end of setUp(). */
	protected function set_up_capture(): void {
		$this->http_attempts = array();
		$this->http_guard    = function ( $pre, $args, $url ) {
			$this->http_attempts[] = $url;
			return new WP_Error( 'cartback_test_no_network', 'Capture must not make HTTP requests' );
		};
		add_filter( 'pre_http_request', $this->http_guard, 1, 3 );
		$this->use_currency( 'INR', 2 );
		WC_Cart::$coupon_discounts = array();
		wc_test_double_view_product( null );
	}

	/** Call in tearDown(), before parent::tearDown(). */
	protected function tear_down_capture(): void {
		$this->end_request();
		remove_filter( 'pre_http_request', $this->http_guard, 1 );
		wc_test_double_view_product( null );
		$this->use_currency( 'INR', 2 );
		$this->assertSame( array(), $this->http_attempts, 'capture made no HTTP request' );
	}

	/** Ends a "request": what WordPress's shutdown does for capture. */
	protected function end_request(): void {
		Capture_Cart::flush();
		Capture_Orders::flush();
	}

	/**
	 * Sets the store's currency and its price decimals (WooCommerce settings).
	 *
	 * @param string $currency ISO 4217.
	 * @param int    $decimals Price decimals.
	 */
	protected function use_currency( string $currency, int $decimals ): void {
		update_option( 'woocommerce_currency', $currency );
		update_option( 'woocommerce_price_num_decimals', $decimals );
	}

	/**
	 * A product the double's catalogue returns.
	 *
	 * @param int   $id    Product id.
	 * @param array $props WC_Product double props.
	 */
	protected function product( int $id, array $props = array() ): WC_Product {
		return wc_test_double_product( array_merge( array( 'id' => $id, 'name' => 'Product ' . $id, 'price' => '100.00' ), $props ) );
	}

	/** A kurta at ₹1,299.00 with a SKU and an image, and a plain scarf at ₹499.50. */
	protected function catalogue(): array {
		return array(
			'kurta' => $this->product( 42, array( 'name' => 'Handloom cotton kurta', 'price' => '1299.00', 'sku' => 'KURTA-M', 'image_url' => 'https://shop.example/wp-content/uploads/kurta.jpg' ) ),
			'scarf' => $this->product( 43, array( 'name' => 'Silk scarf', 'price' => '499.50' ) ),
		);
	}

	/** A user who can log in, with an email. */
	protected function customer( array $meta = array() ): WP_User {
		$login = 'shopper_' . wp_generate_password( 8, false );
		$id    = wp_insert_user(
			array(
				'user_login' => $login,
				'user_pass'  => wp_generate_password(),
				'user_email' => $login . '@example.com',
				'role'       => 'subscriber',
			)
		);
		foreach ( $meta as $key => $value ) {
			update_user_meta( $id, $key, $value );
		}
		return get_user_by( 'id', $id );
	}

	/** Runs template_redirect with only Cartback's and WooCommerce's (double's) callbacks, at their priorities. */
	protected function template_redirect(): void {
		global $wp_filter;
		$saved = $wp_filter['template_redirect'];
		$only  = new WP_Hook();
		foreach ( $saved->callbacks as $priority => $callbacks ) {
			foreach ( $callbacks as $callback ) {
				$function = $callback['function'];
				$name     = is_array( $function ) ? ( is_object( $function[0] ) ? get_class( $function[0] ) : (string) $function[0] ) : ( is_string( $function ) ? $function : '' );
				if ( 0 === strpos( $name, 'Cartback\\' ) || 0 === strpos( $name, 'wc_' ) ) {
					$only->add_filter( 'template_redirect', $function, $priority, $callback['accepted_args'] );
				}
			}
		}
		$wp_filter['template_redirect'] = $only; // phpcs:ignore WordPress.WP.GlobalVariablesOverride
		try {
			do_action( 'template_redirect' );
		} finally {
			$wp_filter['template_redirect'] = $saved; // phpcs:ignore WordPress.WP.GlobalVariablesOverride
		}
	}

	/**
	 * Asserts that every event passes the sidecar's schema and has its fixture's shape.
	 *
	 * @param array $events Events.
	 */
	protected function assertValidCaptured( array $events ): void {
		$this->assertValidEvents( $events );
		foreach ( $events as $event ) {
			$this->assertMatchesFixtureShape( $event );
		}
	}

	/** The types of everything queued, in order. */
	protected function queued_types(): array {
		return array_column( $this->queued(), 'type' );
	}
}
