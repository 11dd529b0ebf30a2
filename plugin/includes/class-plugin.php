<?php
/**
 * Wires the plugin's parts together once WooCommerce is known to be there.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The composition root: one place that says which part listens to what. */
final class Plugin {
	/**
	 * Runs on plugins_loaded. Without WooCommerce the plugin does nothing but say so in wp-admin.
	 */
	public static function boot(): void {
		load_plugin_textdomain( 'cartback', false, dirname( plugin_basename( CARTBACK_FILE ) ) . '/languages' );
		Installer::maybe_upgrade();
		// Delivery and privacy work without WooCommerce too: events already in the outbox still go
		// out, and personal-data requests still reach the sidecar. Everything else needs WooCommerce
		// (the admin screen lives under its menu).
		Delivery::register();
		Urgent_Delivery::register();
		Privacy::register();
		if ( ! self::woocommerce_active() ) {
			add_action( 'admin_notices', array( self::class, 'missing_woocommerce_notice' ) );
			return;
		}
		Capture_Cart::register();
		Capture_Checkout::register();
		Capture_Orders::register();
		Capture_Views::register();
		Capture_Customer::register();
		Consent::register();
		Restore::register();
		Restore_Attribution::register();
		Admin_Page::register();
		Dashboard_Page::register();
		Monitor_Watch::register();
		Monitor_Notice::register();
		Weekly_Summary::register();
		Rest_Controller::register();
		Store_Profile::register();
	}

	/** Whether WooCommerce (or, in the plugin's tests, its named test double) is loaded. */
	public static function woocommerce_active(): bool {
		return class_exists( 'WooCommerce' ) && function_exists( 'WC' );
	}

	/** The notice shown to admins while WooCommerce is missing. */
	public static function missing_woocommerce_notice(): void {
		if ( ! current_user_can( 'activate_plugins' ) ) {
			return;
		}
		printf(
			'<div class="notice notice-error"><p>%s</p></div>',
			esc_html__( 'Cartback needs WooCommerce. Install and activate WooCommerce; until then Cartback captures nothing and sends nothing.', 'cartback' )
		);
	}
}
