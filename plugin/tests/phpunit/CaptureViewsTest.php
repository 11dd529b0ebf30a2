<?php
/**
 * Product view capture: product.viewed on a single product page, for logged-in shoppers and
 * anonymous ones with a session; never for visitors without one, never off product pages.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/trait-capture-helpers.php';

use Cartback\Events;

/** Capture_Views against the WooCommerce double. */
final class CaptureViewsTest extends Cartback_Test_Case {
	use Capture_Test_Helpers;

	protected function setUp(): void {
		$this->end_previous_request();
		parent::setUp();
		$this->set_up_capture();
	}

	protected function tearDown(): void {
		$this->tear_down_capture();
		parent::tearDown();
	}

	/** A product category's id (made once per run). */
	private function category( string $name ): int {
		$term = term_exists( $name, 'product_cat' );
		if ( ! $term ) {
			$term = wp_insert_term( $name, 'product_cat' );
		}
		return (int) $term['term_id'];
	}

	/** The kurta, in two categories. */
	private function kurta( array $props = array() ): WC_Product {
		return $this->product(
			42,
			array_merge(
				array(
					'name'         => 'Handloom cotton kurta',
					'price'        => '1299.00',
					'image_url'    => 'https://shop.example/wp-content/uploads/kurta.jpg',
					'category_ids' => array( $this->category( 'Kurtas' ), $this->category( 'Cotton & Linen' ) ),
				),
				$props
			)
		);
	}

	public function test_a_logged_in_shopper_viewing_a_product_is_captured(): void {
		$kurta = $this->kurta();
		$user  = $this->customer();
		wp_set_current_user( $user->ID );
		WC()->reset_shopper( $user->ID );

		wc_test_double_view_product( $kurta );
		$this->template_redirect();

		$events = $this->queued( 'product.viewed' );
		$this->assertCount( 1, $events );
		$this->assertValidCaptured( $events );
		$data = $events[0]['data'];
		$this->assertSame( $user->ID, $data['customer_id'] );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $data['session_id'] );
		$this->assertSame(
			array(
				'id'         => 42,
				'name'       => 'Handloom cotton kurta',
				'price'      => 129900,
				'currency'   => 'INR',
				'image_url'  => 'https://shop.example/wp-content/uploads/kurta.jpg',
				'url'        => $kurta->get_permalink(),
				'in_stock'   => true,
				'categories' => array( 'Kurtas', 'Cotton & Linen' ),
			),
			$data['product']
		);
	}

	public function test_an_anonymous_shopper_with_a_session_is_captured_under_the_session_id_their_cart_uses(): void {
		$this->kurta();
		$scarf = $this->product( 43, array( 'name' => 'Silk scarf', 'price' => '499.50', 'in_stock' => false ) );
		WC()->session->set_customer_session_cookie( true ); // WooCommerce sets it when the cart is first used.
		WC()->cart->add_to_cart( 42 );
		$this->end_request();

		wc_test_double_view_product( $scarf );
		$this->template_redirect();

		$viewed = $this->queued( 'product.viewed' );
		$this->assertCount( 1, $viewed );
		$this->assertValidCaptured( $viewed );
		$this->assertArrayNotHasKey( 'customer_id', $viewed[0]['data'] );
		$this->assertSame( $this->queued( 'cart.updated' )[0]['data']['session_id'], $viewed[0]['data']['session_id'] );
		$this->assertFalse( $viewed[0]['data']['product']['in_stock'] );
		$this->assertArrayNotHasKey( 'image_url', $viewed[0]['data']['product'] );
		$this->assertSame( array(), $viewed[0]['data']['product']['categories'] );
	}

	public function test_a_visitor_without_a_session_is_not_captured(): void {
		wc_test_double_view_product( $this->kurta() );
		$this->template_redirect();
		$this->assertSame( array(), $this->queued() );
	}

	public function test_pages_that_are_not_a_product_are_not_captured(): void {
		$this->kurta();
		WC()->session->set_customer_session_cookie( true );
		wc_test_double_view_product( null );
		$this->template_redirect();
		$this->assertSame( array(), $this->queued() );
	}

	public function test_price_in_minor_units_of_a_zero_decimal_currency(): void {
		$this->use_currency( 'JPY', 0 );
		$product = $this->product( 44, array( 'name' => 'Tenugui', 'price' => '1500' ) );
		WC()->session->set_customer_session_cookie( true );
		wc_test_double_view_product( $product );
		$this->template_redirect();
		$viewed = $this->queued( 'product.viewed' );
		$this->assertSame( 1500, $viewed[0]['data']['product']['price'] );
		$this->assertSame( 'JPY', $viewed[0]['data']['product']['currency'] );
		$this->assertValidCaptured( $viewed );
	}

	public function test_nothing_is_captured_while_capture_is_switched_off(): void {
		WC()->session->set_customer_session_cookie( true );
		wc_test_double_view_product( $this->kurta() );
		Events::without_capture(
			function () {
				$this->template_redirect();
			}
		);
		$this->assertSame( array(), $this->queued() );
	}
}
