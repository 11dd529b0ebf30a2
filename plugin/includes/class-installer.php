<?php
/**
 * Activation, upgrades, deactivation and uninstall: the plugin's tables, options and schedules.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Everything the plugin creates, and how it is removed again. */
final class Installer {
	const DB_VERSION        = '2';
	const DB_VERSION_OPTION = 'cartback_db_version';

	/** Options the plugin owns (uninstall deletes every one). */
	const OPTIONS = array( Settings::CONNECTION_OPTION, Settings::CONSENT_OPTION, Delivery::STATE_OPTION, self::DB_VERSION_OPTION, Store_Profile::OPTION, Store_Access::OPTION, Monitor_Watch::MAILED_OPTION );

	/**
	 * User meta the plugin owns: its My Account choice, and the blocks checkout's copy of the
	 * opt-in field (WooCommerce keeps additional checkout fields under `_wc_other/<field id>`).
	 */
	const USER_META = array( 'cartback_whatsapp_optin', '_wc_other/cartback/whatsapp-optin' );

	/** Runs on activation. */
	public static function activate(): void {
		self::create_tables();
		add_option( Settings::CONSENT_OPTION, Settings::consent() );
		Delivery::ensure_scheduled();
		Store_Profile::queue( true ); // The sidecar learns the store's name, time zone, currency …
	}

	/** Runs on deactivation: stops the job, keeps the data (events still queued go out later). */
	public static function deactivate(): void {
		Delivery::unschedule();
		Monitor_Watch::unschedule();
		Weekly_Summary::unschedule();
	}

	/** Creates or upgrades the tables when the stored schema version is older. */
	public static function maybe_upgrade(): void {
		if ( self::DB_VERSION !== get_option( self::DB_VERSION_OPTION ) ) {
			self::create_tables();
		}
	}

	/** dbDelta for the outbox and the known contacts (version 2). */
	private static function create_tables(): void {
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		dbDelta( Outbox::schema() );
		dbDelta( Known_Contacts::schema() );
		update_option( self::DB_VERSION_OPTION, self::DB_VERSION );
	}

	/** Removes every trace: tables, options, user meta, scheduled actions (uninstall.php). */
	public static function uninstall(): void {
		global $wpdb;
		Delivery::unschedule();
		Monitor_Watch::unschedule();
		Weekly_Summary::unschedule();
		delete_transient( Monitor_Watch::TRANSIENT );
		Store_Access::forget(); // The REST API key Cartback made goes with it.
		foreach ( array( Outbox::table(), Known_Contacts::table() ) as $table ) {
			$wpdb->query( "DROP TABLE IF EXISTS {$table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		}
		foreach ( self::OPTIONS as $option ) {
			delete_option( $option );
		}
		foreach ( self::USER_META as $key ) {
			delete_metadata( 'user', 0, $key, '', true );
		}
	}
}
