<?php
/**
 * Router for `php -S 127.0.0.1:<port> -t /usr/share/wordpress router.php`.
 *
 * Core files are served from /usr/share/wordpress (the document root); /wp-content/… comes from
 * the test site's own content folder (CARTBACK_WP_CONTENT); anything else that is not a file
 * goes to index.php, as Apache's rewrite rules would.
 */
$cartback_path    = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );
$cartback_content = rtrim( (string) getenv( 'CARTBACK_WP_CONTENT' ), '/' );

if ( strpos( $cartback_path, '..' ) !== false ) {
	http_response_code( 400 );
	return true;
}

if ( 0 === strpos( $cartback_path, '/wp-content/' ) ) {
	$cartback_file = $cartback_content . substr( $cartback_path, strlen( '/wp-content' ) );
	if ( is_file( $cartback_file ) && '.php' !== substr( $cartback_file, -4 ) ) {
		$cartback_types = array(
			'js'    => 'application/javascript',
			'css'   => 'text/css',
			'png'   => 'image/png',
			'jpg'   => 'image/jpeg',
			'svg'   => 'image/svg+xml',
			'json'  => 'application/json',
			'woff2' => 'font/woff2',
			'map'   => 'application/json',
		);
		$cartback_ext   = strtolower( pathinfo( $cartback_file, PATHINFO_EXTENSION ) );
		header( 'Content-Type: ' . ( $cartback_types[ $cartback_ext ] ?? 'application/octet-stream' ) );
		header( 'Content-Length: ' . filesize( $cartback_file ) );
		readfile( $cartback_file );
		return true;
	}
	http_response_code( 404 );
	echo 'Not found';
	return true;
}

$cartback_core = '/usr/share/wordpress' . $cartback_path;
if ( is_file( $cartback_core ) || ( is_dir( $cartback_core ) && is_file( rtrim( $cartback_core, '/' ) . '/index.php' ) ) ) {
	return false; // The built-in server runs the .php file or serves the static one.
}

$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = '/usr/share/wordpress/index.php';
require '/usr/share/wordpress/index.php';
