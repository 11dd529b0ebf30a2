<?php
/**
 * Loads Cartback\Foo_Bar from includes/class-foo-bar.php.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** WordPress-style file names for the plugin's own classes. */
final class Autoloader {
	/**
	 * Registers the autoloader for classes in the Cartback namespace.
	 *
	 * @param string $dir The includes folder.
	 */
	public static function register( string $dir ): void {
		spl_autoload_register(
			static function ( string $class ) use ( $dir ) {
				if ( 0 !== strpos( $class, __NAMESPACE__ . '\\' ) ) {
					return;
				}
				$name = substr( $class, strlen( __NAMESPACE__ ) + 1 );
				$file = $dir . '/class-' . strtolower( str_replace( array( '_', '\\' ), array( '-', '/' ), $name ) ) . '.php';
				if ( is_readable( $file ) ) {
					require_once $file;
				}
			}
		);
	}
}
