<?php
/**
 * Wraps captured facts as events (DESIGN.md, "Plugin → service") and puts them in the outbox.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The one door every captured event goes through. */
final class Events {
	/** @var int While above zero (a cart being restored), nothing is captured. */
	private static $suppressed = 0;

	/**
	 * Records an event for delivery: one INSERT, no network.
	 *
	 * @param string $type The event type, e.g. "cart.updated".
	 * @param array  $data Its data, exactly as the shared schema says.
	 * @return array|null The event as queued, or null when capture is suppressed.
	 */
	public static function emit( string $type, array $data ): ?array {
		if ( self::$suppressed > 0 ) {
			return null;
		}
		$event = array(
			'id'          => wp_generate_uuid4(),
			'type'        => $type,
			'occurred_at' => self::now_iso(),
			'data'        => $data,
		);
		Outbox::add( $event );
		/**
		 * Fires after an event is queued for the sidecar.
		 *
		 * @param array $event The event.
		 */
		do_action( 'cartback_event_queued', $event );
		return $event;
	}

	/**
	 * Runs $work with capture switched off (the plugin's own cart changes, e.g. a restore).
	 *
	 * @param callable $work What to run.
	 * @return mixed What $work returned.
	 */
	public static function without_capture( callable $work ) {
		++self::$suppressed;
		try {
			return $work();
		} finally {
			--self::$suppressed;
		}
	}

	/** Whether capture is switched off right now. */
	public static function suppressed(): bool {
		return self::$suppressed > 0;
	}

	/**
	 * Now as ISO 8601 UTC with milliseconds: two snapshots in one second still order by time.
	 */
	public static function now_iso(): string {
		$now = \DateTimeImmutable::createFromFormat( 'U.u', sprintf( '%.6F', microtime( true ) ) );
		return $now->setTimezone( new \DateTimeZone( 'UTC' ) )->format( 'Y-m-d\TH:i:s.v\Z' );
	}
}
