<?php
/**
 * The notice across wp-admin while a monitor has paused sending. It reads only the cached state
 * (Monitor_Watch::cached, a transient the 5-minute poll refreshes), so no wp-admin page waits on
 * the sidecar. Resume is a button on the Cartback screen; the notice links to it.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The paused-by-a-monitor notice. */
final class Monitor_Notice {
	/** Hooks. */
	public static function register(): void {
		add_action( 'admin_notices', array( self::class, 'render' ) );
	}

	/** Prints the notice for shop managers when something is paused; nothing otherwise. */
	public static function render(): void {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			return;
		}
		$state = Monitor_Watch::cached();
		if ( array() === $state['paused'] ) {
			return;
		}
		$lines = array();
		foreach ( $state['active'] as $event ) {
			$lines[] = 'all' === $event['target']
				? sprintf(
					/* translators: %s: why, in plain words. */
					__( 'All WhatsApp sending is paused: %s', 'cartback' ),
					$event['detail']
				)
				: sprintf(
					/* translators: 1: the lane, 2: why, in plain words. */
					__( 'The %1$s messages are paused: %2$s', 'cartback' ),
					$event['target'],
					$event['detail']
				);
		}
		if ( array() === $lines ) {
			/* translators: %s: the paused lanes, comma-separated. */
			$lines[] = sprintf( __( 'Paused: %s.', 'cartback' ), implode( ', ', $state['paused'] ) );
		}
		echo '<div class="notice notice-error cartback-monitor-notice" id="cartback-monitor-notice"><p><strong>';
		echo esc_html__( 'Cartback paused sending before WhatsApp does.', 'cartback' );
		echo '</strong></p>';
		foreach ( $lines as $line ) {
			echo '<p>' . esc_html( $line ) . '</p>';
		}
		printf(
			'<p><a class="button button-primary" href="%s">%s</a></p></div>',
			esc_url( admin_url( 'admin.php?page=' . Admin_Page::SLUG . '#cartback-monitors' ) ),
			esc_html__( 'Review and resume', 'cartback' )
		);
	}
}
