<?php
/**
 * WooCommerce TEST DOUBLE: REST API keys — the `{prefix}woocommerce_api_keys` table with
 * WooCommerce's own columns (WC_Install::get_schema()), and the two functions WooCommerce makes
 * and hashes keys with (wc-core-functions.php), with WooCommerce's bodies: what Cartback's
 * store access writes is then exactly what WooCommerce's REST API authentication reads.
 *
 * @package Cartback\Tests
 */

if ( ! function_exists( 'wc_rand_hash' ) ) {
	/** Double of wc_rand_hash(): 40 random hex characters. */
	function wc_rand_hash() {
		return bin2hex( random_bytes( 20 ) );
	}
}

if ( ! function_exists( 'wc_api_hash' ) ) {
	/**
	 * Double of wc_api_hash(): how WooCommerce stores (and looks up) a consumer key.
	 *
	 * @param string $data The consumer key.
	 */
	function wc_api_hash( $data ) {
		return hash_hmac( 'sha256', $data, 'wc-api' );
	}
}

/** What WooCommerce's installer does for REST API keys: creates their table, as WC_Install::get_schema() defines it. */
function wc_test_double_install_api_keys() {
	global $wpdb;
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	$collate = $wpdb->get_charset_collate();
	dbDelta(
		"CREATE TABLE {$wpdb->prefix}woocommerce_api_keys (
  key_id BIGINT UNSIGNED NOT NULL auto_increment,
  user_id BIGINT UNSIGNED NOT NULL,
  description varchar(200) NULL,
  permissions varchar(10) NOT NULL,
  consumer_key char(64) NOT NULL,
  consumer_secret char(43) NOT NULL,
  nonces longtext NULL,
  truncated_key char(7) NOT NULL,
  last_access datetime NULL default null,
  PRIMARY KEY  (key_id),
  KEY consumer_key (consumer_key),
  KEY consumer_secret (consumer_secret)
) $collate;"
	);
}
