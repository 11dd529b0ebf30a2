<?php
/**
 * The admin screen's REST API (cartback/v1): who may call it, what it validates, that the shared
 * secret never leaves the server, the connection test against a real sidecar, and the lane proxy.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/../support/class-rest-helpers.php';

use Cartback\Settings;
use Cartback_Rest_Helpers as Rest;

/** cartback/v1, in process (rest_do_request) and over HTTP (php -S), with a real sidecar. */
final class RestControllerTest extends Cartback_Test_Case {
	/** @var Cartback_Sidecar|null One sidecar for the class (its lanes are reset per test). */
	private static $sidecar;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$sidecar = ( new Cartback_Sidecar() )->start();
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
		delete_option( Settings::CONNECTION_OPTION );
		delete_option( Settings::CONSENT_OPTION );
		self::$sidecar->query( 'DELETE FROM lane_settings' );
	}

	protected function tearDown(): void {
		wp_set_current_user( 0 );
		parent::tearDown();
	}

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
		);
	}

	/** The lane's settings as the sidecar holds them (a signed GET, straight to the sidecar). */
	private function sidecar_lane(): array {
		$headers = \Cartback\Signer::headers( Cartback_Sidecar::SECRET, 'GET', '/v1/admin/lanes/abandoned_cart', '' );
		$reply   = Rest::http( 'GET', self::$sidecar->url . '/v1/admin/lanes/abandoned_cart', array(), $headers );
		$this->assertSame( 200, $reply['status'], $reply['body'] );
		return $reply['data']['settings'];
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
		$this->assertSame( array( 'sidecar_url', 'secret_set', 'consent', 'outbox', 'delivery', 'wc_pending_order_email' ), array_keys( $saved['data'] ) );
	}

	public function test_the_screen_is_told_when_woocommerces_own_pending_order_email_is_on(): void {
		Rest::become( 'admin' );
		$this->assertFalse( Rest::call( 'GET', '/cartback/v1/settings' )['data']['wc_pending_order_email'] );
		update_option( \Cartback\Store_Profile::WC_RECOVERY_FEATURE, 'yes' );
		try {
			$this->assertTrue( Rest::call( 'GET', '/cartback/v1/settings' )['data']['wc_pending_order_email'] );
		} finally {
			delete_option( \Cartback\Store_Profile::WC_RECOVERY_FEATURE );
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

	public function test_connection_test_against_a_real_sidecar_says_connected_with_its_status(): void {
		Rest::become( 'admin' );
		// Before saving: the form's values are tested, nothing is stored.
		$unsaved = Rest::call(
			'POST',
			'/cartback/v1/connection/test',
			array(
				'sidecar_url' => self::$sidecar->url . '/',
				'secret'      => Cartback_Sidecar::SECRET,
			)
		);
		$this->assertTrue( $unsaved['data']['connected'], $unsaved['json'] );
		$this->assertFalse( $unsaved['data']['status']['paused'] );
		$this->assertSame( array( array( 'lane' => 'abandoned_cart', 'enabled' => true ) ), $unsaved['data']['status']['lanes'] );
		$this->assertFalse( Settings::connected(), 'testing stores nothing' );

		self::$sidecar->connect_plugin();
		$saved = Rest::call( 'POST', '/cartback/v1/connection/test' );
		$this->assertSame( 200, $saved['status'] );
		$this->assertTrue( $saved['data']['connected'], $saved['json'] );
	}

	public function test_connection_test_says_plainly_why_not(): void {
		Rest::become( 'admin' );
		$not_configured = Rest::call( 'POST', '/cartback/v1/connection/test' )['data'];
		$this->assertFalse( $not_configured['connected'] );
		$this->assertSame( 'not_configured', $not_configured['code'] );
		$this->assertStringContainsString( 'not connected', $not_configured['message'] );

		self::$sidecar->connect_plugin();
		$wrong = Rest::call( 'POST', '/cartback/v1/connection/test', array( 'secret' => str_repeat( 'w', 40 ) ) );
		$this->assertSame( 200, $wrong['status'] );
		$this->assertFalse( $wrong['data']['connected'] );
		$this->assertSame( 'unauthorized', $wrong['data']['code'] );
		$this->assertStringContainsString( 'refused the shared secret', $wrong['data']['message'] );
		$this->assertSame( Cartback_Sidecar::SECRET, Settings::secret(), 'the saved secret is untouched' );

		$port        = Cartback_Test_Site::free_port();
		$unreachable = Rest::call( 'POST', '/cartback/v1/connection/test', array( 'sidecar_url' => 'http://127.0.0.1:' . $port ) )['data'];
		$this->assertFalse( $unreachable['connected'] );
		$this->assertSame( 'unreachable', $unreachable['code'] );
		$this->assertStringContainsString( 'could not be reached', $unreachable['message'] );
		$this->assertMatchesRegularExpression( '/refused|connect/i', $unreachable['message'], 'names the reason' );

		// The store itself is an HTTP server, but not a Cartback sidecar.
		$other = Rest::call( 'POST', '/cartback/v1/connection/test', array( 'sidecar_url' => Cartback_Test_Site::serve() ) )['data'];
		$this->assertFalse( $other['connected'] );
		$this->assertSame( 'not_cartback', $other['code'] );
		$this->assertStringContainsString( 'not as a Cartback sidecar', $other['message'] );
	}

	public function test_lane_settings_are_read_from_and_saved_in_the_sidecar_and_its_400_comes_back_naming_the_field(): void {
		Rest::become( 'admin' );
		$unconnected = Rest::call( 'GET', '/cartback/v1/lanes/abandoned_cart' );
		$this->assertSame( 503, $unconnected['status'] );
		$this->assertSame( 'not_configured', $unconnected['data']['error']['code'] );

		self::$sidecar->connect_plugin();
		$read = Rest::call( 'GET', '/cartback/v1/lanes/abandoned_cart' );
		$this->assertSame( 200, $read['status'], $read['json'] );
		$settings = $read['data']['settings'];
		$this->assertSame( 'PT15M', $settings['steps'][0]['delay'] );

		$settings['steps'][0]['delay'] = 'PT30M';
		$settings['holdout_percent']   = 12.5;
		$saved                         = Rest::call( 'PUT', '/cartback/v1/lanes/abandoned_cart', $settings );
		$this->assertSame( 200, $saved['status'], $saved['json'] );
		$stored = $this->sidecar_lane();
		$this->assertSame( 'PT30M', $stored['steps'][0]['delay'] );
		$this->assertSame( 12.5, $stored['holdout_percent'] );

		$settings['steps'][0]['delay'] = 'PT5M';
		$refused                       = Rest::call( 'PUT', '/cartback/v1/lanes/abandoned_cart', $settings );
		$this->assertSame( 400, $refused['status'] );
		$this->assertSame( 'invalid_settings', $refused['data']['error']['code'] );
		$this->assertSame( 'steps[0].delay', $refused['data']['error']['path'] );
		$this->assertStringContainsString( 'inactivity_delay', $refused['data']['error']['message'] );
		$this->assertSame( 'PT30M', $this->sidecar_lane()['steps'][0]['delay'], 'nothing stored' );

		$settings['steps'][0]['delay'] = 'PT30M';
		$settings['holdout_percent']   = '10';
		$typed                         = Rest::call( 'PUT', '/cartback/v1/lanes/abandoned_cart', $settings );
		$this->assertSame( 400, $typed['status'], 'passed on as sent: "10" is not a number' );
		$this->assertSame( 'holdout_percent', $typed['data']['error']['path'] );

		$this->assertSame( 404, Rest::call( 'GET', '/cartback/v1/lanes/winback' )['status'], 'only known lanes are routed' );

		// The sidecar's secret was changed after the store saved its own: a clear 503, never a 502.
		Settings::save_connection( self::$sidecar->url, str_repeat( 'w', 40 ) );
		$unauthorized = Rest::call( 'GET', '/cartback/v1/lanes/abandoned_cart' );
		$this->assertSame( 503, $unauthorized['status'] );
		$this->assertSame( 'cartback_sidecar_unauthorized', $unauthorized['data']['error']['code'] );
		$this->assertStringContainsString( 'refused the shared secret', $unauthorized['data']['error']['message'] );

		// The sidecar is down.
		Settings::save_connection( 'http://127.0.0.1:' . Cartback_Test_Site::free_port(), Cartback_Sidecar::SECRET );
		$down = Rest::call( 'PUT', '/cartback/v1/lanes/abandoned_cart', $settings );
		$this->assertSame( 503, $down['status'] );
		$this->assertSame( 'cartback_sidecar_unreachable', $down['data']['error']['code'] );
		$this->assertStringContainsString( 'could not be reached', $down['data']['error']['message'] );

		// Something that is not a Cartback sidecar answers there.
		Settings::save_connection( Cartback_Test_Site::serve(), Cartback_Sidecar::SECRET );
		$other = Rest::call( 'GET', '/cartback/v1/lanes/abandoned_cart' );
		$this->assertSame( 503, $other['status'] );
		$this->assertSame( 'cartback_sidecar_unavailable', $other['data']['error']['code'] );
	}

	public function test_save_connection_checks_it_first_and_stores_nothing_when_the_sidecar_refuses_naming_the_field(): void {
		Rest::become( 'admin' );
		$text  = 'Message me about my cart on WhatsApp. Reply STOP any time.';
		$wrong = Rest::call(
			'POST',
			'/cartback/v1/settings',
			array(
				'sidecar_url'  => self::$sidecar->url,
				'secret'       => str_repeat( 'w', 40 ),
				'consent_text' => $text,
			)
		);
		$this->assertSame( 400, $wrong['status'], $wrong['json'] );
		$this->assertSame( 'unauthorized', $wrong['data']['code'] );
		$this->assertSame( array( 'secret' ), array_keys( $wrong['data']['data']['params'] ) );
		$this->assertStringContainsString( 'refused the shared secret', $wrong['data']['data']['params']['secret'] );
		$this->assertSame( '', Settings::sidecar_url(), 'nothing stored' );
		$this->assertSame( '', Settings::secret() );
		$this->assertSame( 1, Settings::consent()['version'], 'not even the opt-in text sent with it' );

		$port        = Cartback_Test_Site::free_port();
		$unreachable = Rest::call( 'POST', '/cartback/v1/settings', array( 'sidecar_url' => 'http://127.0.0.1:' . $port, 'secret' => Cartback_Sidecar::SECRET ) );
		$this->assertSame( 400, $unreachable['status'] );
		$this->assertSame( 'unreachable', $unreachable['data']['code'] );
		$this->assertArrayHasKey( 'sidecar_url', $unreachable['data']['data']['params'] );
		$this->assertMatchesRegularExpression( '/could not be reached: .*(refused|connect)/i', $unreachable['data']['message'], 'the exact reason' );

		$other = Rest::call( 'POST', '/cartback/v1/settings', array( 'sidecar_url' => Cartback_Test_Site::serve(), 'secret' => Cartback_Sidecar::SECRET ) );
		$this->assertSame( 400, $other['status'] );
		$this->assertSame( 'not_cartback', $other['data']['code'] );
		$this->assertArrayHasKey( 'sidecar_url', $other['data']['data']['params'] );

		$no_secret = Rest::call( 'POST', '/cartback/v1/settings', array( 'sidecar_url' => self::$sidecar->url ) );
		$this->assertSame( 400, $no_secret['status'] );
		$this->assertArrayHasKey( 'secret', $no_secret['data']['data']['params'] );
		$this->assertFalse( Settings::connected() );

		// With a stored, working connection a wrong new secret keeps the working one.
		self::$sidecar->connect_plugin();
		$kept = Rest::call( 'POST', '/cartback/v1/settings', array( 'secret' => str_repeat( 'v', 40 ) ) );
		$this->assertSame( 400, $kept['status'] );
		$this->assertSame( Cartback_Sidecar::SECRET, Settings::secret() );
	}

	public function test_saving_a_working_connection_sends_the_store_profile_to_the_sidecar_at_once(): void {
		Rest::become( 'admin' );
		self::$sidecar->query( 'DELETE FROM inbound_events' );
		$saved = Rest::call(
			'POST',
			'/cartback/v1/settings',
			array(
				'sidecar_url' => self::$sidecar->url,
				'secret'      => Cartback_Sidecar::SECRET,
			)
		);
		$this->assertSame( 200, $saved['status'], $saved['json'] );
		$this->assertSame( 0, $saved['data']['outbox']['pending'], 'delivered before the reply' );
		$stored = self::$sidecar->query( "SELECT payload FROM inbound_events WHERE type = 'store.updated'" );
		$this->assertCount( 1, $stored );
		$profile = json_decode( $stored[0]['payload'], true );
		$this->assertSame( untrailingslashit( rest_url( 'cartback/v1' ) ), $profile['data']['api_url'] );
		$this->assertSame( wp_timezone_string(), $profile['data']['time_zone'] );
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
