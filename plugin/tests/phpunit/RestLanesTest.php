<?php
/**
 * The lane proxy over all four lanes, against a real sidecar: each lane read and saved through
 * the plugin, the sidecar's refusals (payment reminders made marketing or given a coupon, a
 * win-back offering four products) passed back naming the field with nothing stored, an unknown
 * lane a 404 that says which lanes there are, and the capability and nonce checks as for every
 * admin route.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/../support/class-rest-helpers.php';
require_once __DIR__ . '/trait-rest-sidecar-fixture.php';

use Cartback\Rest_Lanes;
use Cartback_Rest_Helpers as Rest;

/** Rest_Lanes over the four lanes. */
final class RestLanesTest extends Cartback_Test_Case {
	use Cartback_Rest_Sidecar_Fixture;

	/** A lane's settings as the sidecar holds them (a signed GET, straight to the sidecar). */
	private function stored( string $lane ): array {
		$path    = '/v1/admin/lanes/' . $lane;
		$headers = \Cartback\Signer::headers( Cartback_Sidecar::SECRET, 'GET', $path, '' );
		$reply   = Rest::http( 'GET', self::$sidecar->url . $path, array(), $headers );
		$this->assertSame( 200, $reply['status'], $reply['body'] );
		return $reply['data']['settings'];
	}

	public function test_the_four_lanes_are_listed_in_order_of_precedence_and_the_screen_is_told(): void {
		$this->assertSame( array( 'payment_recovery', 'abandoned_cart', 'browse_abandonment', 'winback' ), Rest_Lanes::LANES );
		Rest::become( 'admin' );
		$this->assertSame( Rest_Lanes::LANES, Rest::call( 'GET', '/cartback/v1/settings' )['data']['lanes'] );
	}

	public function test_each_lane_is_read_and_saved_through_the_plugin_with_its_own_fields(): void {
		Rest::become( 'admin' );
		self::$sidecar->connect_plugin();
		$changes = array(
			'payment_recovery'   => array( 'holdout_percent' => 5 ),
			'abandoned_cart'     => array( 'holdout_percent' => 12.5 ),
			'browse_abandonment' => array( 'repeat_after' => 'P14D' ),
			'winback'            => array(
				'lapse_after'  => 'P90D',
				'max_products' => 2,
			),
		);
		foreach ( $changes as $lane => $change ) {
			$read = Rest::call( 'GET', '/cartback/v1/lanes/' . $lane );
			$this->assertSame( 200, $read['status'], $lane . ': ' . $read['json'] );
			$this->assertSame( $lane, $read['data']['lane'] );
			$this->assertSame( 'no-store', $read['headers']['Cache-Control'] );
			$this->assertSame( 'abandoned_cart' === $lane, $read['data']['settings']['enabled'], 'only the cart lane starts on' );

			$saved = Rest::call( 'PUT', '/cartback/v1/lanes/' . $lane, array_merge( $read['data']['settings'], $change ) );
			$this->assertSame( 200, $saved['status'], $lane . ': ' . $saved['json'] );
			$stored = $this->stored( $lane );
			foreach ( $change as $field => $value ) {
				$this->assertSame( $value, $stored[ $field ], "$lane.$field stored in the sidecar" );
			}
		}
		$this->assertSame( 10, $this->stored( 'winback' )['holdout_percent'], 'a lane keeps what was not changed in it' );
	}

	public function test_the_sidecars_refusals_of_a_lane_come_back_naming_the_field_and_nothing_is_stored(): void {
		Rest::become( 'admin' );
		self::$sidecar->connect_plugin();
		$payment = Rest::call( 'GET', '/cartback/v1/lanes/payment_recovery' )['data']['settings'];

		$marketing = Rest::call( 'PUT', '/cartback/v1/lanes/payment_recovery', array_merge( $payment, array( 'category' => 'marketing' ) ) );
		$this->assertSame( 400, $marketing['status'], $marketing['json'] );
		$this->assertSame( 'category', $marketing['data']['error']['path'] );
		$this->assertStringContainsString( 'utility', $marketing['data']['error']['message'] );

		$coupon = $payment;
		$coupon['steps'][0]['parameters']['body'][] = 'coupon_code';
		$incentive = Rest::call( 'PUT', '/cartback/v1/lanes/payment_recovery', $coupon );
		$this->assertSame( 400, $incentive['status'], $incentive['json'] );
		$this->assertStringStartsWith( 'steps[0].parameters.body', $incentive['data']['error']['path'] );
		$this->assertStringContainsString( 'never promotional', $incentive['data']['error']['message'] );
		$this->assertSame( $payment, $this->stored( 'payment_recovery' ), 'nothing stored' );

		$winback = Rest::call( 'GET', '/cartback/v1/lanes/winback' )['data']['settings'];
		$four    = Rest::call( 'PUT', '/cartback/v1/lanes/winback', array_merge( $winback, array( 'max_products' => 4 ) ) );
		$this->assertSame( 400, $four['status'] );
		$this->assertSame( 'max_products', $four['data']['error']['path'] );
		$this->assertSame( 3, $this->stored( 'winback' )['max_products'] );

		// A lane's own field in another lane is refused too, naming it.
		$cart  = Rest::call( 'GET', '/cartback/v1/lanes/abandoned_cart' )['data']['settings'];
		$alien = Rest::call( 'PUT', '/cartback/v1/lanes/abandoned_cart', array_merge( $cart, array( 'repeat_after' => 'P7D' ) ) );
		$this->assertSame( 400, $alien['status'] );
		$this->assertSame( 'repeat_after', $alien['data']['error']['path'] );
	}

	public function test_an_unknown_lane_is_a_404_that_says_which_lanes_there_are_and_asks_nothing_of_the_sidecar(): void {
		Rest::become( 'admin' );
		// Not connected: a known lane would be a 503 (the sidecar cannot be asked); an unknown
		// one is refused before any sidecar is asked.
		$this->assertSame( 503, Rest::call( 'GET', '/cartback/v1/lanes/winback' )['status'] );
		foreach ( array( 'GET', 'PUT' ) as $method ) {
			$reply = Rest::call( $method, '/cartback/v1/lanes/flash_sale', 'PUT' === $method ? array( 'enabled' => true ) : null );
			$this->assertSame( 404, $reply['status'], $method );
			$this->assertSame( 'unknown_lane', $reply['data']['error']['code'] );
			$this->assertSame( 'There is no lane "flash_sale". The lanes are: payment_recovery, abandoned_cart, browse_abandonment, winback.', $reply['data']['error']['message'] );
		}
		self::$sidecar->connect_plugin();
		$this->assertSame( 404, Rest::call( 'GET', '/cartback/v1/lanes/Abandoned_Cart' )['status'], 'names are exact' );
	}

	public function test_every_lane_needs_manage_woocommerce_and_over_http_the_rest_nonce(): void {
		Cartback_Test_Site::serve();
		self::$sidecar->connect_plugin();

		Rest::become( 'subscriber' );
		foreach ( array_merge( Rest_Lanes::LANES, array( 'flash_sale' ) ) as $lane ) {
			$this->assertSame( 403, Rest::call( 'GET', '/cartback/v1/lanes/' . $lane )['status'], $lane );
		}
		wp_set_current_user( 0 );
		$this->assertSame( 401, Rest::call( 'GET', '/cartback/v1/lanes/winback' )['status'] );

		$session = Rest::browser_session( 'admin' );
		$url     = rest_url( 'cartback/v1/lanes/winback' );
		$json    = array( 'Content-Type' => 'application/json' );
		$winback = Rest::http( 'GET', $url, $session['cookies'], array( 'X-WP-Nonce' => $session['nonce'] ) );
		$this->assertSame( 200, $winback['status'], $winback['body'] );
		$body = (string) wp_json_encode( array_merge( $winback['data']['settings'], array( 'enabled' => true ) ) );

		$forged = Rest::http( 'PUT', $url, $session['cookies'], $json, $body );
		$this->assertSame( 401, $forged['status'], 'a cross-site PUT without the nonce changes nothing' );
		$this->assertFalse( $this->stored( 'winback' )['enabled'] );

		$saved = Rest::http( 'PUT', $url, $session['cookies'], $json + array( 'X-WP-Nonce' => $session['nonce'] ), $body );
		$this->assertSame( 200, $saved['status'], $saved['body'] );
		$this->assertTrue( $this->stored( 'winback' )['enabled'] );
	}
}
