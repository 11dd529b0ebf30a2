<?php
/**
 * The admin screen's REST API (cartback/v1): who may call it, what it validates, that the shared
 * secret never leaves the server (the routes that talk to the sidecar: RestSidecarRoutesTest).
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/../support/class-rest-helpers.php';
require_once __DIR__ . '/trait-rest-sidecar-fixture.php';

use Cartback\Settings;
use Cartback_Rest_Helpers as Rest;

/** cartback/v1, in process (rest_do_request) and over HTTP (php -S), with a real sidecar. */
final class RestControllerTest extends Cartback_Test_Case {
	use Cartback_Rest_Sidecar_Fixture;

	/**
	 * Every route with a body that would succeed for an admin.
	 *
	 * @return array<int, array{0: string, 1: string, 2: array|null}>
	 */
	private function routes(): array {
		$lane = self::$sidecar ? $this->sidecar_lane() : array();
		return array(
			array( 'GET', '/cartback/v1/settings', null ),
			array( 'POST', '/cartback/v1/settings', array( 'consent_text' => 'Message me on WhatsApp. Reply STOP to stop.' ) ),
			array( 'POST', '/cartback/v1/connection/test', null ),
			array( 'GET', '/cartback/v1/lanes/abandoned_cart', null ),
			array( 'PUT', '/cartback/v1/lanes/abandoned_cart', $lane ),
			array( 'GET', '/cartback/v1/incentives', null ),
			array( 'GET', '/cartback/v1/store-access', null ),
		);
	}

	public function test_a_subscriber_gets_403_and_a_visitor_401_on_every_route_and_an_admin_gets_200(): void {
		self::$sidecar->connect_plugin();
		$before = get_option( Settings::CONSENT_OPTION );
		foreach ( $this->routes() as list( $method, $route, $body ) ) {
			wp_set_current_user( 0 );
			$this->assertSame( 401, Rest::call( $method, $route, $body )['status'], "visitor: $method $route" );
			Rest::become( 'subscriber' );
			$reply = Rest::call( $method, $route, $body );
			$this->assertSame( 403, $reply['status'], "subscriber: $method $route" );
			$this->assertSame( 'rest_forbidden', $reply['data']['code'] );
		}
		$this->assertSame( $before, get_option( Settings::CONSENT_OPTION ), 'refused calls changed nothing' );

		Rest::become( 'admin' );
		foreach ( $this->routes() as list( $method, $route, $body ) ) {
			$reply = Rest::call( $method, $route, $body );
			$this->assertSame( 200, $reply['status'], "admin: $method $route " . $reply['json'] );
		}
	}

	public function test_the_secret_never_appears_in_any_reply(): void {
		Rest::become( 'admin' );
		$saved = Rest::call(
			'POST',
			'/cartback/v1/settings',
			array(
				'sidecar_url' => self::$sidecar->url,
				'secret'      => Cartback_Sidecar::SECRET,
			)
		);
		$this->assertSame( 200, $saved['status'], $saved['json'] );
		$this->assertTrue( $saved['data']['secret_set'] );
		$this->assertSame( Cartback_Sidecar::SECRET, Settings::secret(), 'stored on the server' );

		$replies = array( $saved );
		foreach ( $this->routes() as list( $method, $route, $body ) ) {
			$replies[] = Rest::call( $method, $route, $body );
		}
		$wrong     = str_repeat( 'w', 40 );
		$replies[] = Rest::call( 'POST', '/cartback/v1/connection/test', array( 'secret' => $wrong ) );
		$replies[] = Rest::call( 'POST', '/cartback/v1/settings', array( 'secret' => 'short' ) );
		foreach ( $replies as $reply ) {
			$this->assertStringNotContainsString( Cartback_Sidecar::SECRET, $reply['json'] );
			$this->assertStringNotContainsString( $wrong, $reply['json'] );
			$this->assertStringNotContainsString( Cartback_Sidecar::SECRET, (string) wp_json_encode( $reply['headers'] ) );
		}
		// The first saved connection also says how granting store access went (StoreAccessTest).
		$this->assertSame( array( 'sidecar_url', 'secret_set', 'consent', 'outbox', 'delivery', 'wc_pending_order_email', 'wc_failed_order_email', 'lanes', 'currency', 'store_access' ), array_keys( $saved['data'] ) );
	}

	public function test_the_screen_is_told_when_woocommerces_own_pending_order_email_is_on(): void {
		Rest::become( 'admin' );
		$this->assertFalse( Rest::call( 'GET', '/cartback/v1/settings' )['data']['wc_pending_order_email'] );
		update_option( \Cartback\Store_Profile::WC_RECOVERY_FEATURE, 'yes' );
		update_option( \Cartback\Store_Profile::WC_RECOVERY_EMAIL, array( 'automated' => 'yes' ) );
		try {
			$this->assertTrue( Rest::call( 'GET', '/cartback/v1/settings' )['data']['wc_pending_order_email'] );
		} finally {
			delete_option( \Cartback\Store_Profile::WC_RECOVERY_FEATURE );
			delete_option( \Cartback\Store_Profile::WC_RECOVERY_EMAIL );
		}
	}

	public function test_the_screen_is_told_whether_woocommerce_emails_shoppers_about_failed_orders(): void {
		Rest::become( 'admin' );
		delete_option( \Cartback\Store_Profile::WC_FAILED_ORDER_EMAIL );
		$this->assertTrue( Rest::call( 'GET', '/cartback/v1/settings' )['data']['wc_failed_order_email'], 'on by default' );
		update_option( \Cartback\Store_Profile::WC_FAILED_ORDER_EMAIL, array( 'enabled' => 'no' ) );
		try {
			$this->assertFalse( Rest::call( 'GET', '/cartback/v1/settings' )['data']['wc_failed_order_email'] );
		} finally {
			delete_option( \Cartback\Store_Profile::WC_FAILED_ORDER_EMAIL );
		}
	}

	public function test_a_bad_url_is_refused_with_400_naming_sidecar_url_and_nothing_is_stored(): void {
		Rest::become( 'admin' );
		foreach ( array( 'not a url', 'ftp://127.0.0.1/x', 'javascript:alert(1)', '', '//127.0.0.1:8787', 'http://', 42 ) as $bad ) {
			$reply = Rest::call( 'POST', '/cartback/v1/settings', array( 'sidecar_url' => $bad ) );
			$this->assertSame( 400, $reply['status'], wp_json_encode( $bad ) );
			$this->assertSame( 'rest_invalid_param', $reply['data']['code'] );
			$this->assertSame( array( 'sidecar_url' ), array_keys( $reply['data']['data']['params'] ) );
			$this->assertStringContainsString( 'http', $reply['data']['data']['params']['sidecar_url'] );
		}
		$this->assertSame( '', Settings::sidecar_url() );

		$reply = Rest::call( 'POST', '/cartback/v1/connection/test', array( 'sidecar_url' => 'nope' ) );
		$this->assertSame( 400, $reply['status'] );
		$this->assertArrayHasKey( 'sidecar_url', $reply['data']['data']['params'] );

		$ok = Rest::call(
			'POST',
			'/cartback/v1/settings',
			array(
				'sidecar_url' => ' ' . self::$sidecar->url . '/ ',
				'secret'      => Cartback_Sidecar::SECRET,
			)
		);
		$this->assertSame( 200, $ok['status'], $ok['json'] );
		$this->assertSame( self::$sidecar->url, $ok['data']['sidecar_url'], 'trimmed, no trailing slash' );
	}

	public function test_a_short_secret_and_an_empty_consent_text_are_refused_naming_their_field(): void {
		Rest::become( 'admin' );
		$short = Rest::call( 'POST', '/cartback/v1/settings', array( 'secret' => str_repeat( 'x', 31 ) ) );
		$this->assertSame( 400, $short['status'] );
		$this->assertArrayHasKey( 'secret', $short['data']['data']['params'] );
		$this->assertStringContainsString( '32', $short['data']['data']['params']['secret'] );
		$this->assertSame( '', Settings::secret() );

		$spaced = Rest::call( 'POST', '/cartback/v1/settings', array( 'secret' => str_repeat( 'x', 20 ) . ' ' . str_repeat( 'y', 20 ) ) );
		$this->assertSame( 400, $spaced['status'] );

		$empty = Rest::call( 'POST', '/cartback/v1/settings', array( 'consent_text' => " <b></b>\n " ) );
		$this->assertSame( 400, $empty['status'] );
		$this->assertArrayHasKey( 'consent_text', $empty['data']['data']['params'] );
		$this->assertSame( 1, Settings::consent()['version'] );
	}

	public function test_an_empty_secret_keeps_the_saved_one(): void {
		Rest::become( 'admin' );
		Settings::save_connection( 'http://127.0.0.1:1', Cartback_Sidecar::SECRET );
		$reply = Rest::call(
			'POST',
			'/cartback/v1/settings',
			array(
				'sidecar_url' => self::$sidecar->url,
				'secret'      => '',
			)
		);
		$this->assertSame( 200, $reply['status'] );
		$this->assertSame( self::$sidecar->url, Settings::sidecar_url() );
		$this->assertSame( Cartback_Sidecar::SECRET, Settings::secret() );
	}

	public function test_changing_the_consent_wording_bumps_its_version_and_the_same_wording_does_not(): void {
		Rest::become( 'admin' );
		$start = Rest::call( 'GET', '/cartback/v1/settings' )['data']['consent'];
		$this->assertSame( 1, $start['version'] );
		$this->assertSame( Settings::default_consent_text(), $start['text'] );

		$text    = "Send me cart reminders and offers from Test Store on WhatsApp.\nReply STOP any time.";
		$changed = Rest::call( 'POST', '/cartback/v1/settings', array( 'consent_text' => "  $text <em>x</em> " ) );
		$this->assertSame( 200, $changed['status'] );
		$this->assertSame( 2, $changed['data']['consent']['version'] );
		$this->assertSame( $text . ' x', $changed['data']['consent']['text'], 'tags stripped, line break kept, trimmed' );

		$same = Rest::call( 'POST', '/cartback/v1/settings', array( 'consent_text' => $text . ' x' ) );
		$this->assertSame( 2, $same['data']['consent']['version'] );
		$this->assertSame( array( 'text' => $text . ' x', 'version' => 2 ), Settings::consent() );
	}

	public function test_settings_show_the_outbox_counts_and_the_delivery_state(): void {
		Rest::become( 'admin' );
		\Cartback\Outbox::add(
			array(
				'id'          => wp_generate_uuid4(),
				'type'        => 'cart.emptied',
				'occurred_at' => gmdate( 'c' ),
				'data'        => array( 'cart_key' => 'k' ),
			)
		);
		update_option(
			\Cartback\Delivery::STATE_OPTION,
			array(
				'failures'        => 2,
				'retry_at'        => 1763700000,
				'last_error'      => 'The sidecar could not be reached',
				'last_success_at' => 1763600000,
			),
			false // Not autoloaded, as Delivery stores it.
		);
		$data = Rest::call( 'GET', '/cartback/v1/settings' )['data'];
		$this->assertSame(
			array(
				'pending'   => 1,
				'delivered' => 0,
				'rejected'  => 0,
			),
			$data['outbox']
		);
		$this->assertSame( 'The sidecar could not be reached', $data['delivery']['last_error'] );
		$this->assertSame( 1763600000, $data['delivery']['last_success_at'] );
		$this->assertFalse( $data['secret_set'] );
	}

	public function test_over_http_a_logged_in_admin_cookie_needs_a_valid_rest_nonce(): void {
		Cartback_Test_Site::serve();
		self::$sidecar->connect_plugin();
		$session = Rest::browser_session( 'admin' );
		$url     = rest_url( 'cartback/v1/settings' );

		$no_nonce = Rest::http( 'GET', $url, $session['cookies'] );
		$this->assertSame( 401, $no_nonce['status'], 'without a nonce WordPress treats the cookie as no login: ' . $no_nonce['body'] );

		$bad_nonce = Rest::http( 'GET', $url, $session['cookies'], array( 'X-WP-Nonce' => 'abcdef1234' ) );
		$this->assertSame( 403, $bad_nonce['status'] );
		$this->assertSame( 'rest_cookie_invalid_nonce', $bad_nonce['data']['code'] );

		$forged = Rest::http( 'POST', $url, $session['cookies'], array( 'Content-Type' => 'application/json' ), (string) wp_json_encode( array( 'consent_text' => 'Forged by another site' ) ) );
		$this->assertSame( 401, $forged['status'], 'a cross-site POST without the nonce changes nothing' );
		wp_cache_delete( Settings::CONSENT_OPTION, 'options' );
		wp_cache_delete( 'alloptions', 'options' );
		$this->assertSame( 1, Settings::consent()['version'] );

		$ok = Rest::http( 'GET', $url, $session['cookies'], array( 'X-WP-Nonce' => $session['nonce'] ) );
		$this->assertSame( 200, $ok['status'], $ok['body'] );
		$this->assertTrue( $ok['data']['secret_set'] );
		$this->assertStringNotContainsString( Cartback_Sidecar::SECRET, $ok['body'] );

		$test = Rest::http( 'POST', rest_url( 'cartback/v1/connection/test' ), $session['cookies'], array( 'X-WP-Nonce' => $session['nonce'] ) );
		$this->assertSame( 200, $test['status'], $test['body'] );
		$this->assertTrue( $test['data']['connected'], $test['body'] );

		$subscriber = Rest::browser_session( 'subscriber' );
		$refused    = Rest::http( 'GET', $url, $subscriber['cookies'], array( 'X-WP-Nonce' => $subscriber['nonce'] ) );
		$this->assertSame( 403, $refused['status'] );
	}

	public function test_the_admin_page_is_under_woocommerce_and_prints_no_secret(): void {
		Cartback_Test_Site::serve();
		self::$sidecar->connect_plugin();
		$session = Rest::browser_session( 'admin' );
		$page    = Rest::http( 'GET', admin_url( 'admin.php?page=cartback' ), $session['cookies'] );
		$this->assertSame( 200, $page['status'] );
		$this->assertStringContainsString( 'id="cartback-admin-root"', $page['body'] );
		$this->assertStringContainsString( 'page=cartback', $page['body'], 'in the menu' );
		$this->assertStringNotContainsString( Cartback_Sidecar::SECRET, $page['body'] );
		if ( is_readable( CARTBACK_DIR . '/build/admin.asset.php' ) ) {
			$this->assertMatchesRegularExpression( '#/plugins/cartback/build/admin\.js\?ver=#', $page['body'] );
			$this->assertStringContainsString( 'wp-api-fetch', $page['body'] );
		} else {
			$this->assertStringContainsString( 'npm run plugin:build', $page['body'] );
		}

		$subscriber = Rest::browser_session( 'subscriber' );
		$refused    = Rest::http( 'GET', admin_url( 'admin.php?page=cartback' ), $subscriber['cookies'] );
		$this->assertNotSame( 200, $refused['status'] );
		$this->assertStringNotContainsString( 'cartback-admin-root', $refused['body'] );
	}
}
