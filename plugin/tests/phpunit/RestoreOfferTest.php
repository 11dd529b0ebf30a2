<?php
/**
 * Browse and win-back links against a real sidecar: the offered products are ADDED to the
 * visitor's cart, which keeps what it holds; browse opens the checkout, win-back the cart page;
 * a product that cannot be added is named in the notice.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/trait-restore-helpers.php';

use Cartback\Capture_Cart;
use Cartback\Restore;

/** Restoring a lane's offer from a link. */
final class RestoreOfferTest extends Cartback_Test_Case {
	use Restore_Test_Helpers;

	protected function setUp(): void {
		parent::setUp();
		self::$sidecar->connect_plugin();
		wc_test_double_product( array( 'id' => 501, 'name' => 'Blue Kurta', 'price' => '1299.00' ) );
		wc_test_double_product( array( 'id' => 502, 'name' => 'Silk Scarf', 'price' => '450.00' ) );
		wc_test_double_product( array( 'id' => 503, 'name' => 'Sold-out Sandals', 'price' => '999.00', 'in_stock' => false ) );
		wc_test_double_product( array( 'id' => 777, 'name' => 'Something else', 'price' => '10.00' ) );
	}

	/** A URL with the UTM parameters of a lane's message (Restore_Attribution). */
	private function tagged( string $url, string $lane ): string {
		return add_query_arg(
			array(
				'utm_source'   => 'whatsapp',
				'utm_medium'   => 'cartback',
				'utm_campaign' => $lane,
			),
			$url
		);
	}

	/** The cart as [product id, quantity] pairs. */
	private function cart_lines(): array {
		return array_map(
			static function ( $item ) {
				return array( $item['product_id'], $item['quantity'] );
			},
			array_values( WC()->cart->get_cart() )
		);
	}

	public function test_a_browse_link_adds_the_product_to_the_shoppers_cart_and_opens_the_checkout(): void {
		$token = $this->seed_offer( 'product', array( array( 501, 'Blue Kurta' ) ) );
		WC()->cart->add_to_cart( 777, 2 );
		WC()->session->set( 'cartback_cart_key', 'shoppers-own-cart' );
		Capture_Cart::flush();
		global $wpdb;
		$wpdb->query( 'TRUNCATE TABLE ' . \Cartback\Outbox::table() );

		$this->assertSame( $this->tagged( wc_get_checkout_url(), 'browse_abandonment' ), Restore::handle( $token ) );

		$this->assertSame( array( array( 777, 2 ), array( 501, 1 ) ), $this->cart_lines(), 'added, the cart kept' );
		$this->assertSame( 'shoppers-own-cart', WC()->session->get( 'cartback_cart_key' ), 'still the shopper’s cart' );
		$this->assertSame( '+919812345678', WC()->customer->get_billing_phone(), 'the checkout is filled in' );
		$this->assertSame( array(), wc_get_notices( 'error' ) );
		$this->assertSame( 0, get_current_user_id() );

		Capture_Cart::flush(); // The end of the request: the shopper's tap changed their cart.
		$updates = $this->queued( 'cart.updated' );
		$this->assertCount( 1, $updates );
		$this->assertSame( array( 777, 501 ), array_column( $updates[0]['data']['lines'], 'product_id' ) );
	}

	public function test_a_winback_link_adds_what_is_not_in_the_cart_names_what_cannot_be_added_and_opens_the_cart(): void {
		$token = $this->seed_offer(
			'winback',
			array( array( 501, 'Blue Kurta' ), array( 502, 'Silk Scarf' ), array( 503, 'Sold-out Sandals' ), array( 599, 'Deleted Lamp' ) )
		);
		WC()->cart->add_to_cart( 501, 3 );
		wc_clear_notices();

		$this->assertSame( $this->tagged( wc_get_cart_url(), 'winback' ), Restore::handle( $token ) );

		$this->assertSame( array( array( 501, 3 ), array( 502, 1 ) ), $this->cart_lines(), 'one of each, none already there added again' );
		$notices = wp_list_pluck( wc_get_notices( 'error' ), 'notice' );
		$this->assertNotEmpty( preg_grep( '/could not be added.*Sold-out Sandals, Deleted Lamp/', $notices ), implode( ' | ', $notices ) );
	}

	public function test_a_browse_link_whose_product_cannot_be_added_ends_on_the_cart_page_with_the_notice(): void {
		$token = $this->seed_offer( 'product', array( array( 503, 'Sold-out Sandals' ) ) );

		$this->assertSame( $this->tagged( wc_get_cart_url(), 'browse_abandonment' ), Restore::handle( $token ) );

		$this->assertTrue( WC()->cart->is_empty() );
		$notices = wp_list_pluck( wc_get_notices( 'error' ), 'notice' );
		$this->assertNotEmpty( preg_grep( '/could not be added.*Sold-out Sandals/', $notices ), implode( ' | ', $notices ) );
	}
}
