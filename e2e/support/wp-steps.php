<?php
/**
 * Steps the end-to-end tests run inside the test WordPress site, in a PHP process of their own:
 *   php plugin/tests/env/wp-run.php eval e2e/support/wp-steps.php   (see support/site.ts)
 * CARTBACK_E2E_STEP names the step; the answer is one line of JSON.
 *
 *   connect     saves the sidecar's URL and secret (CARTBACK_E2E_SIDECAR_URL, CARTBACK_E2E_SECRET), as
 *               an admin does on the Cartback screen, and the opt-in wording CARTBACK_E2E_CONSENT_TEXT;
 *               answers whether it was connected before, and the opt-in's text and version
 *   disconnect  forgets the connection
 *   deliver     runs the outbox delivery job now, as WP-Cron would (DISABLE_WP_CRON is set on test sites)
 *   poll-monitors  runs the monitors' poll now, as WP-Cron would every 5 minutes; answers whether
 *               the sidecar answered and what is cached as paused
 *
 * @package Cartback\Tests
 */

use Cartback\Delivery;
use Cartback\Monitor_Watch;
use Cartback\Settings;

switch ( getenv( 'CARTBACK_E2E_STEP' ) ) {
	case 'connect':
		$cartback_was_connected = Settings::connected();
		Settings::save_connection( (string) getenv( 'CARTBACK_E2E_SIDECAR_URL' ), (string) getenv( 'CARTBACK_E2E_SECRET' ) );
		$cartback_text    = (string) getenv( 'CARTBACK_E2E_CONSENT_TEXT' );
		$cartback_consent = '' !== $cartback_text ? Settings::save_consent_text( $cartback_text ) : Settings::consent();
		echo wp_json_encode( array( 'was_connected' => $cartback_was_connected, 'consent' => $cartback_consent ) ), "\n";
		break;
	case 'disconnect':
		delete_option( Settings::CONNECTION_OPTION );
		echo "{}\n";
		break;
	case 'deliver':
		echo wp_json_encode( Delivery::run( true ) ), "\n";
		break;
	case 'poll-monitors':
		$cartback_polled = Monitor_Watch::poll();
		echo wp_json_encode( array( 'polled' => $cartback_polled ) + Monitor_Watch::cached() ), "\n";
		break;
	default:
		fwrite( STDERR, 'wp-steps.php: unknown CARTBACK_E2E_STEP ' . getenv( 'CARTBACK_E2E_STEP' ) . "\n" );
		exit( 2 );
}
