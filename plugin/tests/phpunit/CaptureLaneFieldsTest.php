<?php
/**
 * What the payment-recovery and win-back lanes need from capture: an order's own pay link while it
 * can be paid, and each cart and order line's product categories (id and name, at most 10).
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/trait-capture-helpers.php';

use Cartback\After_Response;
use Cartback\Payloads;
use Cartback\Product_Categories;

/** Pay links and line categories, against the WooCommerce double. */
final class CaptureLaneFieldsTest extends Cartback_Test_Case {
	use Capture_Test_Helpers;

	const BILLING = array(
		'billing_email'   => 'anna@example.com',
		'billing_phone'   => '098123 45678',
		'billing_country' => 'IN',
	);

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

	/** The kurta in Kurtas and "Cotton & Linen"; a variation of it (no categories of its own); a scarf in none. */
	private function shop(): array {
		$kurtas = $this->category( 'Kurtas' );
		$cotton = $this->category( 'Cotton & Linen' );
		return array(
			'kurtas'    => $kurtas,
			'cotton'    => $cotton,
			'kurta'     => $this->product( 42, array( 'name' => 'Handloom cotton kurta', 'price' => '1299.00', 'category_ids' => array( $kurtas, $cotton ) ) ),
			'variation' => $this->product( 4201, array( 'name' => 'Handloom cotton kurta - L', 'price' => '1399.00', 'parent_id' => 42, 'type' => 'variation' ) ),
			'scarf'     => $this->product( 43, array( 'name' => 'Silk scarf', 'price' => '499.50' ) ),
		);
	}

	public function test_a_pending_order_carries_its_own_pay_link_a_failed_one_too_a_paid_one_not(): void {
		$this->catalogue();
		WC()->cart->add_to_cart( 42 );
		$pending = wc_test_double_checkout( 'classic', 'redirect', self::BILLING ); // Pending while the shopper pays elsewhere.
		$this->end_request();

		$created = $this->queued( 'order.created' )[0]['data'];
		$this->assertSame( 'pending', $created['status'], 'a pending order is reported with its status' );
		$pay_url = $created['pay_url'];
		$this->assertSame( wc_get_order( $pending->get_id() )->get_checkout_payment_url(), $pay_url );
		parse_str( (string) wp_parse_url( $pay_url, PHP_URL_QUERY ), $query );
		$this->assertSame( (string) $pending->get_id(), $query['order-pay'] );
		$this->assertSame( 'true', $query['pay_for_order'] );
		$this->assertSame( $pending->get_order_key(), $query['key'], 'the order key: the link opens this order’s payment page' );
		$this->assertStringStartsWith( home_url(), $pay_url );

		WC()->cart->add_to_cart( 43 );
		$declined = wc_test_double_checkout( 'store_api', 'declined', self::BILLING );
		$this->end_request();
		$failed = $this->queued( 'order.payment_failed' );
		$this->assertCount( 1, $failed, 'a declined payment is order.payment_failed' );
		$this->assertSame( 'failed', $failed[0]['data']['status'] );
		$this->assertSame( wc_get_order( $declined->get_id() )->get_checkout_payment_url(), $failed[0]['data']['pay_url'] );

		wc_get_order( $declined->get_id() )->payment_complete( 'txn_9' );
		$this->end_request();
		$paid = $this->queued( 'order.paid' );
		$this->assertCount( 1, $paid );
		$this->assertArrayNotHasKey( 'pay_url', $paid[0]['data'], 'paid: no pay link (it carries the order key)' );
		$changes = $this->queued( 'order.status_changed' );
		$this->assertArrayNotHasKey( 'pay_url', end( $changes )['data'] );
		$this->assertValidCaptured( $this->queued() );
	}

	public function test_the_pay_link_follows_woocommerce_s_own_filters(): void {
		$this->catalogue();
		$rewrite  = static function ( $url ) {
			return add_query_arg( 'lang', 'hi', $url );
		};
		$on_hold  = static function ( $statuses ) {
			return array_merge( (array) $statuses, array( 'on-hold' ) );
		};
		add_filter( 'woocommerce_get_checkout_payment_url', $rewrite );
		add_filter( 'woocommerce_valid_order_statuses_for_payment', $on_hold );
		try {
			WC()->cart->add_to_cart( 42 );
			wc_test_double_checkout( 'classic', 'bacs', self::BILLING ); // Pending, then on-hold.
			$this->end_request();
		} finally {
			remove_filter( 'woocommerce_get_checkout_payment_url', $rewrite );
			remove_filter( 'woocommerce_valid_order_statuses_for_payment', $on_hold );
		}
		$this->assertStringContainsString( 'lang=hi', $this->queued( 'order.created' )[0]['data']['pay_url'] );
		$on_hold_change = $this->queued( 'order.status_changed' )[0]['data'];
		$this->assertSame( 'on-hold', $on_hold_change['status'] );
		$this->assertStringContainsString( 'lang=hi', $on_hold_change['pay_url'], 'a store that takes payment on hold gets the link then too' );
		$this->assertValidCaptured( $this->queued() );
	}

	public function test_cart_and_order_lines_carry_the_product_categories_a_variation_its_parent_s(): void {
		$shop = $this->shop();
		WC()->cart->add_to_cart( 42 );
		WC()->cart->add_to_cart( 42, 1, 4201 );
		WC()->cart->add_to_cart( 43 );
		$this->end_request();

		$both  = array(
			array( 'id' => $shop['kurtas'], 'name' => 'Kurtas' ),
			array( 'id' => $shop['cotton'], 'name' => 'Cotton & Linen' ),
		);
		$lines = $this->queued( 'cart.updated' )[0]['data']['lines'];
		$this->assertSame( $both, $lines[0]['categories'] );
		$this->assertSame( 4201, $lines[1]['variation_id'] );
		$this->assertSame( $both, $lines[1]['categories'], 'a variation: its parent’s categories' );
		$this->assertArrayNotHasKey( 'categories', $lines[2], 'a product in no category: none' );

		$order = wc_test_double_checkout( 'classic', 'cod', self::BILLING );
		$this->end_request();
		$order_lines = $this->of_order( 'order.created', $order->get_id() )['lines'];
		$this->assertSame( $both, $order_lines[0]['categories'] );
		$this->assertSame( $both, $order_lines[1]['categories'] );
		$this->assertArrayNotHasKey( 'categories', $order_lines[2] );
		$this->assertSame( $both, $this->of_order( 'order.paid', $order->get_id() )['lines'][0]['categories'] );
		$this->assertValidCaptured( $this->queued() );
	}

	public function test_at_most_10_categories_names_cut_to_200_characters(): void {
		$ids = array();
		for ( $i = 1; $i <= 12; $i++ ) {
			$ids[] = $this->category( sprintf( 'Lane test %02d ', $i ) . str_repeat( 'ऋ', 187 ) ); // 200 characters, WordPress's most.
		}
		$this->product( 50, array( 'name' => 'Everything shawl', 'price' => '10.00', 'category_ids' => $ids ) );
		// A plugin may lengthen names as they are read (get_{$taxonomy}, in get_term()).
		$longer = static function ( $term ) {
			if ( $term instanceof WP_Term && 0 === strpos( $term->name, 'Lane test 02' ) ) {
				$term       = clone $term;
				$term->name = $term->name . str_repeat( 'x', 50 );
			}
			return $term;
		};
		add_filter( 'get_product_cat', $longer );
		try {
			WC()->cart->add_to_cart( 50 );
			$this->end_request();
		} finally {
			remove_filter( 'get_product_cat', $longer );
		}

		$categories = $this->queued( 'cart.updated' )[0]['data']['lines'][0]['categories'];
		$this->assertCount( 10, $categories );
		$this->assertSame( array_slice( $ids, 0, 10 ), array_column( $categories, 'id' ), 'the first 10, in the product’s order' );
		$this->assertSame( 'Lane test 01 ' . str_repeat( 'ऋ', 187 ), $categories[0]['name'], '200 characters go whole' );
		$this->assertSame( 'Lane test 02 ' . str_repeat( 'ऋ', 187 ), $categories[1]['name'], 'longer ones are cut to 200' );
		$this->assertValidCaptured( $this->queued() );
	}

	public function test_naming_a_cart_s_categories_makes_no_query_once_woocommerce_has_loaded_its_products(): void {
		$shop = $this->shop();
		foreach ( range( 60, 67 ) as $id ) {
			$this->product( $id, array( 'name' => 'Kurta ' . $id, 'price' => '100.00', 'category_ids' => array( $shop['kurtas'], $shop['cotton'] ) ) );
			WC()->cart->add_to_cart( $id );
		}
		WC()->cart->calculate_totals();
		global $wpdb;
		$forget = static function () use ( $shop ) {
			wp_cache_delete( $shop['kurtas'], 'terms' );
			wp_cache_delete( $shop['cotton'], 'terms' );
		};
		$forget();
		$before = $wpdb->num_queries;
		Payloads::cart( WC()->cart, 'key', 'session', true );
		$this->assertSame( 2, $wpdb->num_queries - $before, 'with a cold term cache each name is read once, however many lines share it' );

		$forget();
		Product_Categories::forget();
		// WooCommerce's product read (get_the_terms()) leaves the product's terms in WordPress's cache.
		_prime_term_caches( array( $shop['kurtas'], $shop['cotton'] ) );
		$before = $wpdb->num_queries;
		$data   = Payloads::cart( WC()->cart, 'key', 'session', true );
		$this->assertSame( 0, $wpdb->num_queries - $before, 'no query per line' );
		$this->assertCount( 8, $data['lines'] );
		$this->assertSame( 'Cotton & Linen', $data['lines'][7]['categories'][1]['name'] );
	}

	public function test_where_the_response_finishes_early_a_variation_s_categories_are_looked_up_after_it(): void {
		$shop = $this->shop();
		add_filter( 'cartback_finish_response_early', '__return_true' );
		try {
			WC()->cart->add_to_cart( 42, 1, 4201 );
			WC()->cart->add_to_cart( 42 );
			$this->end_request();
			$this->assertSame( array(), $this->queued(), 'nothing written before the response' );
			After_Response::run();
		} finally {
			remove_filter( 'cartback_finish_response_early', '__return_true' );
			After_Response::run();
		}
		$lines = $this->queued( 'cart.updated' )[0]['data']['lines'];
		$both  = array(
			array( 'id' => $shop['kurtas'], 'name' => 'Kurtas' ),
			array( 'id' => $shop['cotton'], 'name' => 'Cotton & Linen' ),
		);
		$this->assertSame( $both, $lines[0]['categories'], 'the parent looked up after the response' );
		$this->assertArrayNotHasKey( 'categories_of', $lines[0] );
		$this->assertSame( array( 'url', 'categories' ), array_slice( array_keys( $lines[0] ), -2 ), 'in its place' );
		$this->assertSame( $both, $lines[1]['categories'] );
		$this->assertValidCaptured( $this->queued() );
	}

	/** The data of an order's event of one type. */
	private function of_order( string $type, int $order_id ): array {
		foreach ( $this->queued( $type ) as $event ) {
			if ( $event['data']['order_id'] === $order_id ) {
				return $event['data'];
			}
		}
		$this->fail( "no $type for order $order_id" );
	}
}
