<?php
/**
 * The message's coupon on a restore, in both modes: a cart link's (replace) and a browse or
 * win-back link's (add, after the lines). A coupon WooCommerce refuses leaves the cart restored,
 * with WooCommerce's own notice; applying it is never captured as a change of the shopper's.
 *
 * The sidecar's answer is stubbed at WordPress's HTTP layer, in the shape GET /v1/restore/:token
 * returns, since the coupon it carries comes from the sidecar's coupon engine.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/trait-restore-helpers.php';

use Cartback\Capture_Cart;
use Cartback\Restore;

/** Restore and the message's coupon. */
final class RestoreCouponTest extends Cartback_Test_Case {
	use Restore_Test_Helpers;

	/** WooCommerce's message for an expired coupon (WC_Coupon::E_WC_COUPON_EXPIRED). */
	const EXPIRED = 'This coupon has expired.';

	protected function setUp(): void {
		parent::setUp();
		self::$sidecar->connect_plugin();
		wc_test_double_product( array( 'id' => 501, 'name' => 'Blue Kurta', 'price' => '1299.00' ) );
		wc_test_double_product( array( 'id' => 502, 'name' => 'Silk Scarf', 'price' => '450.00' ) );
		wc_test_double_product( array( 'id' => 777, 'name' => 'Something else', 'price' => '10.00' ) );
		WC_Cart::$coupon_discounts = array( 'back10' => 10000, 'old10' => 10000 );
		WC_Cart::$coupon_refusals  = array( 'old10' => self::EXPIRED );
	}

	protected function tearDown(): void {
		WC_Cart::$coupon_discounts = array();
		WC_Cart::$coupon_refusals  = array();
		WC_Cart::$coupon_emails    = array();
		parent::tearDown();
	}

	/**
	 * Restores a token whose answer is this one.
	 *
	 * @param array $answer The sidecar's answer.
	 * @return string Where the visitor is sent.
	 */
	private function restore( array $answer ): string {
		$stub = static function ( $pre, $args, $url ) use ( $answer ) {
			if ( false === strpos( $url, '/v1/restore/' ) ) {
				return $pre;
			}
			return array(
				'headers'  => array(),
				'body'     => wp_json_encode( $answer ),
				'response' => array( 'code' => 200, 'message' => 'OK' ),
				'cookies'  => array(),
				'filename' => null,
			);
		};
		add_filter( 'pre_http_request', $stub, 10, 3 );
		try {
			return Restore::handle( rtrim( strtr( base64_encode( random_bytes( 32 ) ), '+/', '-_' ), '=' ) );
		} finally {
			remove_filter( 'pre_http_request', $stub, 10 );
		}
	}

	/** A cart link's answer (replace mode) with this coupon. */
	private function cart_answer( ?string $coupon ): array {
		return array(
			'cart'    => array( 'cart_key' => 'cart-coupon', 'currency' => 'INR', 'lines' => array( array( 'product_id' => 501, 'quantity' => 2, 'name' => 'Blue Kurta' ) ), 'total' => 259800 ),
			'coupon'  => $coupon,
			'contact' => array( 'phone' => '+919812345678', 'email' => 'anna@example.com', 'first_name' => 'Anna' ),
		);
	}

	/** A browse link's answer (add mode) offering these products, with this coupon. */
	private function offer_answer( array $product_ids, ?string $coupon ): array {
		$lines = array();
		foreach ( $product_ids as $id ) {
			$lines[] = array( 'product_id' => $id, 'quantity' => 1, 'name' => wc_get_product( $id )->get_name() );
		}
		return array(
			'mode'    => 'add',
			'open'    => 'checkout',
			'cart'    => array( 'cart_key' => null, 'currency' => 'INR', 'lines' => $lines, 'total' => 0 ),
			'coupon'  => $coupon,
			'contact' => array( 'phone' => '+919812345678', 'email' => 'anna@example.com', 'first_name' => 'Anna' ),
		);
	}

	/** The shopper's own cart, already reported to the sidecar, and an empty outbox. */
	private function shoppers_cart(): void {
		WC()->cart->add_to_cart( 777, 2 );
		WC()->session->set( 'cartback_cart_key', 'shoppers-own-cart' );
		Capture_Cart::flush();
		global $wpdb;
		$wpdb->query( 'TRUNCATE TABLE ' . \Cartback\Outbox::table() );
		wc_clear_notices();
	}

	private function error_notices(): array {
		return array_values( wp_list_pluck( wc_get_notices( 'error' ), 'notice' ) );
	}

	public function test_a_cart_link_applies_its_coupon_and_captures_nothing(): void {
		$this->assertSame( wc_get_checkout_url(), $this->restore( $this->cart_answer( 'BACK10' ) ) );

		$this->assertSame( array( 'back10' ), WC()->cart->get_applied_coupons() );
		$this->assertSame( array(), $this->error_notices() );
		Capture_Cart::flush();
		$this->assertSame( array(), $this->queued(), 'the plugin’s own rebuild, coupon included, is not the shopper’s change' );
	}

	public function test_a_cart_links_coupon_restricted_to_the_shoppers_email_applies_after_the_checkout_is_filled_in(): void {
		// The sidecar restricts a message's coupon to the contact's email; WooCommerce checks it
		// against the billing email when the coupon is applied, so the email must be in first.
		WC_Cart::$coupon_emails = array( 'back10' => array( 'anna@example.com' ) );

		$this->assertSame( wc_get_checkout_url(), $this->restore( $this->cart_answer( 'BACK10' ) ) );

		$this->assertSame( array( 'back10' ), WC()->cart->get_applied_coupons() );
		$this->assertSame( array(), $this->error_notices() );
	}

	public function test_a_cart_link_whose_coupon_woocommerce_refuses_still_restores_the_cart_with_woocommerces_notice(): void {
		$this->assertSame( wc_get_checkout_url(), $this->restore( $this->cart_answer( 'OLD10' ) ) );

		$this->assertSame( array( 501 ), array_values( wp_list_pluck( WC()->cart->get_cart(), 'product_id' ) ) );
		$this->assertSame( array(), WC()->cart->get_applied_coupons() );
		$this->assertSame( array( self::EXPIRED ), $this->error_notices() );
		$this->assertSame( 'anna@example.com', WC()->customer->get_billing_email(), 'the checkout is still filled in' );
	}

	public function test_a_browse_link_applies_its_coupon_after_adding_and_the_shoppers_change_is_captured_once(): void {
		$this->shoppers_cart();

		$this->assertSame( wc_get_checkout_url(), $this->restore( $this->offer_answer( array( 501 ), 'BACK10' ) ) );

		$this->assertSame( array( 777, 501 ), array_values( wp_list_pluck( WC()->cart->get_cart(), 'product_id' ) ) );
		$this->assertSame( array( 'back10' ), WC()->cart->get_applied_coupons() );
		$this->assertSame( 'shoppers-own-cart', WC()->session->get( 'cartback_cart_key' ), 'still the shopper’s cart' );
		$this->assertSame( array(), $this->error_notices() );

		Capture_Cart::flush(); // The end of the request.
		$updates = $this->queued( 'cart.updated' );
		$this->assertCount( 1, $updates, 'one snapshot: the shopper’s tap' );
		$this->assertSame( array( 777, 501 ), array_column( $updates[0]['data']['lines'], 'product_id' ) );
		$this->assertSame( 10000, $updates[0]['data']['totals']['discount'], 'the snapshot shows the cart as the shopper has it, coupon applied' );
	}

	public function test_a_browse_link_whose_coupon_woocommerce_refuses_still_adds_the_product_with_woocommerces_notice(): void {
		$this->shoppers_cart();

		$this->assertSame( wc_get_checkout_url(), $this->restore( $this->offer_answer( array( 501, 502 ), 'OLD10' ) ) );

		$this->assertSame( array( 777, 501, 502 ), array_values( wp_list_pluck( WC()->cart->get_cart(), 'product_id' ) ) );
		$this->assertSame( array(), WC()->cart->get_applied_coupons() );
		$this->assertSame( array( self::EXPIRED ), $this->error_notices(), 'WooCommerce’s own words, nothing of ours' );
		Capture_Cart::flush();
		$this->assertCount( 1, $this->queued( 'cart.updated' ) );
	}

	public function test_a_link_whose_products_are_all_in_the_cart_applies_the_coupon_without_a_snapshot_and_only_once(): void {
		$this->shoppers_cart();
		WC()->cart->add_to_cart( 501 );
		Capture_Cart::flush();
		global $wpdb;
		$wpdb->query( 'TRUNCATE TABLE ' . \Cartback\Outbox::table() );

		$this->restore( $this->offer_answer( array( 501 ), 'BACK10' ) );
		$this->restore( $this->offer_answer( array( 501 ), 'BACK10' ) ); // The link opened again.

		$this->assertSame( array( 'back10' ), WC()->cart->get_applied_coupons() );
		$this->assertSame( array(), $this->error_notices(), 'no "already applied" error the second time' );
		Capture_Cart::flush();
		$this->assertSame( array(), $this->queued( 'cart.updated' ), 'applying the coupon is not a change of the shopper’s' );
	}
}
