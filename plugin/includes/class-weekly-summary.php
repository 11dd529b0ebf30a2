<?php
/**
 * The weekly summary email to the store admin (issue 12, part 5): a weekly WP-Cron job fetches
 * the signed `GET /v1/admin/summary/weekly` and mails recovered revenue, messages sent,
 * opt-outs and the monitors' pauses of the week. The incremental revenue (the holdout lift with
 * its interval) is said to be not available until the sidecar reports it.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The weekly summary job and its email. */
final class Weekly_Summary {
	const HOOK = 'cartback_weekly_summary';

	/** Hooks the job and keeps it scheduled (checked in wp-admin). */
	public static function register(): void {
		add_action( self::HOOK, array( self::class, 'send' ) );
		add_action( 'admin_init', array( self::class, 'ensure_scheduled' ) );
	}

	/** Schedules the weekly job if it is not scheduled yet. */
	public static function ensure_scheduled(): void {
		if ( ! wp_next_scheduled( self::HOOK ) ) {
			wp_schedule_event( time() + DAY_IN_SECONDS, 'weekly', self::HOOK );
		}
	}

	/** Removes the schedule (deactivation, uninstall). */
	public static function unschedule(): void {
		wp_clear_scheduled_hook( self::HOOK );
	}

	/** Fetches the week's figures and mails them; false when the sidecar did not answer. */
	public static function send(): bool {
		$answer = Sidecar_Client::request( 'GET', '/v1/admin/summary/weekly', null, 10 );
		if ( ! $answer['ok'] || ! is_array( $answer['body'] ) ) {
			return false;
		}
		/* translators: %s: the store's name. */
		$subject = sprintf( __( 'Cartback: your week on %s', 'cartback' ), get_bloginfo( 'name' ) );
		return (bool) wp_mail( (string) get_option( 'admin_email' ), $subject, self::body( $answer['body'] ) );
	}

	/**
	 * The email's text.
	 *
	 * @param array $summary The sidecar's weekly summary.
	 */
	public static function body( array $summary ): string {
		$lines     = array();
		$recovered = is_array( $summary['recovered'] ?? null ) ? $summary['recovered'] : array();
		if ( array() === $recovered ) {
			$lines[] = __( 'Recovered: no orders this week.', 'cartback' );
		}
		foreach ( $recovered as $row ) {
			$lines[] = sprintf(
				/* translators: 1: amount with currency, 2: number of orders. */
				_n( 'Recovered: %1$s from %2$d order.', 'Recovered: %1$s from %2$d orders.', (int) ( $row['orders'] ?? 0 ), 'cartback' ),
				self::money( (int) ( $row['amount'] ?? 0 ), (string) ( $row['currency'] ?? '' ) ),
				(int) ( $row['orders'] ?? 0 )
			);
		}
		$lines[] = is_array( $summary['incremental'] ?? null ) && isset( $summary['incremental']['text'] )
			? (string) $summary['incremental']['text']
			: __( 'Incremental revenue (against the holdout group): not measured yet.', 'cartback' );
		/* translators: %d: number of messages. */
		$lines[] = sprintf( __( 'Messages sent: %d.', 'cartback' ), (int) ( $summary['sent'] ?? 0 ) );
		/* translators: %d: number of shoppers. */
		$lines[] = sprintf( __( 'Opt-outs: %d.', 'cartback' ), (int) ( $summary['opt_outs'] ?? 0 ) );
		$firings = (int) ( $summary['monitor_firings'] ?? 0 );
		if ( $firings > 0 ) {
			/* translators: %d: number of pauses. */
			$lines[] = sprintf( __( 'Monitors paused sending %d times.', 'cartback' ), $firings );
		}
		$lines[] = admin_url( 'admin.php?page=' . Admin_Page::SLUG );
		return implode( "\n", $lines );
	}

	/**
	 * Minor units in the currency's own digits (ISO 4217: Money::exponent), then its code.
	 *
	 * @param int    $minor    Amount in minor units.
	 * @param string $currency ISO 4217 code.
	 */
	private static function money( int $minor, string $currency ): string {
		$decimals = Money::exponent( $currency );
		return trim( number_format_i18n( $minor / ( 10 ** $decimals ), $decimals ) . ' ' . $currency );
	}
}
