<?php
/**
 * The test run's WordPress site: created once per PHPUnit run (fresh database), loaded into the
 * test process, and served over HTTP on demand.
 *
 * @package Cartback\Tests
 */

/** One throwaway site per run. */
final class Cartback_Test_Site {
	/** @var string */
	public static $db;
	/** @var string */
	public static $dir;
	/** @var string */
	public static $url;
	/** @var int */
	public static $port;
	/** @var resource|null The php -S process. */
	private static $server;

	/** A port nothing listens on. */
	public static function free_port(): int {
		$socket = stream_socket_server( 'tcp://127.0.0.1:0' );
		$name   = stream_socket_get_name( $socket, false );
		fclose( $socket );
		return (int) substr( strrchr( $name, ':' ), 1 );
	}

	/** Creates the site and loads WordPress into this process. */
	public static function create_and_load(): void {
		self::$db   = 'cartback_wp_' . getmypid() . '_' . bin2hex( random_bytes( 3 ) );
		self::$dir  = sys_get_temp_dir() . '/' . self::$db;
		self::$port = self::free_port();
		self::$url  = 'http://127.0.0.1:' . self::$port;
		$cmd        = array( PHP_BINARY, __DIR__ . '/../env/install-site.php', '--dir=' . self::$dir, '--db=' . self::$db, '--url=' . self::$url );
		$proc       = proc_open( $cmd, array( 1 => array( 'pipe', 'w' ), 2 => STDERR ), $pipes );
		$out        = stream_get_contents( $pipes[1] );
		if ( 0 !== proc_close( $proc ) ) {
			fwrite( STDERR, "Could not create the test WordPress site\n" );
			exit( 1 );
		}
		foreach ( json_decode( $out, true ) as $name => $value ) {
			putenv( "$name=$value" );
		}
		$_SERVER['HTTP_HOST']   = '127.0.0.1';
		$_SERVER['SERVER_NAME'] = '127.0.0.1';
		$_SERVER['REQUEST_URI'] = '/';
		require '/usr/share/wordpress/wp-load.php';
		// Registered after WordPress's own shutdown handler, so the plugin's end-of-request work
		// (the cart snapshot) still has its database when the last test's "request" ends.
		register_shutdown_function( array( self::class, 'destroy' ) );
	}

	/** Serves the site with `php -S` (started once, on first use). */
	public static function serve(): string {
		if ( null === self::$server ) {
			$cmd          = array( PHP_BINARY, '-S', '127.0.0.1:' . self::$port, '-t', '/usr/share/wordpress', __DIR__ . '/../env/router.php' );
			$log          = self::$dir . '/php-server.log';
			// Several workers, as a real server has: a request the site makes to itself (the
			// plugin's loopback, WP-Cron's spawn) is served while the first one still runs.
			$env          = array_merge( getenv(), array( 'PHP_CLI_SERVER_WORKERS' => '4' ) );
			self::$server = proc_open( $cmd, array( 0 => array( 'file', '/dev/null', 'r' ), 1 => array( 'file', $log, 'a' ), 2 => array( 'file', $log, 'a' ) ), $pipes, null, $env );
			$deadline     = microtime( true ) + 10;
			while ( microtime( true ) < $deadline ) {
				$socket = @stream_socket_client( 'tcp://127.0.0.1:' . self::$port, $errno, $errstr, 0.2 );
				if ( $socket ) {
					fclose( $socket );
					return self::$url;
				}
				usleep( 50000 );
			}
			throw new RuntimeException( 'php -S did not start: ' . file_get_contents( $log ) );
		}
		return self::$url;
	}

	/**
	 * Runs a step in a separate PHP process inside the site (activate, deactivate, uninstall, eval).
	 *
	 * @param string[] $steps Steps for env/wp-run.php.
	 * @return array{code: int, output: string}
	 */
	public static function run( array $steps ): array {
		$proc   = proc_open( array_merge( array( PHP_BINARY, __DIR__ . '/../env/wp-run.php' ), $steps ), array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		$output = stream_get_contents( $pipes[1] ) . stream_get_contents( $pipes[2] );
		return array(
			'code'   => proc_close( $proc ),
			'output' => $output,
		);
	}

	/**
	 * The outgoing HTTP requests the site made while serving requests labelled $label (the
	 * header X-Cartback-Test-Spy; see env/http-spy.php), oldest first.
	 *
	 * @param string $label The label.
	 * @return array<int, array{label: string, method: string, url: string, blocking: bool, at: float}>
	 */
	public static function http_calls( string $label ): array {
		$file  = self::$dir . '/http-spy.log';
		$calls = array();
		foreach ( is_readable( $file ) ? file( $file, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) : array() as $line ) {
			$call = json_decode( $line, true );
			if ( is_array( $call ) && $call['label'] === $label ) {
				$calls[] = $call;
			}
		}
		return $calls;
	}

	/** Stops the server and drops the database (CARTBACK_KEEP_SITE=1 keeps both for a look). */
	public static function destroy(): void {
		if ( self::$server ) {
			// The workers are the server's children and outlive it: stop them first.
			$master = (int) proc_get_status( self::$server )['pid'];
			foreach ( glob( '/proc/[0-9]*/stat' ) ?: array() as $stat ) {
				$fields = explode( ' ', (string) @file_get_contents( $stat ) );
				if ( isset( $fields[3] ) && (int) $fields[3] === $master ) {
					posix_kill( (int) $fields[0], 15 );
				}
			}
			proc_terminate( self::$server );
			proc_close( self::$server );
			self::$server = null;
		}
		if ( getenv( 'CARTBACK_KEEP_SITE' ) ) {
			fwrite( STDERR, 'Kept the test site in ' . self::$dir . ' (database ' . self::$db . ")\n" );
			return;
		}
		$mysql = new mysqli( '127.0.0.1', 'root', '', '', 3306 );
		$mysql->query( 'DROP DATABASE IF EXISTS `' . self::$db . '`' );
		exec( 'rm -rf ' . escapeshellarg( self::$dir ) );
	}
}
