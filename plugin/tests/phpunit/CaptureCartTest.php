<?php
/**
 * Cart capture: one cart.updated snapshot per request, money in minor units, a key that stays
 * with the cart, cart.emptied only when the shopper empties it, never when the cart was bought.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/trait-capture-helpers.php';

use Cartback\Capture_Cart;
use Cartback\Events;
use Cartback\Session_Keys;

/** Capture_Cart against the WooCommerce double. */
final class CaptureCartTest extends Cartback_Test_Case {
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

	public function test_add_add_and_a_quantity_change_in_one_request_send_one_snapshot(): void {
		$p    = $this->catalogue();
		$cart = WC()->cart;
		$kurta = $cart->add_to_cart( 42 );
		$cart->add_to_cart( 42 ); // Already there: WooCommerce raises its quantity.
		$scarf = $cart->add_to_cart( 43 );
		$cart->set_quantity( $scarf, 3 );
		$this->assertSame( array(), $this->queued(), 'nothing goes out before the request ends' );

		$this->end_request();
		$events = $this->queued();
		$this->assertSame( array( 'cart.updated' ), array_column( $events, 'type' ) );
		$this->assertValidCaptured( $events );

		$data = $events[0]['data'];
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $data['cart_key'] );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $data['session_id'] );
		$this->assertArrayNotHasKey( 'customer_id', $data, 'a guest has no customer id' );
		$this->assertSame( 'INR', $data['currency'] );
		$this->assertSame( get_locale(), $data['locale'] );
		$this->assertSame(
			array(
				'product_id' => 42,
				'sku'        => 'KURTA-M',
				'name'       => 'Handloom cotton kurta',
				'quantity'   => 2,
				'unit_price' => 129900,
				'line_total' => 259800,
				'image_url'  => 'https://shop.example/wp-content/uploads/kurta.jpg',
				'url'        => $p['kurta']->get_permalink(),
			),
			$data['lines'][0]
		);
		$this->assertSame(
			array(
				'product_id' => 43,
				'name'       => 'Silk scarf',
				'quantity'   => 3,
				'unit_price' => 49950,
				'line_total' => 149850,
				'url'        => $p['scarf']->get_permalink(),
			),
			$data['lines'][1],
			'no SKU and no image: left out, not sent empty'
		);
		$this->assertSame( array( 'subtotal' => 409650, 'tax' => 0, 'shipping' => 0, 'discount' => 0, 'total' => 409650 ), $data['totals'] );
		$this->assertSame( $kurta, array_keys( $cart->get_cart() )[0] );

		$this->end_request();
		$this->assertCount( 1, $this->queued(), 'a request that changes nothing sends nothing' );
	}

	public function test_a_quantity_set_with_its_totals_recalculated_is_not_calculated_again_at_shutdown(): void {
		$this->catalogue();
		$cart  = WC()->cart;
		$scarf = $cart->add_to_cart( 43 );
		$cart->calculate_totals(); // As the Store API does before it answers.
		$runs  = 0;
		$count = static function () use ( &$runs ) {
			++$runs;
		};
		add_action( 'woocommerce_after_calculate_totals', $count );
		try {
			$cart->set_quantity( $scarf, 3 ); // WooCommerce recalculates inside set_quantity().
			$this->assertSame( 1, $runs );
			$this->end_request();
			$this->assertSame( 1, $runs, 'no second calculate_totals() at shutdown' );
			$this->assertSame( 149850, $this->queued()[0]['data']['lines'][0]['line_total'] );

			// Asked not to recalculate, the totals are stale: the snapshot calculates them once.
			$cart->set_quantity( $scarf, 2, false );
			$this->end_request();
			$this->assertSame( 2, $runs );
			$this->assertSame( 99900, $this->queued( 'cart.updated' )[1]['data']['lines'][0]['line_total'] );
		} finally {
			remove_action( 'woocommerce_after_calculate_totals', $count );
		}
	}

	public function test_the_cart_key_stays_with_the_cart_across_requests_and_lives_in_the_session(): void {
		$this->catalogue();
		WC()->cart->add_to_cart( 42 );
		$this->end_request();
		WC()->cart->add_to_cart( 43 );
		$this->end_request();

		$events = $this->queued( 'cart.updated' );
		$this->assertCount( 2, $events );
		$this->assertSame( $events[0]['data']['cart_key'], $events[1]['data']['cart_key'] );
		$this->assertSame( $events[0]['data']['session_id'], $events[1]['data']['session_id'] );
		$this->assertSame( $events[0]['data']['cart_key'], WC()->session->get( 'cartback_cart_key' ), 'kept in the WooCommerce session, for orders to carry' );
		$this->assertCount( 2, $events[1]['data']['lines'] );

		WC()->reset_shopper(); // Another shopper.
		WC()->cart->add_to_cart( 42 );
		$this->end_request();
		$other = $this->queued( 'cart.updated' )[2]['data'];
		$this->assertNotSame( $events[0]['data']['cart_key'], $other['cart_key'] );
		$this->assertNotSame( $events[0]['data']['session_id'], $other['session_id'] );
	}

	public function test_a_logged_in_shopper_s_snapshot_carries_their_customer_id(): void {
		$this->catalogue();
		$user = $this->customer();
		wp_set_current_user( $user->ID );
		WC()->reset_shopper( $user->ID );
		WC()->cart->add_to_cart( 42 );
		$this->end_request();
		$events = $this->queued( 'cart.updated' );
		$this->assertSame( $user->ID, $events[0]['data']['customer_id'] );
		$this->assertValidCaptured( $events );
	}

	public function test_money_goes_out_in_minor_units_of_the_store_currency(): void {
		$cases = array(
			array( 'INR', 2, '1299.00', 129900 ),
			array( 'JPY', 0, '1500', 1500 ),
			array( 'KWD', 3, '12.345', 12345 ),
			array( 'USD', 2, '0.10', 10 ),
		);
		foreach ( $cases as $i => list( $currency, $decimals, $price, $minor ) ) {
			$this->use_currency( $currency, $decimals );
			WC()->reset_shopper();
			$this->product( 50 + $i, array( 'price' => $price ) );
			WC()->cart->add_to_cart( 50 + $i, 3 );
			$this->end_request();
			$data = $this->queued( 'cart.updated' )[ $i ]['data'];
			$this->assertSame( $currency, $data['currency'] );
			$this->assertSame( $minor, $data['lines'][0]['unit_price'], "$price $currency" );
			$this->assertSame( 3 * $minor, $data['lines'][0]['line_total'] );
			$this->assertSame( 3 * $minor, $data['totals']['total'] );
		}
		$this->assertValidCaptured( $this->queued() );
	}

	public function test_line_totals_are_the_ones_woocommerce_calculated_with_the_coupon_and_coupons_count_as_changes(): void {
		$this->catalogue();
		WC_Cart::$coupon_discounts = array( 'diwali' => 10000 ); // ₹100 off the cart.
		WC()->cart->add_to_cart( 42 );
		WC()->cart->add_to_cart( 43 );
		$this->end_request();

		WC()->cart->apply_coupon( 'DIWALI' ); // WooCommerce does not recalculate here; capture makes it.
		$this->end_request();
		WC()->cart->remove_coupon( 'diwali' );
		$this->end_request();

		$events = $this->queued( 'cart.updated' );
		$this->assertCount( 3, $events );
		$with = $events[1]['data'];
		$this->assertSame( array( 'subtotal' => 179850, 'tax' => 0, 'shipping' => 0, 'discount' => 10000, 'total' => 169850 ), $with['totals'] );
		$this->assertSame( 129900, $with['lines'][0]['unit_price'], 'the unit price is before the discount' );
		$this->assertSame( 129900 - 7222, $with['lines'][0]['line_total'], "the kurta's share of the discount, as calculated" );
		$this->assertSame( 49950 - 2778, $with['lines'][1]['line_total'] );
		$this->assertSame( 0, $events[2]['data']['totals']['discount'] );
		$this->assertSame( 129900, $events[2]['data']['lines'][0]['line_total'] );
		$this->assertValidCaptured( $events );
	}

	public function test_removing_and_restoring_a_line_are_changes(): void {
		$this->catalogue();
		$key = WC()->cart->add_to_cart( 42 );
		WC()->cart->add_to_cart( 43 );
		$this->end_request();
		WC()->cart->remove_cart_item( $key );
		$this->end_request();
		WC()->cart->restore_cart_item( $key );
		$this->end_request();

		$events = $this->queued( 'cart.updated' );
		$this->assertSame( array( 2, 1, 2 ), array_map( static function ( $e ) { return count( $e['data']['lines'] ); }, $events ) );
	}

	public function test_a_cart_the_shopper_empties_sends_cart_emptied_once(): void {
		$this->catalogue();
		WC()->cart->add_to_cart( 42 );
		$this->end_request();
		WC()->cart->empty_cart();
		$this->end_request();
		WC()->cart->empty_cart();
		$this->end_request();

		$this->assertSame( array( 'cart.updated', 'cart.emptied' ), $this->queued_types() );
		$events = $this->queued();
		$this->assertSame( array( 'cart_key' => $events[0]['data']['cart_key'] ), $events[1]['data'] );
		$this->assertValidCaptured( $events );
	}

	public function test_removing_the_last_line_empties_the_cart(): void {
		$this->catalogue();
		$key = WC()->cart->add_to_cart( 42 );
		$this->end_request();
		WC()->cart->set_quantity( $key, 0 );
		$this->end_request();
		$this->assertSame( array( 'cart.updated', 'cart.emptied' ), $this->queued_types() );
	}

	public function test_a_cart_emptied_and_refilled_in_one_request_is_one_snapshot(): void {
		$this->catalogue();
		WC()->cart->add_to_cart( 42 );
		$this->end_request();
		WC()->cart->empty_cart();
		WC()->cart->add_to_cart( 43 );
		$this->end_request();

		$this->assertSame( array( 'cart.updated', 'cart.updated' ), $this->queued_types() );
		$events = $this->queued();
		$this->assertSame( array( 43 ), array_column( $events[1]['data']['lines'], 'product_id' ) );
		$this->assertSame( $events[0]['data']['cart_key'], $events[1]['data']['cart_key'] );
	}

	public function test_an_empty_cart_the_sidecar_never_saw_sends_nothing(): void {
		WC()->cart->empty_cart();
		$this->end_request();
		$this->assertSame( array(), $this->queued() );
	}

	/** @return array<string, array{string, string}> */
	public function purchases(): array {
		return array(
			'classic checkout, bank transfer' => array( 'classic', 'bacs' ),
			'classic checkout, cash on delivery' => array( 'classic', 'cod' ),
			'checkout block, card'            => array( 'store_api', 'card' ),
		);
	}

	/**
	 * @dataProvider purchases
	 */
	public function test_a_cart_emptied_because_it_was_bought_is_not_abandonment_and_the_next_cart_is_new( string $flow, string $gateway ): void {
		$this->catalogue();
		WC()->cart->add_to_cart( 42 );
		$this->end_request();
		$bought = $this->queued( 'cart.updated' )[0]['data']['cart_key'];

		$order = wc_test_double_checkout( $flow, $gateway, array( 'billing_email' => 'anna@example.com' ) );
		$this->assertTrue( WC()->cart->is_empty(), 'the gateway emptied the cart' );
		$this->end_request();

		$this->assertSame( array(), $this->queued( 'cart.emptied' ) );
		$this->assertCount( 1, $this->queued( 'cart.updated' ) );
		$this->assertSame( $bought, $this->queued( 'order.created' )[0]['data']['cart_key'], 'the order carries the cart it bought' );
		$this->assertSame( $bought, wc_get_order( $order->get_id() )->get_meta( '_cartback_cart_key' ) );

		WC()->cart->add_to_cart( 43 );
		$this->end_request();
		$next = $this->queued( 'cart.updated' )[1]['data'];
		$this->assertNotSame( $bought, $next['cart_key'], 'the next cart is a new cart' );
		$this->assertSame( $this->queued( 'cart.updated' )[0]['data']['session_id'], $next['session_id'], 'in the same session' );
	}

	public function test_the_order_received_page_clearing_a_paid_cart_is_not_abandonment(): void {
		global $wp;
		$this->catalogue();
		WC()->cart->add_to_cart( 42 );
		$this->end_request();
		$order = wc_test_double_checkout( 'classic', 'redirect' ); // Off to the payment page; the cart stays.
		$this->end_request();
		$this->assertFalse( WC()->cart->is_empty() );

		wc_get_order( $order->get_id() )->payment_complete( 'txn_1' ); // The gateway's callback.
		$this->end_request();

		$wp->query_vars['order-received'] = $order->get_id(); // The shopper lands on the thank-you page.
		$_GET['key']                       = $order->get_order_key();
		try {
			$this->template_redirect();
		} finally {
			unset( $wp->query_vars['order-received'], $_GET['key'] );
		}
		$this->assertTrue( WC()->cart->is_empty(), "WooCommerce's wc_clear_cart_after_payment emptied it" );
		$this->end_request();

		$this->assertSame( array( 'cart.updated', 'order.created', 'order.status_changed', 'order.paid' ), $this->queued_types() );
		$this->assertNotSame( $this->queued( 'cart.updated' )[0]['data']['cart_key'], Session_Keys::cart_key() );
	}

	public function test_a_gateway_emptying_the_bought_cart_on_a_later_request_is_not_abandonment(): void {
		$this->catalogue();
		WC()->cart->add_to_cart( 42 );
		$this->end_request();
		$bought = Session_Keys::cart_key();
		wc_test_double_checkout( 'store_api', 'redirect' );
		$this->end_request();

		WC()->cart->empty_cart(); // The gateway's return handler, when the shopper comes back from paying.
		$this->end_request();

		$this->assertSame( array(), $this->queued( 'cart.emptied' ) );
		$this->assertNotSame( $bought, Session_Keys::cart_key() );
	}

	public function test_nothing_is_captured_while_capture_is_switched_off(): void {
		$this->catalogue();
		WC()->cart->add_to_cart( 42 );
		$this->end_request();
		Events::without_capture(
			static function () {
				WC()->cart->empty_cart(); // A cart restore: empties and refills the cart itself.
				WC()->cart->add_to_cart( 43, 2 );
				WC()->cart->apply_coupon( 'nope' );
			}
		);
		$this->end_request();
		$this->assertSame( array( 'cart.updated' ), $this->queued_types() );
		wc_clear_notices();
	}

	public function test_a_real_request_sends_its_snapshot_when_wordpress_shuts_down(): void {
		$script = sys_get_temp_dir() . '/cartback-request-' . wp_generate_password( 8, false ) . '.php';
		file_put_contents(
			$script,
			'<?php wc_test_double_product( array( "id" => 42, "name" => "Kurta", "price" => "1299.00" ) );'
			. ' WC()->cart->add_to_cart( 42 ); WC()->cart->add_to_cart( 42 ); // No flush: the process just ends.'
		);
		try {
			$result = Cartback_Test_Site::run( array( 'eval', $script ) );
		} finally {
			unlink( $script );
		}
		$this->assertSame( 0, $result['code'], $result['output'] );
		$events = $this->queued();
		$this->assertSame( array( 'cart.updated' ), array_column( $events, 'type' ) );
		$this->assertSame( 2, $events[0]['data']['lines'][0]['quantity'] );
		$this->assertValidCaptured( $events );
	}

	public function test_the_snapshot_is_taken_at_shutdown_before_woocommerce_saves_its_session(): void {
		$priority = has_action( 'shutdown', array( Capture_Cart::class, 'flush' ) );
		$this->assertIsInt( $priority );
		$this->assertLessThan( 20, $priority );
	}
}
