<?php
/**
 * The known-browser cookie: set only once the shopper has opted in, signed (a changed cookie ties
 * nothing), HttpOnly, SameSite=Lax, Secure on https; later product views from the browser carry
 * the contact's opaque reference; unticking deletes it, erasure makes it tie nothing; the
 * suggested privacy text says what it is. Restore links are in RestoreTest.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/trait-capture-helpers.php';

use Cartback\Consent;
use Cartback\Known_Browser;
use Cartback\Privacy;
use Cartback\Settings;

/** Known_Browser through the opt-in, product views and the eraser. */
final class KnownBrowserTest extends Cartback_Test_Case {
	use Capture_Test_Helpers;

	const COOKIE_FORMAT = '/^1\.([0-9a-f]{32})\.([0-9a-f]{64})$/';

	/** @var array<int, array{value: string, options: array}> Cookies the plugin set, oldest first. */
	private $cookies = array();

	/** @var callable */
	private $listener;

	/** @var mixed */
	private $connection;

	protected function setUp(): void {
		$this->end_previous_request();
		parent::setUp();
		$this->set_up_capture();
		$this->connection = get_option( Settings::CONNECTION_OPTION );
		delete_option( Settings::CONNECTION_OPTION ); // No sidecar: the eraser works locally.
		$this->cookies  = array();
		$this->listener = function ( $value, $options ) {
			$this->cookies[] = array(
				'value'   => $value,
				'options' => $options,
			);
		};
		add_action( 'cartback_known_browser_cookie', $this->listener, 10, 2 );
		$this->catalogue();
	}

	protected function tearDown(): void {
		remove_action( 'cartback_known_browser_cookie', $this->listener, 10 );
		update_option( Settings::CONNECTION_OPTION, $this->connection );
		unset( $_SERVER['HTTPS'] );
		$this->tear_down_capture();
		parent::tearDown();
	}

	public function test_ticking_the_box_makes_the_browser_known_and_its_later_views_carry_the_contact(): void {
		WC()->session->set_customer_session_cookie( true );
		$this->assertArrayNotHasKey( 'contact_ref', $this->view( 42 ), 'a browser the store has not met' );
		$this->update_customer( array( 'phone' => '098123 45678', 'email' => 'Anna@Example.com', 'country' => 'IN' ) );
		$this->assertSame( array(), $this->cookies, 'typing a phone is not consent: no cookie' );
		$this->put_checkout( array( Consent::FIELD_ID => false ) );
		$this->assertSame( array(), $this->cookies, 'an unticked box: no cookie' );

		$this->put_checkout( array( Consent::FIELD_ID => true ) );

		$this->assertCount( 1, $this->cookies );
		$cookie = $this->cookies[0];
		$this->assertMatchesRegularExpression( self::COOKIE_FORMAT, $cookie['value'] );
		$this->assertStringNotContainsString( '9812345678', $cookie['value'], 'an opaque reference, not the phone' );
		$this->assertTrue( $cookie['options']['httponly'] );
		$this->assertSame( 'Lax', $cookie['options']['samesite'] );
		$this->assertFalse( $cookie['options']['secure'], 'the test site is http' );
		$this->assertSame( '/', $cookie['options']['path'] );
		$this->assertEqualsWithDelta( time() + 365 * DAY_IN_SECONDS, $cookie['options']['expires'], 60 );
		$ref    = $this->ref_in( $cookie['value'] );
		$linked = $this->queued( 'browser.linked' );
		$this->assertCount( 1, $linked );
		$this->assertSame(
			array(
				'contact_ref' => $ref,
				'phone'       => '+919812345678',
				'email'       => 'anna@example.com',
				'via'         => 'consent',
			),
			$linked[0]['data']
		);
		$this->assertValidCaptured( $linked );

		$this->put_checkout( array( Consent::FIELD_ID => true ) );
		$this->assertCount( 1, $this->cookies, 'the same tick again: nothing new' );

		// Days later, the same browser with no WooCommerce session: its views are Anna's.
		$this->end_request();
		WC()->reset_shopper( 0 );
		$this->assertFalse( WC()->session->has_session() );
		$view = $this->view( 43 );
		$this->assertSame( $ref, $view['contact_ref'] );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $view['session_id'] );
		$this->assertNotSame( $ref, $view['session_id'] );
		$this->assertSame( $view['session_id'], $this->view( 42 )['session_id'], 'one session for the known browser' );
		$this->assertValidCaptured( $this->queued( 'product.viewed' ) );
	}

	public function test_a_classic_checkout_tick_sets_it_too_with_the_same_reference_for_the_same_contact(): void {
		$posted = array( 'billing_phone' => '98123 45678', 'billing_country' => 'IN', 'billing_email' => 'anna@example.com', Consent::CLASSIC_FIELD => 1 );
		$order  = new class() { // A stand-in for WC_Order: the one method this hook uses.
			public function update_meta_data( $key, $value ) {}
		};
		do_action( 'woocommerce_checkout_create_order', $order, $posted );
		$this->assertCount( 1, $this->cookies );
		$first = $this->ref_in( $this->cookies[0]['value'] );

		// Another browser (a new session, no cookie), the same phone: the same contact reference.
		unset( $_COOKIE[ Known_Browser::COOKIE ] );
		WC()->reset_shopper( 0 );
		do_action( 'woocommerce_checkout_create_order', $order, $posted );
		$this->assertCount( 2, $this->cookies );
		$this->assertSame( $first, $this->ref_in( $this->cookies[1]['value'] ) );
		$this->assertSame( array( 'consent', 'consent' ), array_column( array_column( $this->queued( 'browser.linked' ), 'data' ), 'via' ) );
	}

	public function test_a_changed_cookie_ties_nothing(): void {
		$value = $this->tick();
		list( , $ref, $signature ) = explode( '.', $value );
		$flip  = static function ( string $hex ): string {
			return substr( $hex, 0, -1 ) . ( '0' === substr( $hex, -1 ) ? '1' : '0' );
		};
		$signed = static function ( string $ref_to_sign ): string {
			$sign = new ReflectionMethod( Known_Browser::class, 'signature' );
			$sign->setAccessible( true );
			return '1.' . $ref_to_sign . '.' . $sign->invoke( null, $ref_to_sign );
		};
		$bad = array(
			'signature changed'                => "1.$ref." . $flip( $signature ),
			'reference changed'                => '1.' . $flip( $ref ) . ".$signature",
			'signed with another key'          => "1.$ref." . hash_hmac( 'sha256', "1.$ref", 'not this site' ),
			'another version'                  => "2.$ref.$signature",
			'upper-case hex'                   => '1.' . strtoupper( $ref ) . ".$signature",
			'the phone'                        => '+919812345678',
			'well signed, but no such contact' => $signed( str_repeat( 'ab', 16 ) ),
		);
		$this->assertSame( $ref, Known_Browser::verify( $value ), 'the untouched cookie verifies' );
		$this->end_request();
		foreach ( $bad as $case => $cookie ) {
			WC()->reset_shopper( 0 );
			$_COOKIE[ Known_Browser::COOKIE ] = $cookie;
			$this->assertNull( Known_Browser::contact_ref(), $case );
			$before = count( $this->queued( 'product.viewed' ) );
			wc_test_double_view_product( wc_get_product( 42 ) );
			$this->template_redirect();
			$this->assertCount( $before, $this->queued( 'product.viewed' ), "$case: no session and not known, so no view" );
			WC()->session->set_customer_session_cookie( true );
			$this->assertArrayNotHasKey( 'contact_ref', $this->view( 42 ), "$case: a view, but nobody's" );
		}
		$_COOKIE[ Known_Browser::COOKIE ] = $value;
		$this->assertSame( $ref, $this->view( 42 )['contact_ref'], 'the real one still works' );
	}

	public function test_unticking_the_box_deletes_the_cookie(): void {
		$this->tick();
		$this->put_checkout( array( Consent::FIELD_ID => false ) );

		$this->assertCount( 2, $this->cookies );
		$this->assertSame( '', $this->cookies[1]['value'] );
		$this->assertLessThan( time(), $this->cookies[1]['options']['expires'], 'expired: the browser deletes it' );
		$this->assertArrayNotHasKey( Known_Browser::COOKIE, $_COOKIE );
		$this->assertArrayNotHasKey( 'contact_ref', $this->view( 42 ) );
	}

	public function test_erasure_unlinks_the_reference_so_an_old_cookie_ties_views_to_nobody(): void {
		$old = $this->tick();
		$ref = $this->ref_in( $old );
		$this->assertSame( $ref, $this->view( 42 )['contact_ref'] );
		$known = array_values( wp_list_filter( Privacy::export( 'anna@example.com', 1 )['data'], array( 'group_id' => 'cartback-known-browser' ) ) );
		$this->assertCount( 1, $known, 'the export shows the reference' );
		$this->assertSame( $ref, $known[0]['data'][0]['value'] );
		$GLOBALS['wpdb']->query( 'TRUNCATE TABLE ' . \Cartback\Outbox::table() ); // Delivered and pruned: only the email is left to go by.

		$result = Privacy::erase( 'anna@example.com', 1 );

		$this->assertTrue( $result['items_removed'] );
		$this->assertNotEmpty( preg_grep( '/unlinked/', $result['messages'] ) );
		$this->assertNull( Known_Browser::contact_ref(), 'the old cookie resolves to nobody' );
		$view = $this->view( 43 );
		$this->assertArrayNotHasKey( 'contact_ref', $view );

		// She opts in again later, in a new session: a new reference, never the erased one.
		$this->end_request();
		WC()->reset_shopper( 0 );
		$new = $this->tick();
		$this->assertNotSame( $ref, $this->ref_in( $new ) );
		$this->assertSame( $this->ref_in( $new ), $this->view( 42 )['contact_ref'] );
		$_COOKIE[ Known_Browser::COOKIE ] = $old;
		$this->assertArrayNotHasKey( 'contact_ref', $this->view( 42 ), 'the old cookie stays unlinked' );
	}

	public function test_erasure_by_a_phone_the_email_leads_to_unlinks_it_too(): void {
		$this->tick( '', '+91 98765 43210' ); // Known by phone alone: no email on the reference.
		$this->assertNotNull( Known_Browser::contact_ref() );
		// What was typed at checkout, waiting in the outbox, ties his email to that phone.
		\Cartback\Events::emit( 'checkout.contact_captured', array( 'cart_key' => 'k-ravi', 'phone' => '+919876543210', 'email' => 'ravi@example.com' ) );

		Privacy::erase( 'ravi@example.com', 1 );

		$this->assertNull( Known_Browser::contact_ref() );
		$this->assertArrayNotHasKey( 'contact_ref', $this->view( 42 ) );
	}

	public function test_on_an_https_site_the_cookie_is_secure_and_its_lifetime_is_a_setting(): void {
		$_SERVER['HTTPS'] = 'on';
		$days             = static function () {
			return 30;
		};
		add_filter( 'cartback_known_browser_days', $days );
		try {
			$this->tick();
		} finally {
			remove_filter( 'cartback_known_browser_days', $days );
		}
		$this->assertTrue( $this->cookies[0]['options']['secure'] );
		$this->assertEqualsWithDelta( time() + 30 * DAY_IN_SECONDS, $this->cookies[0]['options']['expires'], 60 );
	}

	public function test_the_suggested_privacy_text_says_what_the_cookie_is(): void {
		$text = Privacy::policy_text();
		foreach ( array( 'cookie named cartback_known', 'random code, not your phone number', 'only set after you have opted in', 'not used by or shared with anyone else', 'Unticking the WhatsApp box deletes it', 'erase your data, it stops identifying you' ) as $needle ) {
			$this->assertStringContainsString( $needle, $text );
		}
	}

	/**
	 * Types a phone and ticks the box on the blocks checkout (a session is started first).
	 *
	 * @param string $email Email ('' for none).
	 * @param string $phone Phone as typed.
	 * @return string The cookie set.
	 */
	private function tick( string $email = 'anna@example.com', string $phone = '098123 45678' ): string {
		WC()->session->set_customer_session_cookie( true );
		$this->update_customer( array_filter( array( 'phone' => $phone, 'email' => $email, 'country' => 'IN' ) ) );
		$this->put_checkout( array( Consent::FIELD_ID => true ) );
		$last = end( $this->cookies );
		$this->assertIsArray( $last, 'a cookie was set' );
		return $last['value'];
	}

	/**
	 * The reference in a cookie value.
	 *
	 * @param string $value The cookie.
	 */
	private function ref_in( string $value ): string {
		$this->assertMatchesRegularExpression( self::COOKIE_FORMAT, $value );
		return explode( '.', $value )[1];
	}

	/**
	 * Views a product page and returns the product.viewed data queued for it.
	 *
	 * @param int $id Product id.
	 */
	private function view( int $id ): array {
		$before = count( $this->queued( 'product.viewed' ) );
		wc_test_double_view_product( wc_get_product( $id ) );
		$this->template_redirect();
		$views = $this->queued( 'product.viewed' );
		$this->assertCount( $before + 1, $views, 'the view was captured' );
		return end( $views )['data'];
	}

	/** @param array $billing Billing fields, as the blocks checkout posts them. */
	private function update_customer( array $billing ): void {
		$this->assertSame( 200, $this->store_api( 'POST', '/wc/store/v1/cart/update-customer', array( 'billing_address' => $billing ) )->get_status() );
	}

	/** @param array $fields Additional fields. */
	private function put_checkout( array $fields ): void {
		$this->assertSame( 200, $this->store_api( 'PUT', '/wc/store/v1/checkout', array( 'additional_fields' => $fields ) )->get_status() );
	}

	/**
	 * A JSON request through WordPress's REST server.
	 *
	 * @param string $method Method.
	 * @param string $route  Route.
	 * @param array  $body   Body.
	 */
	private function store_api( string $method, string $route, array $body ): WP_REST_Response {
		$request = new WP_REST_Request( $method, $route );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( wp_json_encode( $body ) );
		return rest_do_request( $request );
	}
}
