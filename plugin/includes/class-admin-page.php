<?php
/**
 * WooCommerce → Cartback: the admin screen. PHP only adds the menu entry and an empty root; the
 * screen itself is a script built from src/admin/ (`npm run plugin:build`) that talks to the
 * cartback/v1 REST routes through wp-api-fetch, whose root URL and nonce WordPress sets up.
 * Nothing secret is printed into the page.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The admin screen's menu entry, root element and assets. */
final class Admin_Page {
	const SLUG   = 'cartback';
	const HANDLE = 'cartback-admin';
	const ROOT   = 'cartback-admin-root';

	/** @var string The screen's hook suffix, once the menu is built. */
	private static $hook = '';

	/** Hooks. */
	public static function register(): void {
		// After WooCommerce's own menu (priority 9) and its first submenu entries.
		add_action( 'admin_menu', array( self::class, 'menu' ), 60 );
		add_action( 'admin_enqueue_scripts', array( self::class, 'enqueue' ) );
	}

	/** Adds WooCommerce → Cartback. */
	public static function menu(): void {
		self::$hook = (string) add_submenu_page(
			'woocommerce',
			__( 'Cartback — WhatsApp recovery', 'cartback' ),
			__( 'Cartback', 'cartback' ),
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
			Admin_Script::enqueue( 'admin', self::HANDLE );
		}
	}

	/** The screen: a heading and the root the script renders into. */
	public static function render(): void {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage Cartback.', 'cartback' ), 403 );
		}
		echo '<div class="wrap cartback-admin">';
		echo '<h1 class="wp-heading-inline">' . esc_html__( 'Cartback — WhatsApp recovery', 'cartback' ) . '</h1>';
		printf( ' <a class="page-title-action" href="%s">%s</a>', esc_url( admin_url( 'admin.php?page=' . Dashboard_Page::SLUG ) ), esc_html__( 'Dashboard', 'cartback' ) );
		echo '<hr class="wp-header-end">';
		printf( '<div id="%s">', esc_attr( self::ROOT ) );
		if ( ! Admin_Script::built( 'admin' ) ) {
			printf(
				'<div class="notice notice-error inline"><p>%s</p></div>',
				esc_html__( 'The Cartback admin screen has not been built. From the plugin\'s source run `npm run plugin:build`, or install a release of the plugin.', 'cartback' )
			);
		} else {
			printf( '<p class="cartback-admin-loading">%s</p>', esc_html__( 'Loading…', 'cartback' ) );
			printf( '<noscript><div class="notice notice-warning inline"><p>%s</p></div></noscript>', esc_html__( 'The Cartback settings need JavaScript.', 'cartback' ) );
		}
		echo '</div></div>';
	}
}
