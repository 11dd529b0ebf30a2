<?php
/**
 * The outbox against a real sidecar process: nothing lost while it is down, everything delivered
 * exactly once when it returns, a resend after a lost acknowledgement harmless, an event the
 * sidecar refuses or keeps failing on set aside, and nothing set aside while it is down.
 *
 * @package Cartback\Tests
 */

use Cartback\Delivery;
use Cartback\Events;
use Cartback\Outbox;

/** Delivery from the outbox to the sidecar. */
final class OutboxDeliveryTest extends Cartback_Test_Case {
	/** @var Cartback_Sidecar|null */
	private $sidecar;

	/** @var callable|null A pre_http_request filter standing in for a failing sidecar. */
	private $faker;

	/** @var array<int, array{events: int, status: int}> What the faker saw and answered. */
	private $calls = array();

	protected function tearDown(): void {
		if ( $this->faker ) {
			remove_filter( 'pre_http_request', $this->faker );
		}
		if ( $this->sidecar ) {
			$this->sidecar->drop();
		}
		parent::tearDown();
	}

	/** A valid event's data from the shared fixtures, with a distinct cart. */
	private function fixture_data( string $type, int $n ): array {
		$event = json_decode( file_get_contents( __DIR__ . '/../../../shared/fixtures/events/valid/' . $type . '.json' ), true );
		$data  = $event['data'];
		if ( isset( $data['cart_key'] ) ) {
			$data['cart_key'] = md5( 'cart-' . $n );
		}
		return $data;
	}

	/** Queues $count events the way capture does (Events::emit → one INSERT each). */
	private function queue_events( int $count ): array {
		$ids   = array();
		$types = array( 'cart.updated', 'checkout.contact_captured', 'consent.granted', 'product.viewed', 'order.created' );
		for ( $i = 0; $i < $count; $i++ ) {
			$type  = $types[ $i % count( $types ) ];
			$ids[] = Events::emit( $type, $this->fixture_data( $type, $i ) )['id'];
		}
		return $ids;
	}

	public function test_events_wait_while_the_sidecar_is_down_and_arrive_exactly_once_when_it_returns(): void {
		$this->sidecar = new Cartback_Sidecar();
		$this->sidecar->connect_plugin();
		$ids = $this->queue_events( 1203 ); // More than two full batches of 500.

		$down = Delivery::run();
		$this->assertSame( 0, $down['sent'] );
		$this->assertStringContainsString( 'could not be reached', $down['error'] );
		$this->assertSame( 1203, Outbox::counts()['pending'], 'every event is kept while the sidecar is down' );
		$state = Delivery::state();
		$this->assertSame( 1, $state['failures'] );
		$this->assertGreaterThanOrEqual( time() + 55, $state['retry_at'], 'the next try waits a minute' );

		$this->assertSame( 0, Delivery::run()['sent'], 'during the backoff nothing is tried' );

		$this->sidecar->start();
		$up = Delivery::run( true );
		$this->assertSame( 1203, $up['sent'] );
		$this->assertSame( '', $up['error'] );
		$this->assertSame( array( 'pending' => 0, 'delivered' => 1203, 'rejected' => 0 ), Outbox::counts() );
		$this->assertSame( 0, Delivery::state()['failures'] );

		$stored = array_column( $this->sidecar->query( 'SELECT event_id FROM inbound_events ORDER BY event_id' ), 'event_id' );
		sort( $ids );
		$this->assertSame( $ids, $stored, 'the sidecar holds each event once' );

		// An acknowledgement lost on the way back: the rows go again, and the sidecar ignores them.
		global $wpdb;
		$wpdb->query( 'UPDATE ' . Outbox::table() . ' SET delivered_at = NULL ORDER BY id DESC LIMIT 10' );
		$this->assertSame( 10, Delivery::run( true )['sent'] );
		$this->assertSame( '1203', $this->sidecar->query( 'SELECT COUNT(*) AS n FROM inbound_events' )[0]['n'] );
		$this->assertSame( 0, Delivery::run( true )['sent'], 'nothing left to send' );
	}

	public function test_an_event_the_sidecar_refuses_is_set_aside_and_the_others_still_go(): void {
		$this->sidecar = ( new Cartback_Sidecar() )->start();
		$this->sidecar->connect_plugin();
		$this->queue_events( 3 );
		$bad = Events::emit( 'consent.granted', array_merge( $this->fixture_data( 'consent.granted', 9 ), array( 'phone' => '98123' ) ) );
		$this->queue_events( 3 );

		$result = Delivery::run( true );
		$this->assertSame( 6, $result['sent'] );
		$this->assertSame( 1, $result['rejected'] );
		global $wpdb;
		$row = $wpdb->get_row( $wpdb->prepare( 'SELECT rejected_at, last_error FROM ' . Outbox::table() . ' WHERE event_id = %s', $bad['id'] ) );
		$this->assertNotNull( $row->rejected_at );
		$this->assertStringContainsString( 'phone', $row->last_error );
		$this->assertSame( '6', $this->sidecar->query( 'SELECT COUNT(*) AS n FROM inbound_events' )[0]['n'] );
	}

	/**
	 * Makes every POST /v1/events whose batch holds one of $poison answer 500 (all of them when
	 * $poison is null, those $poison returns true for when it is a function); other batches go on
	 * to the real sidecar.
	 *
	 * @param string[]|callable|null $poison Event ids, or a function of the batch's event ids.
	 */
	private function fail_on( $poison ): void {
		$this->faker = function ( $pre, $args, $url ) use ( $poison ) {
			if ( false === strpos( $url, '/v1/events' ) ) {
				return $pre;
			}
			$ids  = array_column( json_decode( $args['body'], true )['events'], 'id' );
			$fail = null === $poison || ( is_callable( $poison ) ? $poison( $ids ) : array_intersect( $ids, $poison ) );
			$this->calls[] = array(
				'events' => count( $ids ),
				'status' => $fail ? 500 : 200,
			);
			if ( ! $fail ) {
				return $pre;
			}
			return array(
				'headers'  => array(),
				'body'     => '{"error":{"code":"internal","message":"Internal Server Error"}}',
				'response' => array(
					'code'    => 500,
					'message' => 'Internal Server Error',
				),
				'cookies'  => array(),
				'filename' => null,
			);
		};
		add_filter( 'pre_http_request', $this->faker, 10, 3 );
	}

	/** The sidecar's stored event ids, sorted. */
	private function stored_ids(): array {
		return array_column( $this->sidecar->query( 'SELECT event_id FROM inbound_events ORDER BY event_id' ), 'event_id' );
	}

	/**
	 * The outbox row of one event.
	 *
	 * @param string $event_id Event id.
	 */
	private function row( string $event_id ): object {
		global $wpdb;
		return $wpdb->get_row( $wpdb->prepare( 'SELECT delivered_at, rejected_at, last_error FROM ' . Outbox::table() . ' WHERE event_id = %s', $event_id ) );
	}

	public function test_an_event_the_sidecar_keeps_failing_on_is_found_after_three_tries_and_set_aside(): void {
		$this->sidecar = ( new Cartback_Sidecar() )->start();
		$this->sidecar->connect_plugin();
		$ids    = $this->queue_events( 40 );
		$poison = $ids[17];
		$this->fail_on( array( $poison ) );

		foreach ( array( 1, 2 ) as $failures ) {
			$result = Delivery::run( true );
			$this->assertSame( array( 0, 0 ), array( $result['sent'], $result['rejected'] ), 'the first 5xx only back off' );
			$this->assertStringContainsString( '500', $result['error'] );
			$this->assertSame( $failures, Delivery::state()['failures'] );
		}
		$this->assertSame( 40, Outbox::counts()['pending'] );

		$result = Delivery::run( true );
		$this->assertSame( array( 39, 1, '' ), array( $result['sent'], $result['rejected'], $result['error'] ), 'the third time the batch is split' );
		$this->assertSame( array( 'pending' => 0, 'delivered' => 39, 'rejected' => 1 ), Outbox::counts() );
		$row = $this->row( $poison );
		$this->assertNotNull( $row->rejected_at );
		$this->assertNull( $row->delivered_at );
		$this->assertStringContainsString( 'Set aside', $row->last_error );
		$this->assertStringContainsString( '500', $row->last_error );
		$expected = array_values( array_diff( $ids, array( $poison ) ) );
		sort( $expected );
		$this->assertSame( $expected, $this->stored_ids() );
		$state = Delivery::state();
		$this->assertSame( array( 0, 0, 0 ), array( $state['failures'], $state['retry_at'], $state['strikes'] ) );
		$this->assertLessThanOrEqual( 3 + 2 * 6 + 2, count( $this->calls ), 'a split costs about two requests per halving' );

		$later = $this->queue_events( 3 );
		$this->assertSame( 3, Delivery::run()['sent'], 'what comes next is delivered at once' );
		$this->assertNotNull( $this->row( $later[2] )->delivered_at );
	}

	public function test_a_split_cut_short_by_the_time_limit_goes_on_at_the_next_run(): void {
		$this->sidecar = ( new Cartback_Sidecar() )->start();
		$this->sidecar->connect_plugin();
		$ids    = $this->queue_events( 60 );
		$poison = $ids[41];
		$this->fail_on(
			function ( $batch ) use ( $poison ) {
				usleep( 200000 ); // A slow sidecar: a few requests per run of one second.
				return in_array( $poison, $batch, true );
			}
		);
		Delivery::run( true, 1 );
		Delivery::run( true, 1 );
		$runs = 0;
		while ( Outbox::counts()['pending'] && $runs < 12 ) {
			++$runs;
			$this->assertSame( '', Delivery::run( true, 1 )['error'], "run $runs" );
		}
		$this->assertGreaterThan( 1, $runs, 'the split took more than one run' );
		$this->assertSame( array( 'pending' => 0, 'delivered' => 59, 'rejected' => 1 ), Outbox::counts() );
		$this->assertNotNull( $this->row( $poison )->rejected_at );
	}

	public function test_failing_events_at_the_head_of_the_outbox_are_told_from_a_failing_sidecar(): void {
		$this->sidecar = ( new Cartback_Sidecar() )->start();
		$this->sidecar->connect_plugin();
		$ids    = $this->queue_events( 9 );
		$poison = array( $ids[0], $ids[1], $ids[6] ); // Say, one cart's snapshots the sidecar cannot take.
		$this->fail_on( $poison );
		update_option( Delivery::STATE_OPTION, array( 'strikes' => 2, 'strike_head' => $this->head_row_id() ), false );

		$result = Delivery::run( true );
		$this->assertSame( array( 6, 3, '' ), array( $result['sent'], $result['rejected'], $result['error'] ) );
		foreach ( $poison as $id ) {
			$this->assertNotNull( $this->row( $id )->rejected_at );
		}
		$this->assertSame( 6, count( $this->stored_ids() ) );
	}

	public function test_a_sidecar_that_fails_everything_or_cannot_be_reached_sets_nothing_aside(): void {
		$this->sidecar = new Cartback_Sidecar(); // Not started: connection refused.
		$this->sidecar->connect_plugin();
		$this->queue_events( 1 );
		foreach ( range( 1, 5 ) as $i ) {
			$this->assertSame( 0, Delivery::run( true )['rejected'] );
		}
		$this->assertSame( 0, Delivery::state()['strikes'], 'an unreachable sidecar is no strike' );

		$this->fail_on( null );
		foreach ( range( 1, 5 ) as $i ) {
			$result = Delivery::run( true );
			$this->assertSame( array( 0, 0 ), array( $result['sent'], $result['rejected'] ), 'one event failing alone, nothing else to compare' );
		}
		$this->queue_events( 99 );
		$this->calls = array();
		foreach ( range( 1, 5 ) as $i ) {
			$result = Delivery::run( true );
			$this->assertSame( array( 0, 0 ), array( $result['sent'], $result['rejected'] ), 'every event fails, alone too' );
			$this->assertStringContainsString( '500', $result['error'] );
		}
		$this->assertSame( array( 'pending' => 100, 'delivered' => 0, 'rejected' => 0 ), Outbox::counts() );
		$this->assertSame( 15, Delivery::state()['failures'] );
		$this->assertLessThanOrEqual( 5 * ( 1 + 7 + 1 ), count( $this->calls ), 'each run: the batch, one half per level down to one event, and one other event' );
	}

	public function test_an_event_that_fails_alone_twice_is_kept_when_the_sidecar_also_failed_without_it(): void {
		$this->sidecar = ( new Cartback_Sidecar() )->start();
		$this->sidecar->connect_plugin();
		$ids = $this->queue_events( 30 );
		// A sidecar failing now and then: the whole batch three times (the third run splits), then
		// events 0–14 — which go through in halves right after — and the way down to event 15, which
		// fails alone twice. Every other request is acknowledged.
		$this->fail_on(
			function () {
				return in_array( count( $this->calls ), array( 0, 1, 2, 3, 6, 7, 8, 9, 10, 15 ), true );
			}
		);
		Delivery::run( true );
		Delivery::run( true );
		$result = Delivery::run( true );
		$this->assertSame( array( 30, 0, '' ), array( $result['sent'], $result['rejected'], $result['error'] ), 'the 5xx for events 0–14 shows the sidecar failing at random, not on event 15' );
		$this->assertSame( 17, count( $this->calls ) );
		$this->assertNotNull( $this->row( $ids[15] )->delivered_at );
	}

	/** The oldest queued row's id. */
	private function head_row_id(): int {
		global $wpdb;
		return (int) $wpdb->get_var( 'SELECT MIN(id) FROM ' . Outbox::table() );
	}

	public function test_a_wrong_secret_keeps_every_event_and_says_why(): void {
		$this->sidecar = ( new Cartback_Sidecar() )->start();
		$this->sidecar->connect_plugin( str_repeat( 'x', 40 ) );
		$this->queue_events( 5 );
		$result = Delivery::run( true );
		$this->assertSame( 0, $result['sent'] );
		$this->assertStringContainsString( 'secret', $result['error'] );
		$this->assertSame( 5, Outbox::counts()['pending'] );
		$this->assertSame( '0', $this->sidecar->query( 'SELECT COUNT(*) AS n FROM inbound_events' )[0]['n'] );
	}

	public function test_fixing_the_connection_ends_the_backoff_so_the_next_run_delivers(): void {
		$this->sidecar = ( new Cartback_Sidecar() )->start();
		$this->sidecar->connect_plugin( str_repeat( 'x', 40 ) );
		$this->queue_events( 4 );
		Delivery::run( true );
		Delivery::run( true );
		$this->assertGreaterThan( time() + 60, Delivery::state()['retry_at'], 'two failures: two minutes' );

		$this->sidecar->connect_plugin(); // The admin pastes the right secret.
		$this->assertSame( 0, Delivery::state()['retry_at'] );
		$this->assertSame( 4, Delivery::run()['sent'], 'the scheduled run delivers at once' );
	}

	public function test_send_now_delivers_at_once_for_a_shop_manager_and_is_refused_to_a_subscriber(): void {
		$this->sidecar = ( new Cartback_Sidecar() )->start();
		$this->sidecar->connect_plugin();
		$this->queue_events( 3 );
		update_option( Delivery::STATE_OPTION, array( 'failures' => 5, 'retry_at' => time() + 3600 ), false ); // As Delivery stores it.
		$send = static function () {
			return rest_do_request( new WP_REST_Request( 'POST', '/cartback/v1/outbox/deliver' ) );
		};

		wp_set_current_user( get_user_by( 'login', 'subscriber' )->ID );
		$this->assertSame( 403, $send()->get_status() );
		$this->assertSame( 3, Outbox::counts()['pending'] );

		wp_set_current_user( get_user_by( 'login', 'admin' )->ID );
		$reply = $send();
		$this->assertSame( 200, $reply->get_status() );
		$this->assertSame( 3, $reply->get_data()['sent'], 'the backoff does not hold back "Send now"' );
		$this->assertSame( array( 'pending' => 0, 'delivered' => 3, 'rejected' => 0 ), $reply->get_data()['outbox'] );
	}

	public function test_the_wait_after_failures_doubles_up_to_an_hour(): void {
		$this->assertSame( array( 60, 120, 240, 480, 960, 1920, 3600, 3600 ), array_map( array( Delivery::class, 'backoff_seconds' ), range( 1, 8 ) ) );
	}

	public function test_delivered_rows_are_pruned_after_seven_days_and_undelivered_ones_never(): void {
		global $wpdb;
		$this->queue_events( 3 );
		$table = Outbox::table();
		$ids   = $wpdb->get_col( "SELECT id FROM {$table} ORDER BY id" );
		Outbox::mark_delivered( array( $ids[0], $ids[1] ) );
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET delivered_at = %s WHERE id = %d", gmdate( 'Y-m-d H:i:s', time() - 8 * DAY_IN_SECONDS ), $ids[0] ) );
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET created_at = %s WHERE id = %d", gmdate( 'Y-m-d H:i:s', time() - 30 * DAY_IN_SECONDS ), $ids[2] ) );

		$this->assertSame( 1, Outbox::prune( time() ) );
		$this->assertSame( array( $ids[1], $ids[2] ), $wpdb->get_col( "SELECT id FROM {$table} ORDER BY id" ) );
	}

	public function test_queueing_an_event_makes_no_network_call(): void {
		$calls = 0;
		$spy   = static function ( $pre ) use ( &$calls ) {
			++$calls;
			return $pre;
		};
		add_filter( 'pre_http_request', $spy );
		$this->queue_events( 10 );
		remove_filter( 'pre_http_request', $spy );
		$this->assertSame( 0, $calls );
		$this->assertSame( 10, Outbox::counts()['pending'] );
	}
}
