<?php
/**
 * Installed by Cartback's test scripts as /etc/wordpress/config-127.0.0.1.php.
 *
 * Debian's wp-config.php picks /etc/wordpress/config-<host>.php by the request's host. This file
 * hands over to the site a test run created: the path of its own config comes from the
 * CARTBACK_WP_CONFIG environment variable, so several throwaway sites (each with its own
 * database and wp-content) can run side by side without touching a real site's config.
 */
$cartback_site_config = getenv( 'CARTBACK_WP_CONFIG' );
if ( ! $cartback_site_config || ! is_readable( $cartback_site_config ) ) {
	header( 'HTTP/1.0 500 Internal Server Error' );
	echo 'CARTBACK_WP_CONFIG does not name a readable site config (Cartback test site).';
	exit( 1 );
}
require $cartback_site_config;
