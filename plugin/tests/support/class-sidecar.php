<?php
/**
 * A real Cartback sidecar process (the compiled service, `npm run build` first) on its own
 * fresh database, for tests that need the other half.
 *
 * @package Cartback\Tests
 */

/** Starts, stops and queries a sidecar. */
final class Cartback_Sidecar {
	const SECRET = 'cartback-test-secret-0123456789abcdef-0123456789';

	/** @var string */
	public $url;
	/** @var string */
	public $db;
	/** @var int */
	public $port;
	/** @var resource|null */
	private $proc;
	/** @var string */
	private $log;

	/**
	 * @param int|null $port A fixed port (to restart on the same URL), or a free one.
	 */
	public function __construct( ?int $port = null ) {
		$this->port = $port ?? Cartback_Test_Site::free_port();
		$this->url  = 'http://127.0.0.1:' . $this->port;
		$this->db   = 'cartback_sidecar_' . getmypid() . '_' . bin2hex( random_bytes( 3 ) );
		$this->log  = sys_get_temp_dir() . '/' . $this->db . '.log';
	}

	/** Starts the process and waits until /readyz answers 200. */
	public function start(): self {
		$main = realpath( __DIR__ . '/../../../service/dist/src/main.js' );
		if ( ! $main ) {
			throw new RuntimeException( 'service/dist is missing: run `npm run build` first' );
		}
		$env        = array(
			'PATH'                => getenv( 'PATH' ),
			'DATABASE_URL'        => 'mysql://root@127.0.0.1:3306/' . $this->db,
			'PORT'                => (string) $this->port,
			'CARTBACK_SECRET'     => self::SECRET,
			'STORE_URL'           => Cartback_Test_Site::$url,
			'LOG_LEVEL'           => 'warn',
			'ENGINE_TICK_SECONDS' => '59',
		);
		$this->proc = proc_open( array( 'node', $main ), array( 0 => array( 'file', '/dev/null', 'r' ), 1 => array( 'file', $this->log, 'a' ), 2 => array( 'file', $this->log, 'a' ) ), $pipes, null, $env );
		$deadline   = microtime( true ) + 30;
		while ( microtime( true ) < $deadline ) {
			$status = proc_get_status( $this->proc );
			if ( ! $status['running'] ) {
				throw new RuntimeException( 'The sidecar exited: ' . file_get_contents( $this->log ) );
			}
			$ready = @file_get_contents( $this->url . '/readyz' );
			if ( false !== $ready ) {
				return $this;
			}
			usleep( 100000 );
		}
		throw new RuntimeException( 'The sidecar did not become ready: ' . file_get_contents( $this->log ) );
	}

	/** Stops the process (SIGTERM, then waits). The database stays until drop(). */
	public function stop(): void {
		if ( $this->proc ) {
			proc_terminate( $this->proc, 15 );
			$deadline = microtime( true ) + 10;
			while ( proc_get_status( $this->proc )['running'] && microtime( true ) < $deadline ) {
				usleep( 50000 );
			}
			proc_close( $this->proc );
			$this->proc = null;
		}
	}

	/** Stops and drops the database. */
	public function drop(): void {
		$this->stop();
		$mysql = new mysqli( '127.0.0.1', 'root', '', '', 3306 );
		$mysql->query( 'DROP DATABASE IF EXISTS `' . $this->db . '`' );
		@unlink( $this->log );
	}

	/**
	 * A query against the sidecar's own database (what it stored).
	 *
	 * @param string $sql SQL.
	 * @return array<int, array<string, mixed>>
	 */
	public function query( string $sql ): array {
		$mysql  = new mysqli( '127.0.0.1', 'root', '', $this->db, 3306 );
		$result = $mysql->query( $sql );
		return $result instanceof mysqli_result ? $result->fetch_all( MYSQLI_ASSOC ) : array();
	}

	/** Points the plugin's connection settings at this sidecar. */
	public function connect_plugin( ?string $secret = null ): void {
		\Cartback\Settings::save_connection( $this->url, $secret ?? self::SECRET );
	}
}
