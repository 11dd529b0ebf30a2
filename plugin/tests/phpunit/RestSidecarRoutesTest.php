<?php
/**
 * The admin screen's routes that talk to the sidecar, against a real one: the connection test,
 * the lane proxy, saving a connection (checked first) and the store profile sent once it works.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/../support/class-rest-helpers.php';
require_once __DIR__ . '/trait-rest-sidecar-fixture.php';

use Cartback\Settings;
use Cartback_Rest_Helpers as Rest;

/** cartback/v1's sidecar-facing routes, in process (rest_do_request), with a real sidecar. */
final class RestSidecarRoutesTest extends Cartback_Test_Case {
	use Cartback_Rest_Sidecar_Fixture;

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
		$this->assertSame(
			array(
				array( 'lane' => 'payment_recovery', 'enabled' => false ),
				array( 'lane' => 'abandoned_cart', 'enabled' => true ),
				array( 'lane' => 'browse_abandonment', 'enabled' => false ),
				array( 'lane' => 'winback', 'enabled' => false ),
			),
			$unsaved['data']['status']['lanes'],
			'every lane, in order of precedence; only the cart lane starts on'
		);
		$this->assertFalse( Settings::connected(), 'testing stores nothing' );

		self::$sidecar->connect_plugin();
		$saved = Rest::call( 'POST', '/cartback/v1/connection/test' );
		$this->assertSame( 200, $saved['status'] );
		$this->assertTrue( $saved['data']['connected'], $saved['json'] );
	}

	public function test_the_status_the_admin_screen_reads_counts_lost_messages_and_those_awaiting_a_status(): void {
		Rest::become( 'admin' );
		self::$sidecar->connect_plugin();
		$none = Rest::call( 'POST', '/cartback/v1/connection/test' )['data'];
		$this->assertSame(
			array(
				'unknown'                  => 0,
				'lost'                     => 0,
				'reconcile_window_seconds' => 36 * 3600,
			),
			$none['status']['messages'],
			wp_json_encode( $none )
		);

		// Two sends WhatsApp never confirmed within the window, one still waiting, one delivered.
		$row = static function ( int $step, string $state ): string {
			return "(1, 9001, $step, 'abandoned_cart', 'marketing', 77, '+919800000001', '$state', NOW(3), NOW(3), NOW(3))";
		};
		self::$sidecar->query(
			'INSERT INTO messages (store_id, enrollment_id, step, lane, category, contact_id, phone, state, due_at, created_at, updated_at) VALUES '
			. implode( ', ', array( $row( 0, 'lost' ), $row( 1, 'lost' ), $row( 2, 'unknown' ), $row( 3, 'delivered' ) ) )
		);
		try {
			$reply = Rest::call( 'POST', '/cartback/v1/connection/test' );
			$this->assertSame( 200, $reply['status'] );
			$this->assertTrue( $reply['data']['connected'], $reply['json'] );
			$this->assertSame( 2, $reply['data']['status']['messages']['lost'] );
			$this->assertSame( 1, $reply['data']['status']['messages']['unknown'] );
			$this->assertStringNotContainsString( '919800000001', $reply['json'], 'no phone number reaches the screen' );
		} finally {
			self::$sidecar->query( 'DELETE FROM messages WHERE enrollment_id = 9001' );
		}
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

		$this->assertSame( 404, Rest::call( 'GET', '/cartback/v1/lanes/flash_sale' )['status'], 'only known lanes are passed on (RestLanesTest)' );

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
}
