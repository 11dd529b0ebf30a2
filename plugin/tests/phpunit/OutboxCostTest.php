<?php
/**
 * What queuing an event costs a storefront request: one INSERT and no other query, even in a
 * request that has not touched the outbox table before (a real store's every request).
 *
 * @package Cartback\Tests
 */

use Cartback\Events;
use Cartback\Outbox;

/** Outbox::add. */
final class OutboxCostTest extends Cartback_Test_Case {
	public function test_queuing_an_event_is_one_insert_even_in_a_fresh_request(): void {
		global $wpdb;
		// Forget what this process learnt about tables, as a new request would have.
		foreach ( array( 'col_meta', 'table_charset' ) as $cache ) {
			$property = new ReflectionProperty( wpdb::class, $cache );
			$property->setAccessible( true );
			$property->setValue( $wpdb, array() );
		}
		$queries = array();
		$record  = static function ( $query ) use ( &$queries ) {
			$queries[] = $query;
			return $query;
		};
		add_filter( 'query', $record );
		try {
			$event = Events::emit( 'cart.emptied', array( 'cart_key' => 'c7d1f2e0a9b84c3d8e6f5a4b3c2d1e0f' ) );
		} finally {
			remove_filter( 'query', $record );
		}
		$this->assertCount( 1, $queries, 'no SHOW FULL COLUMNS or any other lookup: ' . implode( ' | ', $queries ) );
		$this->assertStringStartsWith( 'INSERT INTO ' . Outbox::table(), $queries[0] );
		$stored = $this->queued( 'cart.emptied' );
		$this->assertSame( array( $event ), $stored, 'stored exactly as emitted, unicode and slashes as is' );
	}
}
