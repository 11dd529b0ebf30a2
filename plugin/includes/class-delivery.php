<?php
/**
 * Background delivery of the outbox to the sidecar: Action Scheduler when WooCommerce brings it,
 * WP-Cron otherwise. Signed batches of up to 500 events; on failure, exponential backoff; rows
 * stay until the sidecar acknowledges them (it ignores repeated ids, so a resend is harmless).
 * An event the sidecar refuses (400), or one it keeps failing on alone (5xx) while others go
 * through, is set aside so it cannot hold back the rest.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The delivery job and its schedule. */
final class Delivery {
	const HOOK          = 'cartback_deliver_outbox';
	const GROUP         = 'cartback';
	const STATE_OPTION  = 'cartback_delivery';
	const INTERVAL      = 60;
	const MAX_BATCH     = 500;
	const MAX_BODY      = 900000; // The sidecar takes up to 1 MiB; keep a margin.
	const MAX_BACKOFF   = 3600;
	const RUN_SECONDS   = 20;
	const CRON_SCHEDULE = 'cartback_every_minute';

	/** Hooks the job and keeps it scheduled (checked in wp-admin, never on the storefront). */
	public static function register(): void {
		add_action( self::HOOK, array( self::class, 'run' ) );
		add_filter( 'cron_schedules', array( self::class, 'cron_schedules' ) );
		add_action( 'admin_init', array( self::class, 'ensure_scheduled' ) );
	}

	/**
	 * Adds the one-minute WP-Cron interval.
	 *
	 * @param array $schedules WordPress's schedules.
	 * @return array
	 */
	public static function cron_schedules( $schedules ) {
		$schedules[ self::CRON_SCHEDULE ] = array(
			'interval' => self::INTERVAL,
			'display'  => __( 'Every minute (Cartback delivery)', 'cartback' ),
		);
		return $schedules;
	}

	/** Schedules the recurring delivery if it is not scheduled yet. */
	public static function ensure_scheduled(): void {
		if ( function_exists( 'as_schedule_recurring_action' ) && function_exists( 'as_has_scheduled_action' ) ) {
			if ( ! as_has_scheduled_action( self::HOOK, array(), self::GROUP ) ) {
				as_schedule_recurring_action( time(), self::INTERVAL, self::HOOK, array(), self::GROUP );
			}
			// Scheduled with WP-Cron before Action Scheduler was there: one schedule is enough.
			wp_clear_scheduled_hook( self::HOOK );
			return;
		}
		// On activation the plugin was not booted in this request: its interval must exist first.
		if ( false === has_filter( 'cron_schedules', array( self::class, 'cron_schedules' ) ) ) {
			add_filter( 'cron_schedules', array( self::class, 'cron_schedules' ) );
		}
		if ( ! wp_next_scheduled( self::HOOK ) ) {
			wp_schedule_event( time(), self::CRON_SCHEDULE, self::HOOK );
		}
	}

	/** Removes every scheduled delivery (deactivation, uninstall). */
	public static function unschedule(): void {
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			as_unschedule_all_actions( self::HOOK, array(), self::GROUP );
		}
		wp_clear_scheduled_hook( self::HOOK );
	}

	/**
	 * Seconds to wait after the n-th failure in a row: 1, 2, 4 … minutes, at most an hour.
	 *
	 * @param int $failures Consecutive failures (≥ 1).
	 */
	public static function backoff_seconds( int $failures ): int {
		return (int) min( self::MAX_BACKOFF, self::INTERVAL * ( 2 ** max( 0, min( 12, $failures - 1 ) ) ) );
	}

	/**
	 * The delivery state an admin sees: failures in a row, next try, last error, last success.
	 *
	 * Also, for setting aside an event at fault: 5xx answers in a row for the batch starting with
	 * row strike_head, and how many rows to send first when a split of it was cut short (0: all).
	 *
	 * @return array{failures: int, retry_at: int, last_error: string, last_success_at: int, strikes: int, strike_head: int, split_size: int}
	 */
	public static function state(): array {
		$state = get_option( self::STATE_OPTION, array() );
		return array(
			'failures'        => (int) ( $state['failures'] ?? 0 ),
			'retry_at'        => (int) ( $state['retry_at'] ?? 0 ),
			'last_error'      => (string) ( $state['last_error'] ?? '' ),
			'last_success_at' => (int) ( $state['last_success_at'] ?? 0 ),
			'strikes'         => (int) ( $state['strikes'] ?? 0 ),
			'strike_head'     => (int) ( $state['strike_head'] ?? 0 ),
			'split_size'      => (int) ( $state['split_size'] ?? 0 ),
		);
	}

	/**
	 * The job: sends batches until the outbox is empty, the sidecar fails, or the time is up.
	 *
	 * @param bool     $force   Ignore the backoff (an admin pressed "send now", the sidecar asked, an order was placed).
	 * @param int|null $seconds How long it may take at most (RUN_SECONDS by default).
	 * @return array{sent: int, rejected: int, error: string}
	 */
	public static function run( $force = false, $seconds = null ): array {
		$result = array(
			'sent'     => 0,
			'rejected' => 0,
			'error'    => '',
		);
		$state  = self::state();
		if ( ! Settings::connected() || ( ! $force && $state['retry_at'] > time() ) ) {
			return $result;
		}
		global $wpdb;
		$lock = 'cartback_outbox_' . $wpdb->prefix;
		if ( '1' !== (string) $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, 0)', $lock ) ) ) {
			return $result; // Another run is delivering.
		}
		try {
			$deadline = microtime( true ) + ( null === $seconds ? self::RUN_SECONDS : max( 1, (int) $seconds ) );
			while ( microtime( true ) < $deadline ) {
				$rows = Outbox::pending( self::MAX_BATCH );
				if ( ! $rows ) {
					break;
				}
				$batch  = self::fit( $rows );
				if ( $state['split_size'] > 1 && Delivery_Triage::should_split( $state['strikes'] ) && (int) $batch[0]->id === $state['strike_head'] ) {
					$batch = array_slice( $batch, 0, $state['split_size'] ); // Where the last split stopped.
				}
				$answer = self::send( $batch, (int) max( 1, min( 15, ceil( $deadline - microtime( true ) ) ) ) );
				if ( $answer['ok'] ) {
					Outbox::mark_delivered( wp_list_pluck( $batch, 'id' ) );
					$result['sent'] += count( $batch );
					$state           = self::success_state();
					continue;
				}
				$refused = self::refused_index( $answer );
				if ( null !== $refused && isset( $batch[ $refused ] ) ) {
					// One invalid event must not hold the others back: set it aside, resend the rest.
					Outbox::mark_rejected( (int) $batch[ $refused ]->id, $answer['message'] );
					++$result['rejected'];
					continue;
				}
				$head    = (int) $batch[0]->id;
				$strikes = Delivery_Triage::strikes( (int) $answer['status'], $head, $state['strike_head'], $state['strikes'] );
				$pending = $batch;
				if ( Delivery_Triage::should_split( $strikes ) ) {
					// The same batch keeps failing on the sidecar's side: look for an event at fault.
					$split               = self::split( $batch, $deadline );
					$result['sent']     += $split['sent'];
					$result['rejected'] += $split['rejected'];
					if ( $split['sent'] ) {
						$state = self::success_state();
					}
					if ( null === $split['answer'] ) {
						// Out of time with rows left: the next run starts with them and splits again at once.
						$state['strikes']     = $split['pending'] ? $strikes : 0;
						$state['strike_head'] = $split['pending'] ? (int) $split['pending'][0]->id : 0;
						$state['split_size']  = $split['pending'] ? $split['narrowest'] : 0;
						continue;
					}
					$answer  = $split['answer'];
					$pending = $split['pending'];
				}
				Outbox::mark_attempted( wp_list_pluck( $pending, 'id' ), $answer['code'] . ' ' . $answer['status'] );
				$failures        = $state['failures'] + 1;
				$state           = array(
					'failures'        => $failures,
					'retry_at'        => time() + self::backoff_seconds( $failures ),
					'last_error'      => $answer['message'],
					'last_success_at' => $state['last_success_at'],
					'strikes'         => $strikes,
					'strike_head'     => $pending ? (int) $pending[0]->id : $head,
					'split_size'      => 0,
				);
				$result['error'] = $answer['message'];
				break;
			}
			update_option( self::STATE_OPTION, $state, false );
			Outbox::prune( time() );
		} finally {
			$wpdb->query( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', $lock ) );
		}
		return $result;
	}

	/** The state after an acknowledged batch. */
	private static function success_state(): array {
		return array(
			'failures'        => 0,
			'retry_at'        => 0,
			'last_error'      => '',
			'last_success_at' => time(),
			'strikes'         => 0,
			'strike_head'     => 0,
			'split_size'      => 0,
		);
	}

	/**
	 * Sends a batch that keeps failing with a 5xx in halves, then quarters …, so every event that
	 * is fine goes through, and sets aside an event that still fails alone — but only when others
	 * went through in this run and the events suspected explain every 5xx of it: a sidecar that
	 * fails everything (down) or at random sets nothing aside.
	 *
	 * @param array $batch    Outbox rows that failed together.
	 * @param float $deadline When to stop (microtime).
	 * @return array{sent: int, rejected: int, answer: ?array, pending: array, narrowest: int} The
	 *         answer that ended it early (null when done or out of time), the rows still undecided
	 *         and how many rows the next run sends first when time ran out.
	 */
	private static function split( array $batch, float $deadline ): array {
		$out      = array(
			'sent'     => 0,
			'rejected' => 0,
			'answer'   => null,
			'pending'  => $batch,
		);
		$queue    = Delivery_Triage::halves( $batch );
		$failed   = array( array_map( 'intval', wp_list_pluck( $batch, 'id' ) ) ); // Row ids of each part that got a 5xx.
		$suspects = array();
		$tries    = array();
		$culprits = array(); // Row ids set aside so far.
		while ( ( $queue || $suspects ) && microtime( true ) < $deadline ) {
			if ( $queue ) {
				$part = array_shift( $queue );
			} elseif ( $out['sent'] ) {
				$part = array( array_shift( $suspects ) ); // Everything else is done: each suspect again.
			} else {
				break;
			}
			$answer  = self::send( $part, (int) max( 1, min( 15, ceil( $deadline - microtime( true ) ) ) ) );
			$refused = self::refused_index( $answer );
			if ( null !== $refused && isset( $part[ $refused ] ) ) {
				Outbox::mark_rejected( (int) $part[ $refused ]->id, $answer['message'] );
				++$out['rejected'];
				$out['pending'] = self::without( $out['pending'], array( $part[ $refused ] ) );
				array_splice( $part, $refused, 1 );
				if ( $part ) {
					array_unshift( $queue, $part );
				}
				continue;
			}
			$id = (int) $part[0]->id;
			if ( 1 === count( $part ) ) {
				$tries[ $id ] = ( $tries[ $id ] ?? 0 ) + 1;
			}
			if ( Delivery_Triage::server_error( (int) $answer['status'] ) ) {
				$failed[] = array_map( 'intval', wp_list_pluck( $part, 'id' ) );
			}
			$explained = Delivery_Triage::explained( $failed, array_merge( array( $id ), $culprits, array_map( 'intval', wp_list_pluck( $suspects, 'id' ) ) ) );
			$verdict   = Delivery_Triage::verdict( (int) $answer['status'], count( $part ), $tries[ $id ] ?? 0, $out['sent'] > 0, $explained );
			if ( 'delivered' === $verdict ) {
				Outbox::mark_delivered( wp_list_pluck( $part, 'id' ) );
				$out['sent']   += count( $part );
				$out['pending'] = self::without( $out['pending'], $part );
			} elseif ( 'split' === $verdict ) {
				array_splice( $queue, 0, 0, Delivery_Triage::halves( $part ) );
			} elseif ( 'set_aside' === $verdict ) {
				/* translators: %s: the sidecar's answer, e.g. "The sidecar answered 500: …". */
				Outbox::mark_rejected( $id, sprintf( __( 'Set aside: the sidecar failed on this event alone while other events went through. %s', 'cartback' ), $answer['message'] ) );
				++$out['rejected'];
				$culprits[]     = $id;
				$out['pending'] = self::without( $out['pending'], $part );
			} elseif ( 'suspect' === $verdict && ( $out['sent'] || self::probe( $queue, $deadline, $out ) ) ) {
				$suspects[] = $part[0];
			} else {
				$out['answer'] = $answer;
				break;
			}
		}
		$out['narrowest'] = Delivery_Triage::narrowest( $failed );
		return $out;
	}

	/**
	 * Sends one other event alone, the newest still queued, to tell an event at fault from a
	 * sidecar that fails everything. True when it was acknowledged.
	 *
	 * @param array $queue    Parts still to send; the probe leaves the last one.
	 * @param float $deadline When to stop (microtime).
	 * @param array $out      split()'s tally.
	 */
	private static function probe( array &$queue, float $deadline, array &$out ): bool {
		if ( ! $queue || microtime( true ) >= $deadline ) {
			return false;
		}
		$last  = count( $queue ) - 1;
		$probe = array_pop( $queue[ $last ] );
		if ( ! $queue[ $last ] ) {
			array_pop( $queue );
		}
		$answer = self::send( array( $probe ), (int) max( 1, min( 15, ceil( $deadline - microtime( true ) ) ) ) );
		if ( ! $answer['ok'] ) {
			return false;
		}
		Outbox::mark_delivered( array( (int) $probe->id ) );
		++$out['sent'];
		$out['pending'] = self::without( $out['pending'], array( $probe ) );
		return true;
	}

	/**
	 * $rows without those in $done (by row id).
	 *
	 * @param array $rows Outbox rows.
	 * @param array $done Outbox rows to leave out.
	 * @return array
	 */
	private static function without( array $rows, array $done ): array {
		$ids = array_flip( wp_list_pluck( $done, 'id' ) );
		return array_values(
			array_filter(
				$rows,
				static function ( $row ) use ( $ids ) {
					return ! isset( $ids[ $row->id ] );
				}
			)
		);
	}

	/**
	 * The longest prefix of $rows that fits one request.
	 *
	 * @param array $rows Outbox rows in order.
	 * @return array
	 */
	private static function fit( array $rows ): array {
		$batch = array();
		$size  = 16;
		foreach ( $rows as $row ) {
			$size += strlen( $row->payload ) + 1;
			if ( $batch && $size > self::MAX_BODY ) {
				break;
			}
			$batch[] = $row;
		}
		return $batch;
	}

	/**
	 * Posts one batch. The stored JSON is sent as is, so what was captured is what arrives.
	 *
	 * @param array $batch   Outbox rows.
	 * @param int   $timeout Seconds.
	 * @return array The client's answer.
	 */
	private static function send( array $batch, int $timeout ): array {
		$body = '{"events":[' . implode( ',', wp_list_pluck( $batch, 'payload' ) ) . ']}';
		return Sidecar_Client::request( 'POST', '/v1/events', $body, $timeout );
	}

	/**
	 * When the sidecar refused the batch for one event ("events[3].data.phone"), that event's index.
	 *
	 * @param array $answer The client's answer.
	 */
	private static function refused_index( array $answer ): ?int {
		if ( 400 !== $answer['status'] || ! is_array( $answer['body'] ) ) {
			return null;
		}
		$path = (string) ( $answer['body']['error']['path'] ?? '' );
		return preg_match( '/^events\[(\d+)\]/', $path, $m ) ? (int) $m[1] : null;
	}
}
