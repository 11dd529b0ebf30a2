<?php
/**
 * Order capture: created once whichever of WooCommerce's hooks report it, paid once whether the
 * gateway calls payment_complete or the status just moves to processing, failed payments, every
 * status change, refunds; drafts never.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/trait-capture-helpers.php';

use Cartback\Capture_Orders;
use Cartback\Events;

/** Capture_Orders against the WooCommerce double. */
final class CaptureOrdersTest extends Cartback_Test_Case {
	use Capture_Test_Helpers;

	const BILLING = array(
		'billing_email'      => 'anna@example.com',
		'billing_phone'      => '098123 45678',
		'billing_country'    => 'IN',
		'billing_first_name' => 'Anna',
	);

	protected function setUp(): void {
		$this->end_previous_request();
		parent::setUp();
		$this->set_up_capture();
		$this->catalogue();
	}

	protected function tearDown(): void {
		$this->tear_down_capture();
		parent::tearDown();
	}

	/** Puts the kurta (twice) and the scarf in the cart and ends the request, like a shopper would. */
	private function fill_cart(): string {
		WC()->cart->add_to_cart( 42, 2 );
		WC()->cart->add_to_cart( 43 );
		$this->end_request();
		return $this->queued( 'cart.updated' )[0]['data']['cart_key'];
	}

	/** The events of one type, for one order. */
	private function of( string $type, int $order_id ): array {
		return array_values(
			array_filter(
				$this->queued( $type ),
				static function ( $e ) use ( $order_id ) {
					return $e['data']['order_id'] === $order_id;
				}
			)
		);
	}

	public function test_a_classic_bank_transfer_order_is_created_then_paid_when_marked_processing(): void {
		$cart_key = $this->fill_cart();
		$order    = wc_test_double_checkout( 'classic', 'bacs', self::BILLING );
		$this->end_request();

		$this->assertSame( array( 'cart.updated', 'order.created', 'order.status_changed' ), $this->queued_types() );
		$created = $this->queued( 'order.created' )[0]['data'];
		$this->assertSame(
			array(
				'order_id'       => $order->get_id(),
				'cart_key'       => $cart_key,
				'phone'          => '+919812345678',
				'email'          => 'anna@example.com',
				'status'         => 'pending',
				'currency'       => 'INR',
				'totals'         => array( 'subtotal' => 309750, 'tax' => 0, 'shipping' => 0, 'discount' => 0, 'total' => 309750, 'refunded' => 0 ),
				'lines'          => array(
					array( 'product_id' => 42, 'sku' => 'KURTA-M', 'name' => 'Handloom cotton kurta', 'quantity' => 2, 'unit_price' => 129900, 'line_total' => 259800, 'image_url' => 'https://shop.example/wp-content/uploads/kurta.jpg', 'url' => wc_get_product( 42 )->get_permalink() ),
					array( 'product_id' => 43, 'name' => 'Silk scarf', 'quantity' => 1, 'unit_price' => 49950, 'line_total' => 49950, 'url' => wc_get_product( 43 )->get_permalink() ),
				),
				'coupons'        => array(),
				'payment_method' => 'bacs',
				'pay_url'        => wc_get_order( $order->get_id() )->get_checkout_payment_url(), // Pending: payable.
			),
			$created,
			'a guest order: no customer id'
		);
		$this->assertSame( 'on-hold', $this->queued( 'order.status_changed' )[0]['data']['status'] );
		$this->assertSame( array(), $this->queued( 'order.paid' ), 'on-hold is not paid' );

		// The shop owner sees the transfer and marks the order processing, then completed.
		wc_get_order( $order->get_id() )->update_status( 'processing' );
		$this->end_request();
		wc_get_order( $order->get_id() )->update_status( 'completed' );
		$this->end_request();

		$this->assertSame( array( 'on-hold', 'processing', 'completed' ), array_column( array_column( $this->queued( 'order.status_changed' ), 'data' ), 'status' ) );
		$paid = $this->queued( 'order.paid' );
		$this->assertCount( 1, $paid, 'paid once, when it left on-hold' );
		$this->assertSame( 'processing', $paid[0]['data']['status'] );
		$this->assertSame( $cart_key, $paid[0]['data']['cart_key'], 'later events carry the cart key saved on the order' );
		$this->assertValidCaptured( $this->queued() );
	}

	public function test_order_created_goes_out_once_across_classic_store_api_and_new_order_hooks(): void {
		$this->fill_cart();
		$order = wc_test_double_checkout( 'classic', 'bacs', self::BILLING );
		// Plugins (and some WooCommerce versions) fire the other creation hooks for the same order too.
		do_action( 'woocommerce_store_api_checkout_order_processed', $order );
		do_action( 'woocommerce_new_order', $order->get_id(), $order );
		$this->end_request();
		// A later request, where only the order's meta remembers.
		$again = wc_get_order( $order->get_id() );
		do_action( 'woocommerce_checkout_order_processed', $again->get_id(), array(), $again );
		do_action( 'woocommerce_store_api_checkout_order_processed', $again );
		do_action( 'woocommerce_new_order', $again->get_id(), $again );
		$this->end_request();

		$this->assertCount( 1, $this->queued( 'order.created' ) );
		$flags = wc_get_order( $order->get_id() )->get_meta( Capture_Orders::META_SENT );
		$this->assertArrayHasKey( 'created', $flags, 'remembered in the order meta, saved through the order' );
	}

	public function test_a_checkout_block_order_is_created_when_placed_never_as_a_draft_and_paid_once(): void {
		$cart_key = $this->fill_cart();
		$draft    = wc_test_double_checkout_draft(); // The checkout block loads: WooCommerce makes a draft order.
		$this->end_request();
		$this->assertSame( array( 'cart.updated' ), $this->queued_types(), 'a draft is not an order' );

		$order = wc_test_double_checkout( 'store_api', 'card', self::BILLING, $draft );
		$this->end_request();

		$this->assertSame( array( 'cart.updated', 'order.created', 'order.status_changed', 'order.paid' ), $this->queued_types() );
		$this->assertSame( $order->get_id(), $draft->get_id() );
		$created = $this->queued( 'order.created' )[0]['data'];
		$this->assertSame( 'pending', $created['status'] );
		$this->assertSame( $cart_key, $created['cart_key'] );
		$this->assertSame( 'card', $created['payment_method'] );
		$this->assertSame( 'processing', $this->queued( 'order.status_changed' )[0]['data']['status'], 'draft → pending is the creation, not a change' );
		$this->assertSame( 'processing', $this->queued( 'order.paid' )[0]['data']['status'] );
		$this->assertValidCaptured( $this->queued() );
	}

	public function test_an_order_made_elsewhere_is_reported_by_the_new_order_fallback_at_the_end_of_the_request(): void {
		$order = wc_test_double_create_order(
			array_merge(
				self::BILLING,
				array(
					'items' => array( array( 'product_id' => 43, 'name' => 'Silk scarf', 'quantity' => 2, 'subtotal' => '999.00', 'total' => '999.00' ) ),
					'total' => '999.00',
				)
			)
		);
		$this->assertSame( array(), $this->queued(), 'not yet: its items are saved after woocommerce_new_order' );
		$this->end_request();

		$created = $this->queued( 'order.created' );
		$this->assertCount( 1, $created );
		$this->assertSame( $order->get_id(), $created[0]['data']['order_id'] );
		$this->assertArrayNotHasKey( 'cart_key', $created[0]['data'], 'no cart in this session' );
		$this->assertSame( 99900, $created[0]['data']['lines'][0]['line_total'] );
		$this->assertValidCaptured( $created );
	}

	public function test_the_fallback_is_sent_before_a_status_change_in_the_same_request(): void {
		$order = wc_test_double_create_order( array_merge( self::BILLING, array( 'items' => array( array( 'product_id' => 42, 'name' => 'Kurta', 'quantity' => 1, 'subtotal' => '1299', 'total' => '1299' ) ), 'total' => '1299' ) ) );
		$order->update_status( 'processing' ); // Created and paid in the admin in one go.
		$this->end_request();
		$this->assertSame( array( 'order.created', 'order.status_changed', 'order.paid' ), $this->queued_types() );
	}

	public function test_an_admin_order_saved_from_auto_draft_as_processing_is_created_and_paid_without_a_draft_status_change(): void {
		$order = wc_test_double_create_order( array( 'status' => 'auto-draft' ) ); // wp-admin's "Add order".
		$this->end_request();
		$this->assertSame( array(), $this->queued(), 'an auto-draft is not an order' );

		$order = wc_get_order( $order->get_id() );
		$order->set_props( array_merge( self::BILLING, array( 'items' => array( array( 'product_id' => 42, 'name' => 'Kurta', 'quantity' => 1, 'subtotal' => '1299', 'total' => '1299' ) ), 'total' => '1299' ) ) );
		$order->set_status( 'processing' );
		$order->save();
		do_action( 'woocommerce_new_order', $order->get_id(), $order ); // WooCommerce announces an order leaving its draft.
		$this->end_request();

		$this->assertSame( array( 'order.paid', 'order.created' ), $this->queued_types() );
		$this->assertValidCaptured( $this->queued() );
	}

	public function test_order_paid_goes_out_once_across_payment_complete_and_the_status_change(): void {
		$this->fill_cart();
		$order = wc_test_double_checkout( 'classic', 'redirect', self::BILLING ); // Pending while the shopper pays elsewhere.
		$this->end_request();

		wc_get_order( $order->get_id() )->payment_complete( 'txn_1' ); // Status → processing, then woocommerce_payment_complete.
		$this->end_request();
		do_action( 'woocommerce_payment_complete', $order->get_id(), 'txn_1' ); // The gateway's callback, repeated.
		wc_get_order( $order->get_id() )->update_status( 'on-hold' );
		wc_get_order( $order->get_id() )->update_status( 'processing' ); // Back into a paid status.
		$this->end_request();

		$paid = $this->queued( 'order.paid' );
		$this->assertCount( 1, $paid );
		$this->assertSame( $order->get_id(), $paid[0]['data']['order_id'] );
		$this->assertValidCaptured( $this->queued() );
	}

	public function test_cash_on_delivery_is_paid_by_its_status_change_alone(): void {
		$this->fill_cart();
		$order = wc_test_double_checkout( 'classic', 'cod', self::BILLING );
		$this->end_request();
		$this->assertSame( array( 'cart.updated', 'order.created', 'order.status_changed', 'order.paid' ), $this->queued_types() );
		$this->assertSame( 'cod', $this->of( 'order.paid', $order->get_id() )[0]['data']['payment_method'] );
	}

	public function test_a_declined_payment_is_reported_and_a_later_successful_one_is_paid(): void {
		$this->fill_cart();
		$order = wc_test_double_checkout( 'store_api', 'declined', self::BILLING );
		$this->end_request();
		$failed = $this->queued( 'order.payment_failed' );
		$this->assertCount( 1, $failed );
		$this->assertSame( 'failed', $failed[0]['data']['status'] );
		$this->assertFalse( WC()->cart->is_empty(), 'the cart stays for another try' );

		wc_get_order( $order->get_id() )->payment_complete( 'txn_2' );
		$this->end_request();
		$this->assertCount( 1, $this->queued( 'order.paid' ) );
		$this->assertSame( array( 'failed', 'processing' ), array_column( array_column( $this->queued( 'order.status_changed' ), 'data' ), 'status' ) );
		$this->assertValidCaptured( $this->queued() );
	}

	public function test_a_full_refund_is_reported_once_and_each_partial_one_with_the_amount_refunded_so_far(): void {
		$this->fill_cart();
		$full = wc_test_double_checkout( 'classic', 'card', self::BILLING );
		$this->end_request();
		wc_test_double_refund( $full, '3097.50' ); // Status → refunded, then woocommerce_order_refunded.
		$this->end_request();

		$refunded = $this->of( 'order.refunded', $full->get_id() );
		$this->assertCount( 1, $refunded, 'the status change and the refund hook are one refund' );
		$this->assertSame( 'refunded', $refunded[0]['data']['status'] );
		$this->assertSame( 309750, $refunded[0]['data']['totals']['refunded'] );
		$changes = $this->queued( 'order.status_changed' );
		$this->assertSame( 'refunded', end( $changes )['data']['status'] );

		WC()->cart->add_to_cart( 42 );
		$partial = wc_test_double_checkout( 'classic', 'card', self::BILLING );
		$this->end_request();
		$this->assertSame( 0, $this->of( 'order.created', $partial->get_id() )[0]['data']['totals']['refunded'] );
		wc_test_double_refund( $partial, '100.00' );
		$this->end_request();
		wc_test_double_refund( $partial, '50.00' );
		$this->end_request();
		$refunded = $this->of( 'order.refunded', $partial->get_id() );
		$this->assertSame( array( 'processing', 'processing' ), array_column( array_column( $refunded, 'data' ), 'status' ) );
		$this->assertSame( array( 10000, 15000 ), array_column( array_column( array_column( $refunded, 'data' ), 'totals' ), 'refunded' ) );
		$this->assertValidCaptured( $this->queued() );
	}

	public function test_a_status_set_to_refunded_without_a_refund_is_reported_once(): void {
		$this->fill_cart();
		$order = wc_test_double_checkout( 'classic', 'card', self::BILLING );
		$this->end_request();
		wc_get_order( $order->get_id() )->update_status( 'refunded' );
		$this->end_request();
		wc_get_order( $order->get_id() )->update_status( 'processing' );
		$this->end_request();
		wc_get_order( $order->get_id() )->update_status( 'refunded' );
		$this->end_request();

		$refunded = $this->of( 'order.refunded', $order->get_id() );
		$this->assertCount( 1, $refunded );
		$this->assertSame( 'refunded', $refunded[0]['data']['status'] );
		$this->assertSame( 0, $refunded[0]['data']['totals']['refunded'], 'nothing was given back through WooCommerce' );
	}

	public function test_a_customer_s_order_carries_their_id_coupons_and_money_in_minor_units(): void {
		$this->use_currency( 'KWD', 3 );
		$this->product( 60, array( 'name' => 'Dates box', 'price' => '12.345', 'sku' => 'DATES' ) );
		$user = $this->customer();
		wp_set_current_user( $user->ID );
		WC()->reset_shopper( $user->ID );
		WC_Cart::$coupon_discounts = array( 'ramadan' => 1000 ); // 1.000 KWD off.
		WC()->cart->add_to_cart( 60, 2 );
		WC()->cart->apply_coupon( 'RAMADAN' );
		WC()->cart->calculate_totals();
		$order = wc_test_double_checkout( 'classic', 'card', array( 'billing_email' => 'noor@example.com', 'billing_phone' => '+965 5123 4567', 'billing_country' => 'KW' ) );
		$this->end_request();

		$created = $this->of( 'order.created', $order->get_id() )[0]['data'];
		$this->assertSame( $user->ID, $created['customer_id'] );
		$this->assertSame( 'KWD', $created['currency'] );
		$this->assertSame( array( 'ramadan' ), $created['coupons'] );
		$this->assertSame( '+96551234567', $created['phone'] );
		$this->assertSame( array( 'subtotal' => 24690, 'tax' => 0, 'shipping' => 0, 'discount' => 1000, 'total' => 23690, 'refunded' => 0 ), $created['totals'] );
		$this->assertSame( 12345, $created['lines'][0]['unit_price'] );
		$this->assertSame( 23690, $created['lines'][0]['line_total'] );
		$this->assertValidCaptured( $this->queued() );
	}

	public function test_an_unusable_phone_or_email_is_left_out(): void {
		$order = wc_test_double_create_order(
			array(
				'billing_email' => 'not an email',
				'billing_phone' => '12',
				'items'         => array( array( 'product_id' => 43, 'name' => 'Silk scarf', 'quantity' => 1, 'subtotal' => '499.50', 'total' => '499.50' ) ),
				'total'         => '499.50',
			)
		);
		$this->end_request();
		$data = $this->of( 'order.created', $order->get_id() )[0]['data'];
		$this->assertArrayNotHasKey( 'phone', $data );
		$this->assertArrayNotHasKey( 'email', $data );
		$this->assertValidCaptured( $this->queued() );
	}

	public function test_nothing_is_captured_while_capture_is_switched_off(): void {
		WC()->cart->add_to_cart( 42 );
		$order = Events::without_capture(
			static function () {
				return wc_test_double_checkout( 'classic', 'card', self::BILLING );
			}
		);
		$this->end_request();
		$this->assertSame( array(), $this->queued() );
		$this->assertSame( '', wc_get_order( $order->get_id() )->get_meta( Capture_Orders::META_SENT ), 'and nothing is marked as sent' );
	}
}
