<?php
/**
 * Fresh facts: an order placed on the block checkout reaches a real sidecar within seconds on an
 * idle store — no WP-Cron, no Action Scheduler, no second visitor — and the shopper's own request
 * never waits on the network for it.
 *
 * @package Cartback\Tests
 */

use Cartback\Outbox;
use Cartback\Settings;
use Cartback\Urgent_Delivery;

/** Urgent_Delivery, over real HTTP (php -S) with a real sidecar process. */
final class UrgentDeliveryTest extends Cartback_Test_Case {
	/** @var Cartback_Sidecar|null */
	private static $sidecar;

	/** @var array<string, string> The shopper's browser cookies. */
	private $cookies = array();

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
		$this->cookies = array();
	}

	/**
	 * One request as the shopper's browser makes it (cookies kept), labelled for the HTTP spy.
	 *
	 * @param string      $method HTTP method.
	 * @param string      $url    Absolute URL.
	 * @param string      $label  The spy's label for what this request sends out.
	 * @param array|null  $json   JSON body.
	 * @return array{status: int, data: mixed, seconds: float}
	 */
	private function browse( string $method, string $url, string $label, ?array $json = null ): array {
		$pairs = array();
		foreach ( $this->cookies as $name => $value ) {
			$pairs[] = $name . '=' . rawurlencode( $value );
		}
		$headers = array( 'X-Cartback-Test-Spy' => $label );
		if ( $pairs ) {
			$headers['Cookie'] = implode( '; ', $pairs );
		}
		if ( null !== $json ) {
			$headers['Content-Type'] = 'application/json';
		}
		$start    = microtime( true );
		$response = wp_remote_request(
			$url,
			array(
				'method'      => $method,
				'headers'     => $headers,
				'body'        => null === $json ? null : wp_json_encode( $json ),
				'timeout'     => 30,
				'redirection' => 0,
			)
		);
		$seconds = microtime( true ) - $start;
		$this->assertNotWPError( $response );
		foreach ( wp_remote_retrieve_cookies( $response ) as $cookie ) {
			$this->cookies[ $cookie->name ] = $cookie->value;
		}
		return array(
			'status'  => (int) wp_remote_retrieve_response_code( $response ),
			'data'    => json_decode( (string) wp_remote_retrieve_body( $response ), true ),
			'seconds' => $seconds,
		);
	}

	/** @param mixed $value A value that must not be a WP_Error. */
	private function assertNotWPError( $value ): void {
		$this->assertFalse( is_wp_error( $value ), is_wp_error( $value ) ? $value->get_error_message() : '' );
	}

	/**
	 * Waits until the sidecar's database has the order, and says when (microtime), or null.
	 *
	 * @param int   $order_id Order id.
	 * @param float $limit    Seconds to wait at most.
	 */
	private function wait_for_order_in_sidecar( int $order_id, float $limit ): ?float {
		$deadline = microtime( true ) + $limit;
		while ( microtime( true ) < $deadline ) {
			if ( self::$sidecar->query( 'SELECT order_id FROM orders WHERE order_id = ' . $order_id . " AND status = 'processing'" ) ) {
				return microtime( true );
			}
			usleep( 20000 );
		}
		return null;
	}

	/** The shopper puts the kurta in the cart (a storefront page with ?add-to-cart). */
	private function fill_cart( string $label ): void {
		$page = $this->browse( 'GET', home_url( '/?add-to-cart=42' ), $label );
		$this->assertSame( 200, $page['status'] );
		$this->assertNotEmpty( $this->cookies, 'the shopper has a WooCommerce session' );
	}

	public function test_an_order_placed_on_an_idle_store_is_in_the_sidecar_within_seconds_and_the_shopper_never_waits_on_the_network(): void {
		$this->fill_cart( 'cart' );
		$this->assertSame( 1, Outbox::counts()['pending'], 'a cart change is not urgent: it waits for the background job' );
		$this->assertSame( array(), Cartback_Test_Site::http_calls( 'cart' ), 'and the cart request sent nothing' );

		$placed = microtime( true );
		$order  = $this->browse(
			'POST',
			rest_url( 'wc/store/v1/checkout' ),
			'order',
			array(
				'billing_address' => array( 'first_name' => 'Anna', 'email' => 'anna@example.com', 'phone' => '098123 45678', 'country' => 'IN' ),
				'payment_method'  => 'cod',
			)
		);
		$this->assertSame( 200, $order['status'], wp_json_encode( $order['data'] ) );
		$this->assertSame( 'processing', $order['data']['status'] );

		$arrived = $this->wait_for_order_in_sidecar( (int) $order['data']['order_id'], 10 );
		$this->assertNotNull( $arrived, 'the order reached the sidecar without any cron run' );
		$latency = $arrived - $placed;
		fwrite( STDERR, sprintf( "\n  order placed → fact in the sidecar: %.0f ms (the checkout request itself: %.0f ms)\n", $latency * 1000, $order['seconds'] * 1000 ) );
		$this->assertLessThan( 3.0, $latency, 'within seconds' );

		$calls = Cartback_Test_Site::http_calls( 'order' );
		$this->assertSame( array(), array_values( array_filter( array_column( $calls, 'blocking' ) ) ), 'the shopper\'s request made no blocking HTTP call' );
		$this->assertCount( 1, $calls, 'one loopback' );
		$this->assertSame( 'POST', $calls[0]['method'] );
		$this->assertStringContainsString( 'cartback/v1/sidecar/deliver', rawurldecode( $calls[0]['url'] ) );

		$types = array_column( self::$sidecar->query( 'SELECT type FROM inbound_events' ), 'type' );
		$this->assertContains( 'cart.updated', $types, 'what waited in the outbox went along' );
		$this->assertContains( 'order.paid', $types );
		// The delivery marks its rows delivered once the sidecar has answered: wait for that.
		$deadline = microtime( true ) + 5;
		while ( Outbox::counts()['pending'] > 0 && microtime( true ) < $deadline ) {
			usleep( 20000 );
		}
		$this->assertSame( 0, Outbox::counts()['pending'], 'every event of the checkout went, none left waiting for WP-Cron' );
	}

	public function test_nothing_is_sent_while_the_plugin_is_not_connected(): void {
		delete_option( Settings::CONNECTION_OPTION );
		$this->fill_cart( 'cart-unconnected' );
		$order = $this->browse( 'POST', rest_url( 'wc/store/v1/checkout' ), 'order-unconnected', array( 'billing_address' => array( 'email' => 'anna@example.com', 'country' => 'IN' ), 'payment_method' => 'cod' ) );
		$this->assertSame( 200, $order['status'] );
		$this->assertSame( array(), Cartback_Test_Site::http_calls( 'order-unconnected' ) );
		fwrite( STDERR, sprintf( "\n  unconnected checkout: %.0f ms\n", $order['seconds'] * 1000 ) );
		$this->assertGreaterThan( 0, Outbox::counts()['pending'], 'kept for when it is connected' );
	}

	/** @return array<string, array{0: bool, 1: bool, 2: bool, 3: bool, 4: string}> */
	public function modes(): array {
		return array(
			'nothing urgent'                 => array( false, true, false, true, 'none' ),
			'not connected'                  => array( true, false, false, true, 'none' ),
			'PHP-FPM: answer, then deliver'  => array( true, true, false, true, 'finish_then_inline' ),
			'mod_php, php -S: loopback'      => array( true, true, false, false, 'loopback' ),
			'WP-CLI or cron: deliver inline' => array( true, true, true, false, 'inline' ),
			'cron under FPM: inline'         => array( true, true, true, true, 'inline' ),
		);
	}

	/**
	 * @dataProvider modes
	 */
	public function test_how_an_urgent_fact_is_delivered_depends_on_who_waits_for_the_request( bool $urgent, bool $connected, bool $unattended, bool $can_finish, string $mode ): void {
		$this->assertSame( $mode, Urgent_Delivery::mode( $urgent, $connected, $unattended, $can_finish ) );
	}
}
