<?php
/**
 * WooCommerce → Cartback Dashboard: what the messages earned, per lane, and what happened to a
 * contact. PHP adds the menu entry and an empty root with the CSV download's address and nonce
 * (Csv_Export); the screen is a script built from src/dashboard/ (`npm run plugin:build`) that
 * reads the cartback/v1 dashboard routes (Rest_Dashboard) through wp-api-fetch.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The Dashboard screen's menu entry, root element and assets. */
final class Dashboard_Page {
	const SLUG   = 'cartback-dashboard';
	const HANDLE = 'cartback-dashboard';
	const ROOT   = 'cartback-dashboard-root';

	/** @var string The screen's hook suffix, once the menu is built. */
	private static $hook = '';

	/** Hooks. */
	public static function register(): void {
		// Right after WooCommerce → Cartback (Admin_Page, priority 60).
		add_action( 'admin_menu', array( self::class, 'menu' ), 61 );
		add_action( 'admin_enqueue_scripts', array( self::class, 'enqueue' ) );
		Csv_Export::register();
	}

	/** Adds WooCommerce → Cartback Dashboard. */
	public static function menu(): void {
		self::$hook = (string) add_submenu_page(
			'woocommerce',
			__( 'Cartback — Dashboard', 'cartback' ),
			__( 'Cartback Dashboard', 'cartback' ),
			'manage_woocommerce',
			self::SLUG,
			array( self::class, 'render' )
		);
	}

	/**
	 * Enqueues the screen's script and styles, on this screen only.
	 *
	 * @param string $hook_suffix The current admin page.
	 */
	public static function enqueue( $hook_suffix ): void {
		if ( '' !== self::$hook && $hook_suffix === self::$hook ) {
			Admin_Script::enqueue( 'dashboard', self::HANDLE );
		}
	}

	/** The screen: a heading and the root the script renders into. */
	public static function render(): void {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage Cartback.', 'cartback' ), 403 );
		}
		echo '<div class="wrap cartback-dashboard">';
		echo '<h1 class="wp-heading-inline">' . esc_html__( 'Cartback — Dashboard', 'cartback' ) . '</h1>';
		printf( ' <a class="page-title-action" href="%s">%s</a>', esc_url( admin_url( 'admin.php?page=' . Admin_Page::SLUG ) ), esc_html__( 'Settings', 'cartback' ) );
		echo '<hr class="wp-header-end">';
		printf(
			'<div id="%s" data-export-url="%s" data-export-nonce="%s">',
			esc_attr( self::ROOT ),
			esc_url( admin_url( 'admin-post.php' ) ),
			esc_attr( Csv_Export::nonce() )
		);
		if ( ! Admin_Script::built( 'dashboard' ) ) {
			printf(
				'<div class="notice notice-error inline"><p>%s</p></div>',
				esc_html__( 'The Cartback Dashboard has not been built. From the plugin\'s source run `npm run plugin:build`, or install a release of the plugin.', 'cartback' )
			);
		} else {
			printf( '<p class="cartback-admin-loading">%s</p>', esc_html__( 'Loading…', 'cartback' ) );
			printf( '<noscript><div class="notice notice-warning inline"><p>%s</p></div></noscript>', esc_html__( 'The Cartback Dashboard needs JavaScript.', 'cartback' ) );
		}
		echo '</div></div>';
	}
}
