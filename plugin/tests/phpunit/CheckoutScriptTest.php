<?php
/**
 * The classic checkout's script in a real browser (Debian's Chromium): what the shopper types is
 * posted after a pause, the tick at once, and the site records contact and consent from them.
 *
 * @package Cartback\Tests
 */

use Cartback\Capture_Checkout;

/** assets/js/checkout-classic.js, end to end. */
final class CheckoutScriptTest extends Cartback_Test_Case {
	public function test_typing_and_ticking_on_the_classic_checkout_reach_the_server_debounced_and_at_once(): void {
		$this->assertTrue( is_executable( '/usr/bin/chromium' ), "Debian's Chromium is required (.ci/run installs it: apt-get install chromium)" );
		$site   = Cartback_Test_Site::serve();
		$config = Capture_Checkout::script_config( 'classic' );
		$proc   = proc_open(
			array( 'node', __DIR__ . '/checkout-classic.browser.js', $site, wp_json_encode( $config ) ),
			array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ),
			$pipes,
			dirname( __DIR__, 3 )
		);
		$out    = stream_get_contents( $pipes[1] );
		$err    = stream_get_contents( $pipes[2] );
		$this->assertSame( 0, proc_close( $proc ), $err );
		$run   = json_decode( $out, true );
		$posts = $run['posts'];

		// 67 keystrokes and two boxes: a post after each pause and one for the opt-in, not one per key.
		$this->assertGreaterThanOrEqual( 4, count( $posts ), $out );
		$this->assertLessThanOrEqual( 8, count( $posts ), $out );
		$this->assertSame( array( 200 ), array_values( array_unique( array_column( $posts, 'status' ) ) ) );
		$before_tick = array_values(
			array_filter(
				$posts,
				static function ( $post ) use ( $run ) {
					return $post['at'] < $run['tickAt'];
				}
			)
		);
		$billing = array(
			'first_name' => 'Anna',
			'last_name'  => 'Sharma',
			'company'    => '',
			'address_1'  => '12 MG Road',
			'address_2'  => '',
			'city'       => '',
			'state'      => '',
			'postcode'   => '',
			'country'    => 'IN',
			'phone'      => '98123 45678',
		);
		$this->assertSame(
			array(
				'phone'      => '98123 45678',
				'email'      => '',
				'first_name' => 'Anna',
				'last_name'  => 'Sharma',
				'country'    => 'IN',
				'billing'    => $billing,
				'shipping'   => $billing,
				'checkout'   => 'classic',
				'optin'      => false,
			),
			end( $before_tick )['body'],
			'what was typed before the pause: the goods go to the billing address'
		);
		$tick = $posts[ count( $before_tick ) ];
		$this->assertTrue( $tick['body']['optin'] );
		// At once, not after the debounce: the shopper starts typing the email 300 ms after the tick,
		// half the debounce; a tick that waited would carry it. (No clock: a busy machine is slow.)
		$this->assertSame( '', $tick['body']['email'], 'the tick is posted at once, not after the debounce' );
		$last = end( $posts )['body'];
		$this->assertSame( 'anna@example.com', $last['email'] );
		$this->assertSame( $billing, $last['billing'] );
		$this->assertSame(
			array( 'first_name' => 'Ravi', 'last_name' => '', 'company' => '', 'address_1' => '1 Residency Road', 'address_2' => '', 'city' => '', 'state' => '', 'postcode' => '', 'country' => 'IN' ),
			$last['shipping'],
			'once "Ship to a different address?" is ticked, the shipping form'
		);
		$captured = $this->queued( 'checkout.contact_captured' );
		$this->assertSame( '1 Residency Road', end( $captured )['data']['shipping']['address_1'] );
		$this->assertSame( '+919812345678', end( $captured )['data']['billing']['phone'] );

		// Each HTTP request gets a fresh session from the WooCommerce double (no session cookie), so
		// every post with the box ticked grants again here; one session's deduplication is covered
		// in process (ConsentTest, CheckoutContactTest).
		$this->assertCount( 2 * count( array_filter( array_column( array_column( $posts, 'body' ), 'optin' ) ) ), $this->queued( 'consent.granted' ) );
		$this->assertSame( 'checkout_classic', $this->queued( 'consent.granted' )[0]['data']['source'] );
		$this->assertSame( '+919812345678', $this->queued( 'consent.granted' )[0]['data']['phone'] );
		$this->assertNotEmpty( $this->queued( 'checkout.contact_captured' ) );
		$this->assertValidEvents( $this->queued() );
	}
}
