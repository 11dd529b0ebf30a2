<?php
/**
 * Creates a throwaway WordPress site for Cartback's tests: Debian's WordPress core, a fresh
 * MariaDB database, its own wp-content (the plugin linked in, the WooCommerce test double as a
 * must-use plugin), installed with wp_install() and the plugin activated.
 *
 *   php install-site.php --dir=/tmp/site --db=cartback_wp_x --url=http://127.0.0.1:8080 \
 *       [--plugin=/path/to/plugin] [--no-woocommerce] [--no-activate] [--no-plugin]
 *
 * --no-plugin leaves wp-content/plugins empty (to install the built zip as an admin would).
 *
 * Prints the site's environment (CARTBACK_WP_CONFIG, CARTBACK_WP_CONTENT) as JSON on success.
 * Needs root once: it installs /etc/wordpress/config-127.0.0.1.php (see dispatch-config.php).
 */
$opts = getopt( '', array( 'dir:', 'db:', 'url:', 'plugin::', 'no-woocommerce', 'no-activate', 'no-plugin' ) );
foreach ( array( 'dir', 'db', 'url' ) as $required ) {
	if ( empty( $opts[ $required ] ) ) {
		fwrite( STDERR, "install-site.php: --$required is required\n" );
		exit( 2 );
	}
}
if ( ! preg_match( '/^[A-Za-z0-9_]+$/', $opts['db'] ) ) {
	fwrite( STDERR, "install-site.php: --db must be letters, digits and underscores\n" );
	exit( 2 );
}
$dir     = rtrim( $opts['dir'], '/' );
$plugin  = realpath( $opts['plugin'] ?? __DIR__ . '/../..' );
$content = $dir . '/wp-content';
$config  = $dir . '/wp-config.php';

// 1. The host-specific config Debian's wp-config.php looks for.
$dispatch = '/etc/wordpress/config-127.0.0.1.php';
$wanted   = file_get_contents( __DIR__ . '/dispatch-config.php' );
if ( ! is_file( $dispatch ) || file_get_contents( $dispatch ) !== $wanted ) {
	if ( false === @file_put_contents( $dispatch, $wanted ) ) {
		fwrite( STDERR, "install-site.php: cannot write $dispatch (run once as root)\n" );
		exit( 1 );
	}
}

// 2. A fresh database.
mysqli_report( MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT );
$mysql = new mysqli( '127.0.0.1', 'root', '', '', 3306 );
$mysql->query( "DROP DATABASE IF EXISTS `{$opts['db']}`" );
$mysql->query( "CREATE DATABASE `{$opts['db']}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" );
$mysql->close();

// 3. wp-content: the plugin linked in, the WooCommerce test double as a must-use plugin.
foreach ( array( $content . '/plugins', $content . '/mu-plugins', $content . '/uploads', $content . '/themes' ) as $folder ) {
	if ( ! is_dir( $folder ) && ! mkdir( $folder, 0777, true ) ) {
		fwrite( STDERR, "install-site.php: cannot create $folder\n" );
		exit( 1 );
	}
}
$link = $content . '/plugins/cartback';
if ( is_link( $link ) ) {
	unlink( $link );
}
if ( ! file_exists( $link ) && ! isset( $opts['no-plugin'] ) ) {
	symlink( $plugin, $link );
}
// Debian's package ships no theme: a minimal one of the tests' own, plus any that are installed.
if ( ! file_exists( $content . '/themes/test-store-theme' ) ) {
	symlink( __DIR__ . '/theme', $content . '/themes/test-store-theme' );
}
foreach ( glob( '/usr/share/wordpress/wp-content/themes/*' ) ?: array() as $theme ) {
	$target = $content . '/themes/' . basename( $theme );
	if ( ! file_exists( $target ) ) {
		symlink( $theme, $target );
	}
}
foreach ( glob( '/var/lib/wordpress/wp-content/themes/*' ) ?: array() as $theme ) {
	$target = $content . '/themes/' . basename( $theme );
	if ( ! file_exists( $target ) ) {
		symlink( $theme, $target );
	}
}
$double = $content . '/mu-plugins/woocommerce-test-double.php';
if ( isset( $opts['no-woocommerce'] ) ) {
	@unlink( $double );
} else {
	$loader = realpath( __DIR__ . '/../doubles/woocommerce/load.php' );
	file_put_contents(
		$double,
		"<?php\n/* Plugin Name: WooCommerce test double (Cartback tests only, not WooCommerce) */\nrequire_once " . var_export( $loader, true ) . ";\n"
	);
}

// The tests' HTTP spy (see http-spy.php): idle unless a request asks for it.
$spy = $content . '/mu-plugins/cartback-test-http-spy.php';
if ( ! file_exists( $spy ) ) {
	symlink( realpath( __DIR__ . '/http-spy.php' ), $spy );
}

// 4. The site's own config.
$salts = '';
foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as $key ) {
	$salts .= sprintf( "define( '%s', '%s' );\n", $key, bin2hex( random_bytes( 32 ) ) );
}
$url = rtrim( $opts['url'], '/' );
file_put_contents(
	$config,
	"<?php\n// Throwaway Cartback test site, written by install-site.php.\n"
	. "define( 'DB_NAME', " . var_export( $opts['db'], true ) . " );\n"
	. "define( 'DB_USER', 'root' );\ndefine( 'DB_PASSWORD', '' );\ndefine( 'DB_HOST', '127.0.0.1:3306' );\n"
	. "define( 'DB_CHARSET', 'utf8mb4' );\n"
	. "define( 'WP_CONTENT_DIR', " . var_export( $content, true ) . " );\n"
	. "define( 'WP_CONTENT_URL', " . var_export( $url . '/wp-content', true ) . " );\n"
	. "define( 'WP_HOME', " . var_export( $url, true ) . " );\ndefine( 'WP_SITEURL', " . var_export( $url, true ) . " );\n"
	. "define( 'WP_DEBUG', true );\ndefine( 'WP_DEBUG_DISPLAY', false );\ndefine( 'WP_DEBUG_LOG', " . var_export( $dir . '/debug.log', true ) . " );\n"
	. "define( 'DISABLE_WP_CRON', true );\ndefine( 'AUTOMATIC_UPDATER_DISABLED', true );\ndefine( 'WP_HTTP_BLOCK_EXTERNAL', true );\n"
	. "define( 'WP_ACCESSIBLE_HOSTS', '127.0.0.1,localhost' );\ndefine( 'FS_METHOD', 'direct' );\n"
	. $salts
	. "\$table_prefix = 'wp_';\n"
);

// 5. Install WordPress (and activate the plugin) in a process of its own.
$env = array_merge( getenv(), array( 'CARTBACK_WP_CONFIG' => $config, 'CARTBACK_WP_CONTENT' => $content ) );
$cmd = array( PHP_BINARY, __DIR__ . '/wp-run.php', 'install' );
if ( ! isset( $opts['no-activate'] ) && ! isset( $opts['no-plugin'] ) ) {
	$cmd[] = 'activate';
}
$proc = proc_open( $cmd, array( 1 => STDERR, 2 => STDERR ), $pipes, null, $env );
$code = proc_close( $proc );
if ( 0 !== $code ) {
	fwrite( STDERR, "install-site.php: installing WordPress failed ($code)\n" );
	exit( 1 );
}
echo json_encode( array( 'CARTBACK_WP_CONFIG' => $config, 'CARTBACK_WP_CONTENT' => $content ) ), "\n";
