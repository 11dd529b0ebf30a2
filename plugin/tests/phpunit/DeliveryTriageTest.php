<?php
/**
 * The pure decisions behind setting aside an event the sidecar keeps failing on.
 *
 * @package Cartback\Tests
 */

use Cartback\Delivery_Triage;
use PHPUnit\Framework\TestCase;

/** Delivery_Triage, table by table. */
final class DeliveryTriageTest extends TestCase {
	public function test_only_5xx_answers_count_as_strikes_for_the_same_oldest_event(): void {
		$rows = array(
			// status, head, last head, strikes so far => strikes now.
			array( 500, 7, 7, 0, 1 ),
			array( 500, 7, 7, 2, 3 ),
			array( 503, 7, 7, 1, 2 ),
			array( 502, 8, 7, 2, 1 ), // Another batch: counting starts again.
			array( 500, 7, 0, 0, 1 ),
			array( 0, 7, 7, 2, 0 ),   // Unreachable.
			array( 401, 7, 7, 2, 0 ),
			array( 400, 7, 7, 2, 0 ),
			array( 200, 7, 7, 2, 0 ),
		);
		foreach ( $rows as list( $status, $head, $last_head, $strikes, $expected ) ) {
			$this->assertSame( $expected, Delivery_Triage::strikes( $status, $head, $last_head, $strikes ), "status $status, head $head after $last_head with $strikes" );
		}
		$this->assertSame( array( false, false, false, true, true ), array_map( array( Delivery_Triage::class, 'should_split' ), range( 0, 4 ) ) );
	}

	public function test_a_single_event_is_set_aside_only_after_failing_alone_again_while_others_went_through(): void {
		$rows = array(
			// status, size, tries alone, others delivered, failures explained => verdict.
			array( 200, 250, 0, false, false, 'delivered' ),
			array( 202, 1, 1, false, true, 'delivered' ),
			array( 500, 250, 0, true, true, 'split' ),
			array( 503, 2, 0, false, false, 'split' ),
			array( 500, 1, 1, false, true, 'suspect' ),
			array( 500, 1, 1, true, true, 'suspect' ),
			array( 500, 1, 2, false, true, 'suspect' ),  // Nothing went through: maybe the sidecar is down.
			array( 500, 1, 2, true, false, 'suspect' ),  // A part without suspects failed too: flaky.
			array( 500, 1, 2, true, true, 'set_aside' ),
			array( 502, 1, 3, true, true, 'set_aside' ),
			array( 0, 1, 2, true, true, 'stop' ),        // Unreachable: never sets anything aside.
			array( 0, 40, 0, true, true, 'stop' ),
			array( 401, 1, 2, true, true, 'stop' ),
			array( 400, 1, 2, true, true, 'stop' ),      // A 400 that names no event.
			array( 404, 3, 0, true, true, 'stop' ),
		);
		foreach ( $rows as list( $status, $size, $tries, $others, $explained, $expected ) ) {
			$this->assertSame( $expected, Delivery_Triage::verdict( $status, $size, $tries, $others, $explained ), "status $status, $size events, $tries tries alone" );
		}
	}

	public function test_failures_are_explained_when_each_failed_part_holds_a_suspect(): void {
		$rows = array(
			// failed parts, suspects => explained.
			array( array(), array( 5 ), true ),
			array( array( array( 1, 2, 3, 4 ), array( 3, 4 ), array( 3 ) ), array( 3 ), true ),
			array( array( array( 1, 2, 3, 4 ), array( 1, 2 ), array( 1 ), array( 3, 4 ), array( 4 ) ), array( 1, 4 ), true ),
			array( array( array( 1, 2, 3, 4 ), array( 1, 2 ), array( 3 ) ), array( 3 ), false ), // 1–2 failed, then went through.
			array( array( array( 7 ) ), array(), false ),
		);
		foreach ( $rows as $i => list( $failed, $suspects, $expected ) ) {
			$this->assertSame( $expected, Delivery_Triage::explained( $failed, $suspects ), "row $i" );
		}
	}

	public function test_a_split_cut_short_resumes_with_its_smallest_failed_part(): void {
		$this->assertSame( 0, Delivery_Triage::narrowest( array() ) );
		$this->assertSame( 4, Delivery_Triage::narrowest( array( array( 1, 2, 3, 4, 5, 6, 7, 8 ), array( 5, 6, 7, 8 ) ) ) );
		$this->assertSame( 2, Delivery_Triage::narrowest( array( array( 1, 2, 3, 4 ), array( 1, 2 ), array( 1 ) ) ) );
	}

	public function test_halves(): void {
		$this->assertSame( array( array( 1, 2, 3 ), array( 4, 5 ) ), Delivery_Triage::halves( array( 1, 2, 3, 4, 5 ) ) );
		$this->assertSame( array( array( 1 ), array( 2 ) ), Delivery_Triage::halves( array( 1, 2 ) ) );
		$this->assertSame( array( array( 1 ) ), Delivery_Triage::halves( array( 1 ) ) );
		$this->assertSame( array(), Delivery_Triage::halves( array() ) );
	}
}
