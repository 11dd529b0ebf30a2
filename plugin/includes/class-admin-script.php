<?php
/**
 * Enqueues one of the plugin's built admin scripts (wp-scripts' build/<name>.js with its
 * dependencies from build/<name>.asset.php, its translations and its styles), for the screens
 * that render into a React root: the Cartback screen and its Dashboard.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** A built admin script. */
final class Admin_Script {

	/**
	 * Enqueues build/<name>.js as `$handle` and build/<name>.css when there is one; nothing when
	 * the script has not been built.
	 *
	 * @param string $name   The entry point's name in the build.
	 * @param string $handle The script and style handle.
	 */
	public static function enqueue( string $name, string $handle ): void {
		$asset = self::asset( $name );
		if ( null === $asset ) {
			return;
		}
		$dependencies = isset( $asset['dependencies'] ) && is_array( $asset['dependencies'] ) ? $asset['dependencies'] : array();
		$version      = isset( $asset['version'] ) ? (string) $asset['version'] : CARTBACK_VERSION;
		wp_enqueue_script( $handle, plugins_url( "build/{$name}.js", CARTBACK_FILE ), $dependencies, $version, true );
		wp_set_script_translations( $handle, 'cartback', CARTBACK_DIR . '/languages' );
		wp_enqueue_style( 'wp-components' );
		if ( is_readable( CARTBACK_DIR . "/build/{$name}.css" ) ) {
			wp_enqueue_style( $handle, plugins_url( "build/{$name}.css", CARTBACK_FILE ), array( 'wp-components' ), $version );
			wp_style_add_data( $handle, 'rtl', 'replace' ); // build/<name>-rtl.css.
		}
	}

	/**
	 * Whether build/<name>.js has been built (its asset file is there).
	 *
	 * @param string $name The entry point's name in the build.
	 */
	public static function built( string $name ): bool {
		return null !== self::asset( $name );
	}

	/**
	 * The build's asset file for the entry point, or null when it has not been built.
	 *
	 * @param string $name The entry point's name in the build.
	 */
	private static function asset( string $name ): ?array {
		$file = CARTBACK_DIR . "/build/{$name}.asset.php";
		if ( ! is_readable( $file ) ) {
			return null;
		}
		$asset = require $file;
		return is_array( $asset ) ? $asset : null;
	}
}
