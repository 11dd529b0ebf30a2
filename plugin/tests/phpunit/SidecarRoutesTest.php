<?php
/**
 * The routes the sidecar calls, over real HTTP (php -S) with a real sidecar process: only a
 * request signed with the shared secret for exactly that route gets through; /sidecar/deliver
 * empties the outbox into the sidecar; /sidecar/orders says whether a contact ordered since a
 * moment, matching the cart key, the customer, the billing email or the phone.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/../support/class-rest-helpers.php';

use Cartback\Capture_Cart;
use Cartback\Capture_Orders;
use Cartback\Delivery;
use Cartback\Events;
use Cartback\Outbox;
use Cartback\Signer;
use Cartback_Rest_Helpers as Rest;

/** cartback/v1/sidecar/*. */
final class SidecarRoutesTest extends Cartback_Test_Case {
	/** @var Cartback_Sidecar|null */
	private static $sidecar;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$sidecar = ( new Cartback_Sidecar() )->start();
		Cartback_Test_Site::serve();
	}

	public static function tearDownAfterClass(): void {
		if ( self::$sidecar ) {
			self::$sidecar->drop();
			self::$sidecar = null;
		}
		parent::tearDownAfterClass();
	}

	protected function setUp(): void {
		parent::setUp();
		self::$sidecar->connect_plugin();
		self::$sidecar->query( 'DELETE FROM inbound_events' );
		wc_test_double_product( array( 'id' => 42, 'name' => 'Handloom cotton kurta', 'price' => '1299.00' ) );
	}

	protected function tearDown(): void {
		Capture_Cart::flush();
		Capture_Orders::flush();
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/**
	 * A POST to one of the plugin's routes, signed as the sidecar signs it unless told otherwise.
	 *
	 * @param string      $route  "/sidecar/deliver" …
	 * @param string      $body   Raw body.
	 * @param array       $change secret, timestamp, path (what is signed), headers (false: none).
	 */
	private function post( string $route, string $body, array $change = array() ): array {
		$url     = rest_url( 'cartback/v1' . $route );
		$parts   = wp_parse_url( $url );
		$path    = $change['path'] ?? $parts['path'] . ( isset( $parts['query'] ) ? '?' . $parts['query'] : '' );
		$headers = array( 'Content-Type' => 'application/json' );
		if ( false !== ( $change['headers'] ?? true ) ) {
			$headers += Signer::headers( $change['secret'] ?? Cartback_Sidecar::SECRET, 'POST', $path, $change['signed_body'] ?? $body, $change['timestamp'] ?? null );
		}
		return Rest::http( 'POST', $url, array(), $headers, $body );
	}

	/** A valid event's data from the shared fixtures. */
	private function queue( string $type, int $count ): array {
		$fixture = json_decode( file_get_contents( __DIR__ . '/../../../shared/fixtures/events/valid/' . $type . '.json' ), true );
		$ids     = array();
		for ( $i = 0; $i < $count; $i++ ) {
			$data = $fixture['data'];
			if ( isset( $data['cart_key'] ) ) {
				$data['cart_key'] = md5( 'route-' . $i . '-' . microtime() );
			}
			$ids[] = Events::emit( $type, $data )['id'];
		}
		Cartback\Urgent_Delivery::forget(); // Queued by the test, not by a request that ends.
		return $ids;
	}

	/** Event ids the sidecar stored. */
	private function in_sidecar(): array {
		$ids = array_column( self::$sidecar->query( 'SELECT event_id FROM inbound_events ORDER BY event_id' ), 'event_id' );
		sort( $ids );
		return $ids;
	}

	public function test_missing_wrong_stale_or_replayed_signatures_get_401_and_nothing_is_delivered(): void {
		$this->queue( 'cart.updated', 3 );
		$orders_path = wp_parse_url( rest_url( 'cartback/v1/sidecar/orders' ) );
		$refusals    = array(
			'no headers'                         => array( 'headers' => false ),
			'another secret'                     => array( 'secret' => str_repeat( 'w', 48 ) ),
			'more than five minutes old'         => array( 'timestamp' => time() - 320 ),
			'more than five minutes ahead'       => array( 'timestamp' => time() + 320 ),
			'signed for /sidecar/orders'         => array( 'path' => $orders_path['path'] . ( isset( $orders_path['query'] ) ? '?' . $orders_path['query'] : '' ) ),
			'body changed after it was signed'   => array( 'signed_body' => '{"x":1}' ),
		);
		foreach ( $refusals as $what => $change ) {
			$reply = $this->post( '/sidecar/deliver', '{}', $change );
			$this->assertSame( 401, $reply['status'], "$what: " . $reply['body'] );
			$this->assertSame( 'cartback_unauthorized', $reply['data']['code'], $what );
			$this->assertNotSame( '', $reply['data']['message'], $what );
		}
		$deliver_path = wp_parse_url( rest_url( 'cartback/v1/sidecar/deliver' ) );
		$replayed     = $this->post( '/sidecar/orders', '{}', array( 'path' => $deliver_path['path'] . ( isset( $deliver_path['query'] ) ? '?' . $deliver_path['query'] : '' ) ) );
		$this->assertSame( 401, $replayed['status'], 'a deliver signature replayed on /sidecar/orders' );
		$this->assertSame( 401, $this->post( '/sidecar/orders', '{"since":"2026-01-01T00:00:00Z"}', array( 'headers' => false ) )['status'] );

		$this->assertSame( 3, Outbox::counts()['pending'], 'nothing was delivered' );
		$this->assertSame( array(), $this->in_sidecar() );

		// Within the window either side, the same request is accepted.
		$this->assertSame( 200, $this->post( '/sidecar/deliver', '{}', array( 'timestamp' => time() - 290 ) )['status'] );
	}

	public function test_a_store_that_is_not_connected_accepts_no_signature(): void {
		delete_option( \Cartback\Settings::CONNECTION_OPTION );
		$this->queue( 'cart.updated', 1 );
		$reply = $this->post( '/sidecar/deliver', '{}' );
		$this->assertSame( 401, $reply['status'] );
		$this->assertSame( 1, Outbox::counts()['pending'] );
	}

	public function test_deliver_empties_the_outbox_into_the_sidecar_past_any_backoff(): void {
		$ids = $this->queue( 'cart.updated', 4 );
		update_option( Delivery::STATE_OPTION, array( 'failures' => 6, 'retry_at' => time() + 3600 ), false );

		$reply = $this->post( '/sidecar/deliver', '{}' );
		$this->assertSame( 200, $reply['status'], $reply['body'] );
		$this->assertSame( array( 'sent' => 4, 'pending' => 0 ), $reply['data'] );
		sort( $ids );
		$this->assertSame( $ids, $this->in_sidecar(), 'the sidecar holds each event' );
		$this->assertSame( 0, Outbox::counts()['pending'] );

		$again = $this->post( '/sidecar/deliver', '{}' );
		$this->assertSame( array( 'sent' => 0, 'pending' => 0 ), $again['data'], 'nothing left' );
	}

	/**
	 * Places an order from a cart with the kurta, through the double's checkout (so Cartback's
	 * hooks store the cart key and the phone), and ends the request.
	 *
	 * @param array $billing  billing_* props.
	 * @param int   $customer User id of the shopper (0: a guest).
	 */
	private function place_order( array $billing, int $customer = 0 ): WC_Order {
		wp_set_current_user( $customer );
		WC()->reset_shopper( $customer );
		WC()->cart->add_to_cart( 42 );
		Capture_Cart::flush();
		$order = wc_test_double_checkout( 'classic', 'cod', $billing );
		Capture_Cart::flush();
		Capture_Orders::flush();
		wp_set_current_user( 0 );
		return wc_get_order( $order->get_id() );
	}

	/**
	 * Asks /sidecar/orders.
	 *
	 * @param array $body The question.
	 */
	private function ordered( array $body ): array {
		$reply = $this->post( '/sidecar/orders', (string) wp_json_encode( $body ) );
		$this->assertSame( 200, $reply['status'], $reply['body'] );
		return $reply['data'];
	}

	public function test_orders_are_found_by_phone_email_customer_or_cart_key_when_placed_since_the_moment_asked(): void {
		// Numbers and addresses of this test only: orders of other tests stay in the store.
		$national = '98' . wp_rand( 10000000, 99999999 );
		$e164     = '+91' . $national;
		$ravi     = 'Ravi.K.' . wp_rand( 1000, 9999 ) . '@Example.com';
		$stranger = '+4477009' . wp_rand( 10000, 99999 );
		$since    = time();
		$anna     = array( 'billing_phone' => '0' . $national, 'billing_country' => 'IN', 'billing_email' => 'anna@example.com', 'billing_first_name' => 'Anna' );
		$before   = $this->place_order( $anna );
		$before->set_props( array( 'date_created' => $since - 600 ) ); // Placed ten minutes before the cart began.
		$before->save();
		$by_phone = $this->place_order( array( 'billing_phone' => '+91 ' . substr( $national, 0, 5 ) . ' ' . substr( $national, 5 ), 'billing_country' => 'IN', 'billing_email' => 'other@example.com' ) );
		$by_email = $this->place_order( array( 'billing_phone' => '', 'billing_country' => 'IN', 'billing_email' => $ravi ) );
		$user     = wp_insert_user( array( 'user_login' => 'buyer_' . wp_generate_password( 6, false ), 'user_pass' => wp_generate_password(), 'user_email' => 'buyer_' . wp_generate_password( 6, false ) . '@example.com' ) );
		$by_user  = $this->place_order( array( 'billing_phone' => '', 'billing_country' => 'IN', 'billing_email' => 'someone@example.com' ), $user );
		$by_cart  = $this->place_order( array( 'billing_phone' => '', 'billing_country' => 'IN', 'billing_email' => 'x@example.com' ) );
		$draft    = wc_test_double_create_order( array( 'status' => 'checkout-draft', 'billing_phone' => $stranger, 'billing_email' => 'draft-' . $national . '@example.com' ) );
		$draft->update_meta_data( Capture_Orders::META_PHONE, $stranger );
		$draft->save_meta_data();
		$this->assertSame( $e164, $by_phone->get_meta( Capture_Orders::META_PHONE ), 'the phone is kept in E.164' );

		$iso = gmdate( 'Y-m-d\TH:i:s\Z', $since );
		$one = static function ( WC_Order $order ) {
			return array(
				'order_id'   => $order->get_id(),
				'status'     => 'processing',
				'created_at' => gmdate( 'Y-m-d\TH:i:s\Z', $order->get_date_created()->getTimestamp() ),
			);
		};

		$phone = $this->ordered( array( 'since' => $iso, 'phone' => $e164 ) );
		$this->assertTrue( $phone['ordered'] );
		$this->assertSame( array( $one( $by_phone ) ), $phone['orders'], 'the order from before is not counted' );

		$this->assertSame( array( $one( $by_email ) ), $this->ordered( array( 'since' => $iso, 'email' => strtolower( $ravi ) ) )['orders'], 'email case does not matter' );
		$this->assertSame( array( $one( $by_user ) ), $this->ordered( array( 'since' => $iso, 'customer_id' => $user ) )['orders'] );
		$this->assertSame( array( $one( $by_cart ) ), $this->ordered( array( 'since' => $iso, 'cart_key' => $by_cart->get_meta( Capture_Orders::META_CART_KEY ) ) )['orders'] );

		$any = $this->ordered( array( 'since' => $iso, 'email' => strtolower( $ravi ), 'phone' => $e164, 'customer_id' => $user ) );
		$this->assertEqualsCanonicalizing( array( $by_phone->get_id(), $by_email->get_id(), $by_user->get_id() ), array_column( $any['orders'], 'order_id' ), 'any identifier matches' );

		$this->assertSame( array( 'ordered' => false, 'orders' => array() ), $this->ordered( array( 'since' => $iso, 'phone' => $stranger, 'email' => 'draft-' . $national . '@example.com' ) ), 'a checkout draft is no order' );
		$this->assertSame( array( 'ordered' => false, 'orders' => array() ), $this->ordered( array( 'since' => gmdate( 'Y-m-d\TH:i:s\Z', $since - 900 ), 'phone' => '+1555' . wp_rand( 1000000, 9999999 ) ) ) );
		$earlier = $this->ordered( array( 'since' => gmdate( 'Y-m-d\TH:i:s.000\Z', $since - 900 ), 'phone' => $e164 ) );
		$this->assertSame( array( $by_phone->get_id(), $before->get_id() ), array_column( $earlier['orders'], 'order_id' ), 'asked from earlier, both, newest first' );
	}

	public function test_orders_delivers_the_outbox_before_it_answers(): void {
		$ids   = $this->queue( 'cart.updated', 2 );
		$reply = $this->ordered( array( 'since' => gmdate( 'Y-m-d\TH:i:s\Z' ), 'cart_key' => 'nothing-here' ) );
		$this->assertFalse( $reply['ordered'] );
		sort( $ids );
		$this->assertSame( $ids, $this->in_sidecar() );
	}

	public function test_a_malformed_question_is_a_400_naming_the_field(): void {
		$cases = array(
			'since'       => array( '{"phone":"+919812345678"}', '{"since":"2026-11-21 10:15:00"}', '{"since":"2026-11-21T10:15:00+05:30"}', '{"since":"2026-02-30T10:15:00Z"}', '{"since":1763700000}' ),
			'phone'       => array( '{"since":"2026-11-21T10:15:00Z","phone":"98123 45678"}' ),
			'email'       => array( '{"since":"2026-11-21T10:15:00Z","email":"not-an-email"}' ),
			'customer_id' => array( '{"since":"2026-11-21T10:15:00Z","customer_id":"12"}', '{"since":"2026-11-21T10:15:00Z","customer_id":-1}' ),
			'cart_key'    => array( '{"since":"2026-11-21T10:15:00Z","cart_key":"a b"}' ),
			'body'        => array( '[]', '"x"', '[{"since":"2026-11-21T10:15:00Z"}]' ),
		);
		foreach ( $cases as $param => $bodies ) {
			foreach ( $bodies as $body ) {
				$reply = $this->post( '/sidecar/orders', $body );
				$this->assertSame( 400, $reply['status'], $body . ' ' . $reply['body'] );
				$this->assertSame( 'cartback_invalid', $reply['data']['code'], $body );
				$this->assertSame( $param, $reply['data']['data']['param'], $body );
				$this->assertSame( 400, $reply['data']['data']['status'] );
			}
		}
		// Not JSON at all: WordPress itself refuses it before any route runs.
		$garbage = $this->post( '/sidecar/orders', 'not json' );
		$this->assertSame( 400, $garbage['status'] );
		$this->assertSame( 'rest_invalid_json', $garbage['data']['code'] );
	}

	public function test_woocommerce_s_eraser_removes_the_phone_copy_from_an_anonymised_order(): void {
		$meta = apply_filters( 'woocommerce_privacy_remove_order_personal_data_meta', array( 'Transaction ID' => 'numeric_id' ) );
		$this->assertSame( 'phone', $meta[ Capture_Orders::META_PHONE ] );
		$this->assertSame( '', wp_privacy_anonymize_data( $meta[ Capture_Orders::META_PHONE ], '+919812345678' ), 'so the eraser deletes it' );
	}
}
