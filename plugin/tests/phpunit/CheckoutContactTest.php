<?php
/**
 * checkout.contact_captured from the blocks checkout (Store API customer update) and the classic
 * checkout (its script's posts to /cartback/v1/checkout/contact, over real HTTP), the endpoint's
 * nonce and validation, and where the scripts are loaded.
 *
 * @package Cartback\Tests
 */

use Cartback\Capture_Checkout;
use Cartback\Consent;
use Cartback\Settings;

/** Checkout contact capture. */
final class CheckoutContactTest extends Cartback_Test_Case {
	protected function tearDown(): void {
		unset( $GLOBALS['wc_test_double_page'], $GLOBALS['wc_test_double_endpoint'], $GLOBALS['post'] );
		WC()->version = '10.3.0-test-double';
		$GLOBALS['wp_scripts'] = null;
		parent::tearDown();
	}

	public function test_the_blocks_checkout_address_update_emits_contact_captured_once_per_change(): void {
		$this->store_api_update_customer( array( 'phone' => '098123 45678', 'email' => 'Anna@Example.com', 'first_name' => 'Anna', 'country' => 'IN' ) );
		$this->store_api_update_customer( array( 'phone' => '098123 45678', 'email' => 'Anna@Example.com', 'first_name' => 'Anna', 'country' => 'IN' ) );

		$captured = $this->queued( 'checkout.contact_captured' );
		$this->assertCount( 1, $captured, 'the same contact twice is sent once' );
		$data = $captured[0]['data'];
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $data['cart_key'] );
		$this->assertSame( WC()->session->get( 'cartback_cart_key' ), $data['cart_key'], 'the cart key Capture_Cart shares through the session' );
		$this->assertSame( '+919812345678', $data['phone'] );
		$this->assertSame( 'anna@example.com', $data['email'] );
		$this->assertSame( 'Anna', $data['first_name'] );
		$this->assertSame( 'IN', $data['country'] );
		$this->assertMatchesFixtureShape( $captured[0] );
		$this->assertValidEvents( $captured );

		$this->store_api_update_customer( array( 'first_name' => 'Annika' ) );
		$this->assertCount( 2, $this->queued( 'checkout.contact_captured' ), 'a change is sent' );
	}

	public function test_the_blocks_checkout_sends_both_addresses_as_typed_within_the_schemas_bounds(): void {
		$shipping = array(
			'first_name' => 'Anna',
			'last_name'  => 'Sharma',
			'company'    => '',
			'address_1'  => '12 MG Road',
			'address_2'  => str_repeat( 'x', 300 ),
			'city'       => 'Bengaluru',
			'state'      => 'KA',
			'postcode'   => '560001',
			'country'    => 'IN',
			'phone'      => '098123 45678',
		);
		$billing  = array_merge( $shipping, array( 'email' => 'anna@example.com', 'address_2' => '' ) );
		$this->store_api_update_customer( $billing, $shipping );

		$captured = $this->queued( 'checkout.contact_captured' );
		$this->assertCount( 1, $captured );
		$data     = $captured[0]['data'];
		$expected = array(
			'first_name' => 'Anna',
			'last_name'  => 'Sharma',
			'address_1'  => '12 MG Road',
			'city'       => 'Bengaluru',
			'state'      => 'KA',
			'postcode'   => '560001',
			'country'    => 'IN',
			'phone'      => '+919812345678',
		);
		$this->assertSame( $expected, $data['billing'], 'what was typed; empty fields left out; the phone in E.164' );
		$this->assertSame( str_repeat( 'x', 200 ), $data['shipping']['address_2'], 'an overlong field is cut to its bound' );
		unset( $data['shipping']['address_2'] );
		$this->assertSame( $expected, $data['shipping'] );
		$this->assertSame( 'Sharma', $data['last_name'] );
		$this->assertSame( '+919812345678', $data['phone'] );
		$this->assertMatchesFixtureShape( $captured[0] );
		$this->assertValidEvents( $captured );

		$this->store_api_update_customer( $billing, $shipping );
		$this->assertCount( 1, $this->queued( 'checkout.contact_captured' ), 'the same addresses twice are sent once' );
		$this->store_api_update_customer( $billing, array_merge( $shipping, array( 'address_1' => '1 Residency Road' ) ) );
		$this->assertSame( '1 Residency Road', $this->queued( 'checkout.contact_captured' )[1]['data']['shipping']['address_1'], 'a changed address is sent' );
	}

	public function test_the_classic_script_post_carries_the_addresses_and_each_bad_address_field_is_named_in_a_400(): void {
		$nonce   = wp_create_nonce( Capture_Checkout::NONCE_ACTION );
		$billing = array( 'first_name' => 'Anna', 'last_name' => 'Sharma', 'address_1' => '12 MG Road', 'city' => 'Bengaluru', 'postcode' => '560001', 'country' => 'in', 'phone' => '98123 45678' );
		$cases   = array(
			'last_name'         => array( 'last_name' => str_repeat( 'S', 101 ) ),
			'billing'           => array( 'billing' => 'Bengaluru' ),
			'shipping'          => array( 'shipping' => array( 'Bengaluru' ) ),
			'billing.city'      => array( 'billing' => array( 'city' => 560001 ) ),
			'billing.postcode'  => array( 'billing' => array( 'postcode' => str_repeat( '5', 21 ) ) ),
			'shipping.country'  => array( 'shipping' => array( 'country' => 'India' ) ),
			'shipping.phone'    => array( 'shipping' => array( 'phone' => 'call me' ) ),
			'shipping.address_1' => array( 'shipping' => array( 'address_1' => str_repeat( 'a', 201 ) ) ),
		);
		foreach ( $cases as $field => $body ) {
			$response = $this->rest_contact( array_merge( array( 'phone' => '+919812345678', 'optin' => true ), $body ), $nonce );
			$this->assertSame( 400, $response->get_status(), $field );
			$this->assertSame( $field, $response->get_data()['data']['field'] ?? $response->as_error()->get_error_data()['field'] );
		}
		$this->assertSame( array(), $this->queued(), 'a refused post changes nothing, the tick included' );

		$response = $this->rest_contact( array( 'phone' => '98123 45678', 'last_name' => 'Sharma', 'billing' => $billing, 'shipping' => $billing + array( 'note' => 'ignored' ) ), $nonce );
		$this->assertSame( 200, $response->get_status() );
		$data = $this->queued( 'checkout.contact_captured' )[0]['data'];
		$this->assertSame( array_merge( $billing, array( 'country' => 'IN', 'phone' => '+919812345678' ) ), $data['billing'] );
		$this->assertSame( $data['billing'], $data['shipping'] );
		$this->assertSame( 'Sharma', $data['last_name'] );
		$this->assertValidEvents( $this->queued() );
	}

	public function test_an_existing_cart_key_in_the_session_is_used_and_nothing_goes_out_without_a_phone_or_email(): void {
		WC()->session->set( 'cartback_cart_key', 'c7d1f2e0a9b84c3d8e6f5a4b3c2d1e0f' );
		$this->store_api_update_customer( array( 'first_name' => 'Anna', 'country' => 'IN' ) );
		$this->assertSame( array(), $this->queued() );

		$this->store_api_update_customer( array( 'email' => 'anna@example.com' ) );
		$this->assertSame( 'c7d1f2e0a9b84c3d8e6f5a4b3c2d1e0f', $this->queued( 'checkout.contact_captured' )[0]['data']['cart_key'] );
	}

	public function test_the_classic_checkout_script_post_over_http_captures_the_contact_and_the_tick(): void {
		$response = $this->post_contact(
			array(
				'phone'      => '098123 45678',
				'email'      => 'anna@example.com',
				'first_name' => 'Anna',
				'country'    => 'IN',
				'optin'      => true,
				'checkout'   => 'classic',
			),
			wp_create_nonce( Capture_Checkout::NONCE_ACTION )
		);
		$this->assertSame( 200, $response['status'], $response['body'] );

		$captured = $this->queued( 'checkout.contact_captured' );
		$this->assertCount( 1, $captured );
		$this->assertSame( '+919812345678', $captured[0]['data']['phone'] );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $captured[0]['data']['cart_key'] );

		$granted = $this->queued( 'consent.granted' );
		$this->assertCount( 2, $granted );
		$consent = Settings::consent();
		foreach ( $granted as $event ) {
			$this->assertSame( 'checkout_classic', $event['data']['source'] );
			$this->assertSame( '+919812345678', $event['data']['phone'] );
			$this->assertSame( 'anna@example.com', $event['data']['email'] );
			$this->assertSame( $consent['text'], $event['data']['text'] );
			$this->assertSame( $consent['version'], $event['data']['text_version'] );
		}
		$this->assertValidEvents( array_merge( $captured, $granted ) );
	}

	public function test_a_bad_or_missing_nonce_is_refused_with_403_and_nothing_is_queued(): void {
		$body = array(
			'phone' => '+919812345678',
			'optin' => true,
		);
		foreach ( array( 'not-a-nonce', '' ) as $nonce ) {
			$response = $this->post_contact( $body, $nonce );
			$this->assertSame( 403, $response['status'], $response['body'] );
			$this->assertSame( 'cartback_invalid_nonce', json_decode( $response['body'], true )['code'] );
		}
		$this->assertSame( array(), $this->queued() );
	}

	public function test_each_bad_field_is_refused_with_400_naming_it_and_nothing_is_queued(): void {
		$nonce = wp_create_nonce( Capture_Checkout::NONCE_ACTION );
		$cases = array(
			'email'      => array( 'email' => 'not-an-email' ),
			'phone'      => array( 'phone' => 'call me maybe' ),
			'country'    => array(
				'phone'   => '9812345678',
				'country' => 'IND',
			),
			'first_name' => array( 'first_name' => str_repeat( 'A', 101 ) ),
			'optin'      => array( 'optin' => 'maybe' ),
			'checkout'   => array( 'checkout' => 'express' ),
		);
		foreach ( $cases as $field => $body ) {
			$response = $this->post_contact( $body, $nonce );
			$this->assertSame( 400, $response['status'], $field . ': ' . $response['body'] );
			$error = json_decode( $response['body'], true );
			$this->assertSame( $field, $error['data']['field'] );
			$this->assertStringStartsWith( $field . ' ', $error['message'] );
		}
		$response = $this->post_contact( array( 'email' => array( 'a@example.com' ) ), $nonce );
		$this->assertSame( 400, $response['status'] );
		$this->assertSame( array(), $this->queued() );
	}

	public function test_posting_the_same_contact_and_box_twice_sends_them_once(): void {
		$nonce = wp_create_nonce( Capture_Checkout::NONCE_ACTION );
		$body  = array(
			'phone' => '+919812345678',
			'email' => 'anna@example.com',
			'optin' => true,
		);
		$this->assertSame( 200, $this->rest_contact( $body, $nonce )->get_status() );
		$this->assertSame( 200, $this->rest_contact( $body, $nonce )->get_status() );
		$this->assertCount( 1, $this->queued( 'checkout.contact_captured' ) );
		$this->assertCount( 2, $this->queued( 'consent.granted' ) );

		$body['optin'] = false;
		$this->rest_contact( $body, $nonce );
		$this->assertCount( 1, $this->queued( 'checkout.contact_captured' ), 'only the box changed' );
		$this->assertCount( 2, $this->queued( 'consent.withdrawn' ) );
	}

	public function test_a_tick_from_the_block_script_counts_as_the_blocks_checkout(): void {
		$this->rest_contact(
			array(
				'phone'    => '+919812345678',
				'optin'    => true,
				'checkout' => 'block',
			),
			wp_create_nonce( Capture_Checkout::NONCE_ACTION )
		);
		$this->assertSame( array( 'checkout_block', 'checkout_block' ), array_column( array_column( $this->queued( 'consent.granted' ), 'data' ), 'source' ) );
	}

	public function test_the_classic_script_loads_only_on_the_classic_checkout_with_a_working_nonce(): void {
		$this->assertFalse( $this->enqueued( 'cartback-checkout-classic' ), 'not on other pages' );

		$GLOBALS['wc_test_double_page'] = 'checkout';
		$this->assertTrue( $this->enqueued( 'cartback-checkout-classic' ) );
		$this->assertFalse( $this->enqueued( 'cartback-checkout-block' ) );
		$config = $this->localized( 'cartback-checkout-classic' );
		$this->assertSame( rest_url( 'cartback/v1/checkout/contact' ), $config['url'] );
		$this->assertSame( Consent::CLASSIC_FIELD, $config['field'] );
		$this->assertSame( 1, wp_verify_nonce( $config['nonce'], Capture_Checkout::NONCE_ACTION ) );
		$this->assertSame( 1, wp_verify_nonce( $config['restNonce'], 'wp_rest' ) );
		$this->assertStringNotContainsString( Cartback_Sidecar::SECRET, wp_json_encode( $config ) );

		$GLOBALS['wc_test_double_endpoint'] = 'order-received';
		$this->assertFalse( $this->enqueued( 'cartback-checkout-classic' ), 'not on the thank-you page' );
	}

	public function test_on_a_blocks_checkout_only_woocommerce_before_9_8_gets_the_box_script(): void {
		$GLOBALS['wc_test_double_page'] = 'checkout';
		$GLOBALS['post']                = get_post(
			wp_insert_post(
				array(
					'post_type'    => 'page',
					'post_status'  => 'publish',
					'post_title'   => 'Checkout',
					'post_content' => '<!-- wp:woocommerce/checkout --><div class="wp-block-woocommerce-checkout"></div><!-- /wp:woocommerce/checkout -->',
				)
			)
		);
		$this->assertFalse( $this->enqueued( 'cartback-checkout-classic' ) );
		$this->assertFalse( $this->enqueued( 'cartback-checkout-block' ), 'WooCommerce 9.8+ sends the box itself' );

		WC()->version = '9.7.4';
		$this->assertTrue( $this->enqueued( 'cartback-checkout-block' ) );
		$this->assertSame( 'block', $this->localized( 'cartback-checkout-block' )['checkout'] );
		$this->assertContains( 'wp-data', wp_scripts()->registered['cartback-checkout-block']->deps );
		wp_delete_post( $GLOBALS['post']->ID, true );
	}

	public function test_the_scripts_parse_and_woocommerce_loads_the_session_for_the_endpoint(): void {
		foreach ( array( 'checkout-classic.js', 'checkout-block.js' ) as $file ) {
			exec( 'node --check ' . escapeshellarg( CARTBACK_DIR . '/assets/js/' . $file ) . ' 2>&1', $output, $code );
			$this->assertSame( 0, $code, $file . ': ' . implode( "\n", $output ) );
		}
		$uri                    = $_SERVER['REQUEST_URI'];
		$_SERVER['REQUEST_URI'] = '/wp-json/cartback/v1/checkout/contact';
		$this->assertFalse( apply_filters( 'woocommerce_is_rest_api_request', true ) );
		$_SERVER['REQUEST_URI'] = '/wp-json/wc/v3/orders';
		$this->assertTrue( apply_filters( 'woocommerce_is_rest_api_request', true ) );
		$_SERVER['REQUEST_URI'] = $uri;
	}

	/**
	 * Store API cart/update-customer, in process.
	 *
	 * @param array      $billing  Billing address fields.
	 * @param array|null $shipping Shipping address fields (none: WooCommerce takes the billing ones).
	 */
	private function store_api_update_customer( array $billing, ?array $shipping = null ): void {
		$request = new WP_REST_Request( 'POST', '/wc/store/v1/cart/update-customer' );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( wp_json_encode( array_filter( array( 'billing_address' => $billing, 'shipping_address' => $shipping ) ) ) );
		$this->assertSame( 200, rest_do_request( $request )->get_status() );
	}

	/**
	 * The endpoint, in process (one WooCommerce session across calls).
	 *
	 * @param array  $body  JSON body.
	 * @param string $nonce X-Cartback-Nonce.
	 */
	private function rest_contact( array $body, string $nonce ): WP_REST_Response {
		$request = new WP_REST_Request( 'POST', '/cartback/v1/checkout/contact' );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_header( 'X-Cartback-Nonce', $nonce );
		$request->set_body( wp_json_encode( $body ) );
		return rest_do_request( $request );
	}

	/**
	 * The endpoint over HTTP, as the script calls it from a guest's browser.
	 *
	 * @param array  $body  JSON body.
	 * @param string $nonce X-Cartback-Nonce ('' for none).
	 * @return array{status: int, body: string}
	 */
	private function post_contact( array $body, string $nonce ): array {
		$url     = Cartback_Test_Site::serve() . '/?rest_route=/cartback/v1/checkout/contact';
		$headers = array( 'Content-Type: application/json', 'X-WP-Nonce: ' . wp_create_nonce( 'wp_rest' ) );
		if ( '' !== $nonce ) {
			$headers[] = 'X-Cartback-Nonce: ' . $nonce;
		}
		$context = stream_context_create(
			array(
				'http' => array(
					'method'        => 'POST',
					'header'        => implode( "\r\n", $headers ),
					'content'       => wp_json_encode( $body ),
					'ignore_errors' => true,
					'timeout'       => 20,
				),
			)
		);
		$text    = (string) file_get_contents( $url, false, $context );
		preg_match( '#^HTTP/\S+ (\d+)#', $http_response_header[0] ?? '', $m );
		return array(
			'status' => (int) ( $m[1] ?? 0 ),
			'body'   => $text,
		);
	}

	/**
	 * Runs wp_enqueue_scripts on a fresh script registry.
	 *
	 * @param string $handle Script handle.
	 */
	private function enqueued( string $handle ): bool {
		$GLOBALS['wp_scripts'] = null;
		do_action( 'wp_enqueue_scripts' );
		return wp_script_is( $handle, 'enqueued' );
	}

	/**
	 * The object wp_localize_script gave a script.
	 *
	 * @param string $handle Script handle.
	 */
	private function localized( string $handle ): array {
		$data = (string) wp_scripts()->get_data( $handle, 'data' );
		$this->assertSame( 1, preg_match( '/var cartbackCheckout = (\{.*\});/s', $data, $m ), $data );
		return json_decode( $m[1], true );
	}
}
