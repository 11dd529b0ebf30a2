<?php
/**
 * Runs when an admin deletes the plugin: drops its table, options, user meta and scheduled
 * actions. Data already delivered to the sidecar stays there (erase it from the sidecar).
 *
 * @package Cartback
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/includes/class-autoloader.php';
\Cartback\Autoloader::register( __DIR__ . '/includes' );
if ( ! defined( 'CARTBACK_VERSION' ) ) {
	define( 'CARTBACK_VERSION', '0.1.0' );
}
\Cartback\Installer::uninstall();
