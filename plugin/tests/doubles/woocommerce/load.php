<?php
/**
 * WooCommerce TEST DOUBLE — not WooCommerce. WooCommerce cannot be installed on the machines
 * Cartback is tested on, so this must-use plugin defines only the classes, functions and hooks
 * the Cartback plugin calls, with WooCommerce's names and signatures (checked against
 * woocommerce/woocommerce's source), backed by memory and the options table. Served over HTTP
 * (`php -S`), it also keeps a shopper's session, cart and notices across requests behind
 * WooCommerce's session cookie, and shows a shop, a cart and a classic checkout page
 * (double-storefront-*.php).
 *
 * Each file here covers one area (cart, session, orders …) and is loaded in name order.
 *
 * @package Cartback\Tests
 */

foreach ( glob( __DIR__ . '/double-*.php' ) as $cartback_double_file ) {
	require_once $cartback_double_file;
}
