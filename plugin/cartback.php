<?php
/**
 * Plugin Name:          Cartback — WhatsApp cart recovery
 * Plugin URI:           https://github.com/cartback/cartback
 * Description:          Consent-first WhatsApp recovery for WooCommerce: captures carts, checkout contacts, opt-ins and orders into a local outbox and forwards them to your self-hosted Cartback sidecar, which sends the reminders and measures what they recovered.
 * Version:              0.1.0
 * Requires at least:    6.1
 * Requires PHP:         7.4
 * Requires Plugins:     woocommerce
 * Author:               Cartback
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          cartback
 * Domain Path:          /languages
 * WC requires at least: 8.9
 * WC tested up to:      10.5
 *
 * @package Cartback
 */

defined( 'ABSPATH' ) || exit;

define( 'CARTBACK_VERSION', '0.1.0' );
define( 'CARTBACK_FILE', __FILE__ );
define( 'CARTBACK_DIR', __DIR__ );

require_once __DIR__ . '/includes/class-autoloader.php';
\Cartback\Autoloader::register( __DIR__ . '/includes' );

register_activation_hook( __FILE__, array( \Cartback\Installer::class, 'activate' ) );
register_deactivation_hook( __FILE__, array( \Cartback\Installer::class, 'deactivate' ) );

// WooCommerce's optional features Cartback works with (HPOS, the blocks, product caching …),
// declared before WooCommerce initialises.
add_action( 'before_woocommerce_init', array( \Cartback\Woo_Features::class, 'declare_compatibility' ) );

add_action( 'plugins_loaded', array( \Cartback\Plugin::class, 'boot' ), 20 );
