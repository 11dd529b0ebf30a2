<?php
/**
 * The discount-budget proxy (`/cartback/v1/incentives`) against a fake sidecar answering in
 * process (the sidecar's `/v1/admin/incentives` comes with its coupon engine): read and saved
 * through the plugin, signed; the sidecar's 400 `{error, message, field}` passed back in the shape
 * the screen reads (`{error: {code, message, path}}`); a body that is not a JSON object refused
 * before the sidecar is asked; manage_woocommerce as for every admin route.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/../support/class-rest-helpers.php';

use Cartback\Settings;
use Cartback_Rest_Helpers as Rest;

/** Rest_Incentives. */
final class RestIncentivesTest extends Cartback_Test_Case {
	/** @var string The fake sidecar's base URL (nothing listens there: answered on pre_http_request). */
	private $url;

	/** @var int The budget it holds, minor units. */
	private $budget = 0;

	/** @var array<int, array{method: string, path: string, body: string, signed: bool}> */
	private $calls = array();

	/** @var bool A sidecar from before discounts: no such route. */
	private $old = false;

	/** @var callable */
	private $filter;

	protected function setUp(): void {
		parent::setUp();
		delete_option( Settings::CONNECTION_OPTION );
		$this->url    = 'http://127.0.0.1:' . Cartback_Test_Site::free_port();
		$this->filter = function ( $pre, $args, $url ) {
			return 0 === strpos( $url, $this->url . '/' ) ? $this->answer( $args, substr( $url, strlen( $this->url ) ) ) : $pre;
		};
		add_filter( 'pre_http_request', $this->filter, 10, 3 );
	}

	protected function tearDown(): void {
		remove_filter( 'pre_http_request', $this->filter, 10 );
		wp_set_current_user( 0 );
		delete_option( Settings::CONNECTION_OPTION );
		parent::tearDown();
	}

	/** The sidecar's side of `/v1/admin/incentives`, as its contract defines it. */
	private function answer( array $args, string $path ) {
		$method        = strtoupper( $args['method'] ?? 'GET' );
		$raw           = (string) ( $args['body'] ?? '' );
		$headers       = $args['headers'] ?? array();
		$signed        = null === \Cartback\Signer::verify( Cartback_Sidecar::SECRET, $headers['X-Cartback-Timestamp'] ?? null, $headers['X-Cartback-Signature'] ?? null, $method, $path, $raw, time() );
		$this->calls[] = compact( 'method', 'path', 'signed' ) + array( 'body' => $raw );
		if ( '/v1/admin/incentives' !== $path ) {
			return new WP_Error( 'http_request_failed', 'cURL error 7: Failed to connect' );
		}
		if ( $this->old ) {
			return $this->reply( 404, array( 'error' => array( 'code' => 'not_found', 'message' => "No route for $method $path" ) ) );
		}
		if ( ! $signed ) {
			return $this->reply( 401, array( 'error' => array( 'code' => 'unauthorized', 'message' => 'Invalid signature' ) ) );
		}
		if ( 'PUT' === $method ) {
			$body = json_decode( $raw, true );
			$next = $body['monthly_budget'] ?? null;
			if ( ! is_int( $next ) || $next < 0 ) {
				return $this->reply(
					400,
					array(
						'error'   => 'invalid_budget',
						'message' => 'monthly_budget must be a whole number of minor units, 0 or more',
						'field'   => 'monthly_budget',
					)
				);
			}
			$this->budget = $next;
		}
		return $this->reply(
			200,
			array(
				'monthly_budget' => $this->budget,
				'currency'       => 'INR',
				'month'          => gmdate( 'Y-m' ),
				'committed'      => 25000,
				'redeemed'       => 10000,
				'remaining'      => max( 0, $this->budget - 25000 ),
			)
		);
	}

	private function reply( int $status, array $body ): array {
		return array(
			'headers'  => array( 'content-type' => 'application/json' ),
			'body'     => wp_json_encode( $body ),
			'response' => array( 'code' => $status, 'message' => '' ),
			'cookies'  => array(),
			'filename' => null,
		);
	}

	public function test_the_budget_is_read_and_saved_through_the_plugin_signed(): void {
		Rest::become( 'admin' );
		Settings::save_connection( $this->url, Cartback_Sidecar::SECRET );

		$read = Rest::call( 'GET', '/cartback/v1/incentives' );
		$this->assertSame( 200, $read['status'], $read['json'] );
		$this->assertSame( 0, $read['data']['monthly_budget'], 'no coupons until a budget is set' );
		$this->assertSame( 'no-store', $read['headers']['Cache-Control'] );

		$saved = Rest::call( 'PUT', '/cartback/v1/incentives', array( 'monthly_budget' => 500000 ) );
		$this->assertSame( 200, $saved['status'], $saved['json'] );
		$this->assertSame( array( 500000, 475000 ), array( $saved['data']['monthly_budget'], $saved['data']['remaining'] ) );
		$this->assertSame( 500000, $this->budget );
		$this->assertSame( array( true, true ), array_column( $this->calls, 'signed' ) );
		$this->assertSame( '{"monthly_budget":500000}', end( $this->calls )['body'], 'passed on as sent' );

		$this->assertSame( 'INR', Rest::call( 'GET', '/cartback/v1/settings' )['data']['currency']['code'] ?? null );
	}

	public function test_the_sidecars_refusal_comes_back_naming_the_field_and_a_non_object_is_refused_first(): void {
		Rest::become( 'admin' );
		Settings::save_connection( $this->url, Cartback_Sidecar::SECRET );

		$refused = Rest::call( 'PUT', '/cartback/v1/incentives', array( 'monthly_budget' => -1 ) );
		$this->assertSame( 400, $refused['status'], $refused['json'] );
		$this->assertSame(
			array(
				'code'    => 'invalid_budget',
				'message' => 'monthly_budget must be a whole number of minor units, 0 or more',
				'path'    => 'monthly_budget',
			),
			$refused['data']['error']
		);
		$this->assertSame( 0, $this->budget );

		$asked = count( $this->calls );
		$list  = Rest::call( 'PUT', '/cartback/v1/incentives', array( 5 ) );
		$this->assertSame( 400, $list['status'] );
		$this->assertSame( 'monthly_budget', $list['data']['error']['path'] );
		$this->assertCount( $asked, $this->calls, 'the sidecar was not asked' );
	}

	public function test_a_sidecar_from_before_discounts_reads_as_not_available(): void {
		Rest::become( 'admin' );
		Settings::save_connection( $this->url, Cartback_Sidecar::SECRET );
		$this->old = true;

		$read = Rest::call( 'GET', '/cartback/v1/incentives' );
		$this->assertSame( 200, $read['status'], $read['json'] );
		$this->assertSame( array( 'available' => false ), $read['data'] );
		$this->assertSame( 404, Rest::call( 'PUT', '/cartback/v1/incentives', array( 'monthly_budget' => 100 ) )['status'] );
	}

	public function test_not_connected_is_a_503_in_words_and_the_routes_need_manage_woocommerce(): void {
		Rest::become( 'admin' );
		$reply = Rest::call( 'GET', '/cartback/v1/incentives' );
		$this->assertSame( 503, $reply['status'] );
		$this->assertNotSame( '', $reply['data']['error']['message'] );

		Settings::save_connection( $this->url, Cartback_Sidecar::SECRET );
		Rest::become( 'subscriber' );
		$this->assertSame( 403, Rest::call( 'GET', '/cartback/v1/incentives' )['status'] );
		$this->assertSame( 403, Rest::call( 'PUT', '/cartback/v1/incentives', array( 'monthly_budget' => 100 ) )['status'] );
		wp_set_current_user( 0 );
		$this->assertSame( 401, Rest::call( 'GET', '/cartback/v1/incentives' )['status'] );
		$this->assertSame( 0, $this->budget );
	}
}
