<?php
/**
 * Runs steps inside the test site named by CARTBACK_WP_CONFIG:
 *   php wp-run.php install [activate]   install WordPress (and activate Cartback)
 *   php wp-run.php activate | deactivate | uninstall
 *   php wp-run.php eval <file.php>      load WordPress, then include the file
 */
$steps = array_slice( $argv, 1 );
if ( ! $steps ) {
	fwrite( STDERR, "wp-run.php: name a step\n" );
	exit( 2 );
}
$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['SERVER_NAME'] = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
if ( 'install' === $steps[0] ) {
	define( 'WP_INSTALLING', true );
}
require '/usr/share/wordpress/wp-load.php';

while ( $steps ) {
	$step = array_shift( $steps );
	switch ( $step ) {
		case 'install':
			require_once ABSPATH . 'wp-admin/includes/upgrade.php';
			add_filter( 'pre_wp_mail', '__return_false' ); // No mail server here: skip the welcome mail.
			wp_install( 'Cartback Test Store', 'admin', 'admin@example.com', false, '', 'admin-password' );
			switch_theme( 'test-store-theme' );
			// WooCommerce's installer gives these roles its capability; the double does the same here.
			get_role( 'administrator' )->add_cap( 'manage_woocommerce' );
			wp_insert_user( array( 'user_login' => 'subscriber', 'user_pass' => 'subscriber-password', 'user_email' => 'subscriber@example.com', 'role' => 'subscriber' ) );
			wp_insert_user( array( 'user_login' => 'shopper', 'user_pass' => 'shopper-password', 'user_email' => 'shopper@example.com', 'role' => 'subscriber', 'first_name' => 'Anna' ) );
			if ( function_exists( 'wc_test_double_install_storefront' ) ) {
				wc_test_double_install_storefront(); // The shop, cart and checkout pages, as WooCommerce's installer makes them.
			}
			if ( function_exists( 'wc_test_double_install_api_keys' ) ) {
				wc_test_double_install_api_keys(); // WooCommerce's REST API keys table.
			}
			if ( $steps ) {
				// Activation must run in a process where the site is installed and plugins load.
				$cmd  = array( PHP_BINARY, __FILE__ );
				$cmd  = array_merge( $cmd, $steps );
				$proc = proc_open( $cmd, array( 1 => STDOUT, 2 => STDERR ), $pipes );
				exit( proc_close( $proc ) );
			}
			break;
		case 'activate':
			require_once ABSPATH . 'wp-admin/includes/plugin.php';
			$result = activate_plugin( 'cartback/cartback.php' );
			if ( is_wp_error( $result ) ) {
				fwrite( STDERR, 'activate: ' . $result->get_error_message() . "\n" );
				exit( 1 );
			}
			break;
		case 'deactivate':
			require_once ABSPATH . 'wp-admin/includes/plugin.php';
			deactivate_plugins( 'cartback/cartback.php' );
			break;
		case 'uninstall':
			require_once ABSPATH . 'wp-admin/includes/plugin.php';
			deactivate_plugins( 'cartback/cartback.php' );
			uninstall_plugin( 'cartback/cartback.php' );
			break;
		case 'eval':
			include array_shift( $steps );
			break;
		default:
			fwrite( STDERR, "wp-run.php: unknown step $step\n" );
			exit( 2 );
	}
}
