<?php
/**
 * Declares which of WooCommerce's optional features Cartback works with, so WooCommerce →
 * Settings → Advanced → Features does not list it as incompatible. The ids are those WooCommerce's
 * FeaturesController checks compatibility for (src/Internal/Features/FeaturesController.php):
 * features marked `skip_compatibility_checks` there never ask plugins, so they are not listed, and
 * features whose data Cartback neither reads nor writes (cost of goods, fulfilments, MCP) keep
 * WooCommerce's default, compatible.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** WooCommerce feature compatibility, declared on before_woocommerce_init. */
final class Woo_Features {
	/**
	 * Feature id => why Cartback works with it.
	 *
	 * An id an older WooCommerce does not know is harmless: its FeaturesController::declare_compatibility()
	 * returns false for an unknown feature without a notice.
	 */
	const COMPATIBLE = array(
		// High-performance order storage: orders and their meta are read and written only through
		// the order object (get_meta / update_meta_data / save_meta_data) and wc_get_orders().
		'custom_order_tables'      => 'HPOS',
		// The checkout block: the opt-in is an Additional Checkout Field, contact capture uses the Store API's hooks.
		'cart_checkout_blocks'     => 'Cart & Checkout blocks',
		// "Cache Product Objects" (WooCommerce 10.5+): products are only read, never changed in memory.
		'product_instance_caching' => 'Cache Product Objects',
		// "Clear Customer Sessions When Empty": Cartback keeps its keys in the session's data, never in a cookie of its own.
		'destroy-empty-sessions'   => 'Clear Customer Sessions When Empty',
	);

	/** Runs on before_woocommerce_init (the only time WooCommerce accepts declarations). */
	public static function declare_compatibility(): void {
		if ( ! class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) || ! method_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class, 'declare_compatibility' ) ) {
			return; // A WooCommerce without feature declarations.
		}
		foreach ( array_keys( self::COMPATIBLE ) as $feature ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( $feature, CARTBACK_FILE, true );
		}
	}
}
