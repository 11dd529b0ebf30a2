<?php
/**
 * What delivery does with the sidecar's answer to a batch while it looks for an event at fault:
 * pure decisions, no IO (Delivery sends and writes). A batch that keeps failing with a 5xx is
 * split in halves until the event that still fails alone is found; that event is set aside only
 * when other events went through in the same run, so a sidecar that is down sets nothing aside.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Decisions about failing batches. */
final class Delivery_Triage {
	/** Consecutive 5xx answers for the same oldest event before its batch is split. */
	const STRIKES = 3;

	/** Times an event must fail alone (with others delivered meanwhile) before it is set aside. */
	const TRIES_ALONE = 2;

	/**
	 * Whether an answer is the sidecar failing on its side (5xx), as a poison event makes it do.
	 *
	 * @param int $status HTTP status, 0 when the sidecar could not be reached.
	 */
	public static function server_error( int $status ): bool {
		return $status >= 500 && $status <= 599;
	}

	/**
	 * 5xx answers in a row for the batch that starts with $head, counting this answer.
	 *
	 * @param int $status    This answer's status.
	 * @param int $head      Row id of the batch's oldest event.
	 * @param int $last_head Row id of the oldest event when the last 5xx was counted (0: none).
	 * @param int $strikes   5xx answers counted so far for $last_head.
	 */
	public static function strikes( int $status, int $head, int $last_head, int $strikes ): int {
		if ( ! self::server_error( $status ) ) {
			return 0;
		}
		return $head === $last_head ? $strikes + 1 : 1;
	}

	/**
	 * Whether to split the batch now rather than back off.
	 *
	 * @param int $strikes 5xx answers in a row for the same oldest event (see strikes()).
	 */
	public static function should_split( int $strikes ): bool {
		return $strikes >= self::STRIKES;
	}

	/**
	 * What to do with the answer to one part of a split batch.
	 *
	 * - delivered: acknowledged;
	 * - split: a 5xx for several events — send each half;
	 * - suspect: a 5xx for one event — keep it, try others, then it again;
	 * - set_aside: a 5xx for one event that has failed alone often enough while others went through,
	 *   and every 5xx in this run was for a part holding it or another suspect (else the sidecar
	 *   fails at random rather than on certain events);
	 * - stop: anything else (unreachable, refused secret, a 4xx without an event named): back off.
	 *
	 * @param int  $status           HTTP status, 0 when unreachable.
	 * @param int  $size             Events in the part sent.
	 * @param int  $tries_alone      Times this single event has now been sent alone (≥ 1 when $size is 1).
	 * @param bool $others_delivered Whether other events were acknowledged in this run.
	 * @param bool $explained        Whether the suspects explain every 5xx so far (see explained()).
	 * @return string One of delivered, split, suspect, set_aside, stop.
	 */
	public static function verdict( int $status, int $size, int $tries_alone, bool $others_delivered, bool $explained ): string {
		if ( $status >= 200 && $status < 300 ) {
			return 'delivered';
		}
		if ( ! self::server_error( $status ) ) {
			return 'stop';
		}
		if ( $size > 1 ) {
			return 'split';
		}
		return $others_delivered && $explained && $tries_alone >= self::TRIES_ALONE ? 'set_aside' : 'suspect';
	}

	/**
	 * Whether every part that got a 5xx holds one of the suspects.
	 *
	 * @param array<int, int[]> $failed   Row ids of each failed part.
	 * @param int[]             $suspects Row ids of the events still suspected.
	 */
	public static function explained( array $failed, array $suspects ): bool {
		foreach ( $failed as $part ) {
			if ( ! array_intersect( $part, $suspects ) ) {
				return false;
			}
		}
		return true;
	}

	/**
	 * How many rows the next run sends first when a split ran out of time: as many as the smallest
	 * part that failed, and at least two, so one event can still be told from another.
	 *
	 * @param array<int, int[]> $failed Row ids of each failed part.
	 */
	public static function narrowest( array $failed ): int {
		return $failed ? max( 2, min( array_map( 'count', $failed ) ) ) : 0;
	}

	/**
	 * A list cut in two halves (the first one the larger), empty halves left out.
	 *
	 * @param array $rows Rows.
	 * @return array<int, array>
	 */
	public static function halves( array $rows ): array {
		$first = (int) ceil( count( $rows ) / 2 );
		return array_values( array_filter( array( array_slice( $rows, 0, $first ), array_slice( $rows, $first ) ) ) );
	}
}
