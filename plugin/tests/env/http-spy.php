<?php
/**
 * Plugin Name: Cartback tests' HTTP spy (test sites only)
 *
 * A must-use plugin install-site.php puts on every test site. When a served request carries the
 * header `X-Cartback-Test-Spy: <label>`, every outgoing HTTP request WordPress makes during it
 * (wp_remote_*, seen on pre_http_request) is appended as one JSON line — label, method, URL and
 * whether the caller waits for the answer — to http-spy.log next to the site's wp-config.php.
 * The request itself goes on unchanged.
 *
 * @package Cartback\Tests
 */

$cartback_spy_label = isset( $_SERVER['HTTP_X_CARTBACK_TEST_SPY'] ) ? (string) $_SERVER['HTTP_X_CARTBACK_TEST_SPY'] : '';
if ( '' !== $cartback_spy_label && getenv( 'CARTBACK_WP_CONFIG' ) ) {
	add_filter(
		'pre_http_request',
		static function ( $pre, $args, $url ) use ( $cartback_spy_label ) {
			$line = json_encode(
				array(
					'label'    => $cartback_spy_label,
					'method'   => $args['method'] ?? 'GET',
					'url'      => $url,
					'blocking' => (bool) ( $args['blocking'] ?? true ),
					'at'       => microtime( true ),
				)
			);
			file_put_contents( dirname( getenv( 'CARTBACK_WP_CONFIG' ) ) . '/http-spy.log', $line . "\n", FILE_APPEND | LOCK_EX );
			return $pre;
		},
		PHP_INT_MIN,
		3
	);
}
