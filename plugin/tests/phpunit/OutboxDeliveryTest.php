<?php
/**
 * The outbox against a real sidecar process: nothing lost while it is down, everything delivered
 * exactly once when it returns, a resend after a lost acknowledgement harmless.
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

	protected function tearDown(): void {
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
