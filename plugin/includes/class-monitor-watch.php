<?php
/**
 * The sidecar's monitors, as wp-admin sees them (issue 12, part 4). Every 5 minutes a WP-Cron
 * job pulls the signed `GET /v1/admin/monitors`, keeps what is paused in a transient (so the
 * notice on every wp-admin page reads one cached value and never calls the sidecar), and emails
 * the store admin once for each new firing.
 *
 * Why the plugin pulls rather than the sidecar pushing: the sidecar already answers signed
 * requests from the plugin, and a pull needs no new inbound route on the store, survives a store
 * that was down when the monitor fired (the next pull still sees the firing), and cannot mail
 * twice: the highest firing id mailed is kept in an option and only later ones are mailed.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The monitors' poll, cache and alert emails. */
final class Monitor_Watch {
	const HOOK          = 'cartback_poll_monitors';
	const CRON_SCHEDULE = 'cartback_every_five_minutes';
	const INTERVAL      = 300;
	/** The cached `{paused: string[], active: array[], at: int}`. */
	const TRANSIENT = 'cartback_monitors';
	/** How long the cache is trusted: three polls. */
	const TTL = 900;
	/** The highest firing id already mailed. */
	const MAILED_OPTION = 'cartback_monitor_mailed';

	/** Hooks the poll and keeps it scheduled (checked in wp-admin). */
	public static function register(): void {
		add_action( self::HOOK, array( self::class, 'poll' ) );
		add_filter( 'cron_schedules', array( self::class, 'cron_schedules' ) );
		add_action( 'admin_init', array( self::class, 'ensure_scheduled' ) );
	}

	/**
	 * Adds the five-minute WP-Cron interval.
	 *
	 * @param array $schedules WordPress's schedules.
	 * @return array
	 */
	public static function cron_schedules( $schedules ) {
		$schedules[ self::CRON_SCHEDULE ] = array(
			'interval' => self::INTERVAL,
			'display'  => __( 'Every five minutes (Cartback monitors)', 'cartback' ),
		);
		return $schedules;
	}

	/** Schedules the poll if it is not scheduled yet. */
	public static function ensure_scheduled(): void {
		if ( false === has_filter( 'cron_schedules', array( self::class, 'cron_schedules' ) ) ) {
			add_filter( 'cron_schedules', array( self::class, 'cron_schedules' ) );
		}
		if ( ! wp_next_scheduled( self::HOOK ) ) {
			wp_schedule_event( time(), self::CRON_SCHEDULE, self::HOOK );
		}
	}

	/** Removes the schedule (deactivation, uninstall). */
	public static function unschedule(): void {
		wp_clear_scheduled_hook( self::HOOK );
	}

	/**
	 * One poll: asks the sidecar, caches what is paused, mails new firings. Returns whether the
	 * sidecar answered; when it does not, the cache is left to expire (no notice on stale facts).
	 */
	public static function poll(): bool {
		$answer = Sidecar_Client::request( 'GET', '/v1/admin/monitors', null, 5 );
		if ( ! $answer['ok'] || ! is_array( $answer['body'] ) ) {
			return false;
		}
		self::remember( $answer['body'] );
		self::mail_new( is_array( $answer['body']['recent'] ?? null ) ? $answer['body']['recent'] : array() );
		return true;
	}

	/**
	 * Caches the sidecar's `{paused, active}` (from a poll, or from a Resume's answer).
	 *
	 * @param array $reply The sidecar's GET /v1/admin/monitors reply (or one with `paused` alone).
	 */
	public static function remember( array $reply ): void {
		$paused = array_values( array_filter( (array) ( $reply['paused'] ?? array() ), 'is_string' ) );
		$active = array();
		foreach ( (array) ( $reply['active'] ?? array() ) as $event ) {
			if ( is_array( $event ) && in_array( $event['target'] ?? null, $paused, true ) ) {
				$active[] = array(
					'target' => (string) $event['target'],
					'detail' => (string) ( $event['detail'] ?? '' ),
				);
			}
		}
		set_transient(
			self::TRANSIENT,
			array(
				'paused' => $paused,
				'active' => $active,
				'at'     => time(),
			),
			self::TTL
		);
	}

	/**
	 * What a monitor has paused, from the cache only: `{paused: string[], active: [{target, detail}]}`.
	 *
	 * @return array{paused: string[], active: array<int, array{target: string, detail: string}>}
	 */
	public static function cached(): array {
		$cached = get_transient( self::TRANSIENT );
		return array(
			'paused' => is_array( $cached ) ? (array) ( $cached['paused'] ?? array() ) : array(),
			'active' => is_array( $cached ) ? (array) ( $cached['active'] ?? array() ) : array(),
		);
	}

	/**
	 * Mails the store admin once per firing newer than the last mailed. On the first poll ever only
	 * firings still active are mailed (not a history of old ones).
	 *
	 * @param array $recent The sidecar's recent firings, newest first.
	 * @return int How many emails were sent.
	 */
	public static function mail_new( array $recent ): int {
		$mailed = get_option( self::MAILED_OPTION, null );
		$last   = null === $mailed ? 0 : (int) $mailed;
		$top    = $last;
		$sent   = 0;
		foreach ( array_reverse( $recent ) as $event ) {
			$id = is_array( $event ) ? (int) ( $event['id'] ?? 0 ) : 0;
			if ( $id <= $last ) {
				continue;
			}
			$top = max( $top, $id );
			if ( null === $mailed && empty( $event['active'] ) ) {
				continue;
			}
			if ( self::mail_firing( $event ) ) {
				++$sent;
			}
		}
		if ( $top !== $last || null === $mailed ) {
			update_option( self::MAILED_OPTION, $top, false );
		}
		return $sent;
	}

	/**
	 * The alert email for one firing.
	 *
	 * @param array $event A firing: target, detail, fired_at.
	 */
	private static function mail_firing( array $event ): bool {
		$target = (string) ( $event['target'] ?? '' );
		$what   = 'all' === $target
			? __( 'all WhatsApp sending', 'cartback' )
			/* translators: %s: the lane's name, such as abandoned_cart. */
			: sprintf( __( 'the %s messages', 'cartback' ), $target );
		/* translators: 1: what was paused, 2: the store's name. */
		$subject = sprintf( __( 'Cartback paused %1$s on %2$s', 'cartback' ), $what, get_bloginfo( 'name' ) );
		$body    = implode(
			"\n\n",
			array(
				/* translators: %s: what was paused. */
				sprintf( __( 'A Cartback monitor paused %s before WhatsApp acts on it.', 'cartback' ), $what ),
				(string) ( $event['detail'] ?? '' ),
				__( 'Check the messages and templates, then press Resume on the Cartback screen:', 'cartback' ),
				admin_url( 'admin.php?page=' . Admin_Page::SLUG ),
			)
		);
		return (bool) wp_mail( (string) get_option( 'admin_email' ), $subject, $body );
	}
}
