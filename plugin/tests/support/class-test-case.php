<?php
/**
 * Base class for the plugin's tests: a clean outbox, a fresh shopper and no signed-in user
 * before every test, plus helpers to read what the plugin queued.
 *
 * @package Cartback\Tests
 */

use PHPUnit\Framework\TestCase;

/** Shared set-up and assertions. */
abstract class Cartback_Test_Case extends TestCase {
	protected function setUp(): void {
		global $wpdb;
		parent::setUp();
		$wpdb->query( 'TRUNCATE TABLE ' . \Cartback\Outbox::table() );
		$wpdb->query( 'TRUNCATE TABLE ' . \Cartback\Known_Contacts::table() );
		unset( $_COOKIE[ \Cartback\Known_Browser::COOKIE ] ); // A browser the store has not met.
		\Cartback\Product_Categories::forget(); // A new request.
		delete_option( \Cartback\Delivery::STATE_OPTION );
		wp_set_current_user( 0 );
		WC()->reset_shopper( 0 );
		wc_clear_notices();
		$GLOBALS['wc_test_double_current_product'] = null;
		\Cartback\Urgent_Delivery::forget();
	}

	protected function tearDown(): void {
		// An order or opt-in queued by a test would otherwise be delivered when PHPUnit exits.
		\Cartback\Urgent_Delivery::forget();
		parent::tearDown();
	}

	/**
	 * The events in the outbox, oldest first, optionally of one type.
	 *
	 * @param string|null $type Only this type.
	 * @return array<int, array>
	 */
	protected function queued( ?string $type = null ): array {
		global $wpdb;
		$rows   = $wpdb->get_col( 'SELECT payload FROM ' . \Cartback\Outbox::table() . ' ORDER BY id' );
		$events = array_map(
			static function ( $json ) {
				return json_decode( $json, true );
			},
			$rows
		);
		return array_values(
			array_filter(
				$events,
				static function ( $e ) use ( $type ) {
					return null === $type || $e['type'] === $type;
				}
			)
		);
	}

	/**
	 * Validates events with the sidecar's own joi schemas (shared/dist), through Node.
	 *
	 * @param array $events Events.
	 * @return array{ok: bool, path?: string, message?: string}
	 */
	protected function validate_with_shared_schema( array $events ): array {
		$script = __DIR__ . '/validate-events.js';
		$proc   = proc_open( array( 'node', $script ), array( 0 => array( 'pipe', 'r' ), 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		fwrite( $pipes[0], wp_json_encode( array( 'events' => $events ) ) );
		fclose( $pipes[0] );
		$out = stream_get_contents( $pipes[1] );
		$err = stream_get_contents( $pipes[2] );
		proc_close( $proc );
		$result = json_decode( $out, true );
		if ( ! is_array( $result ) ) {
			$this->fail( 'validate-events.js failed: ' . $err );
		}
		return $result;
	}

	/**
	 * Asserts that events pass the shared schema, naming the first error otherwise.
	 *
	 * @param array $events Events.
	 */
	protected function assertValidEvents( array $events ): void {
		$this->assertNotEmpty( $events, 'expected at least one event' );
		$result = $this->validate_with_shared_schema( $events );
		$this->assertTrue( $result['ok'], 'shared schema refused: ' . ( $result['path'] ?? '' ) . ' ' . ( $result['message'] ?? '' ) );
	}

	/**
	 * Asserts that $data has the same keys (recursively, for objects) as the fixture's data for its
	 * type in shared/fixtures/events/valid, allowing only keys the fixture leaves out as optional.
	 *
	 * @param array $event An event.
	 */
	protected function assertMatchesFixtureShape( array $event ): void {
		$fixture = json_decode( file_get_contents( __DIR__ . '/../../../shared/fixtures/events/valid/' . $event['type'] . '.json' ), true );
		$this->assertSame( array( 'data', 'id', 'occurred_at', 'type' ), $this->sorted_keys( $event ) );
		foreach ( $fixture['data'] as $key => $value ) {
			if ( array_key_exists( $key, $event['data'] ) ) {
				$this->assertSame( gettype( $value ), gettype( $event['data'][ $key ] ), "data.$key has the fixture's type" );
			}
		}
	}

	/** @param array $a Array. */
	private function sorted_keys( array $a ): array {
		$keys = array_keys( $a );
		sort( $keys );
		return $keys;
	}
}
