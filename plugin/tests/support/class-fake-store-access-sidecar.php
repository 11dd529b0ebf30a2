<?php
/**
 * A fake sidecar for the store-access tests, answering in process on pre_http_request (as
 * OutboxDeliveryTest fakes a failing sidecar): the signed `GET /v1/admin/status` a connection
 * check makes, and `PUT/GET/DELETE /v1/admin/store-access` as the sidecar's contract defines
 * them. It checks every request's signature with the shared secret and records what it got.
 * Anything else it is asked fails as if nothing listened.
 *
 * @package Cartback\Tests
 */

/** The other half of store access, in memory. */
final class Cartback_Fake_Store_Access_Sidecar {
	/** @var string Its base URL (a free port nothing listens on). */
	public $url;

	/** @var string 'ok', 'refuse' (PUT is a 422), 'down' (nothing answers), 'environment' (WOOCOMMERCE_* set), 'old' (no store-access route). */
	public $mode = 'ok';

	/** @var array<int, array{method: string, path: string, body: array|null, signed: bool}> Every request, in order. */
	public $calls = array();

	/** @var array|null The credentials it holds: {url, consumer_key, consumer_secret, key_id, granted_at}. */
	public $held;

	/** @var callable */
	private $filter;

	public function __construct() {
		$this->url    = 'http://127.0.0.1:' . Cartback_Test_Site::free_port();
		$this->filter = function ( $pre, $args, $url ) {
			return 0 === strpos( $url, $this->url . '/' ) ? $this->answer( $args, substr( $url, strlen( $this->url ) ) ) : $pre;
		};
		add_filter( 'pre_http_request', $this->filter, 10, 3 );
	}

	/** Stops answering. */
	public function remove(): void {
		remove_filter( 'pre_http_request', $this->filter, 10 );
	}

	/** Points the plugin's connection at this sidecar. */
	public function connect_plugin(): void {
		\Cartback\Settings::save_connection( $this->url, Cartback_Sidecar::SECRET );
	}

	/**
	 * The requests to one path.
	 *
	 * @param string $method HTTP method.
	 * @return array<int, array>
	 */
	public function calls_to_store_access( string $method ): array {
		return array_values(
			array_filter(
				$this->calls,
				static function ( $call ) use ( $method ) {
					return '/v1/admin/store-access' === $call['path'] && $method === $call['method'];
				}
			)
		);
	}

	/**
	 * Answers one request.
	 *
	 * @param array  $args WordPress's request arguments.
	 * @param string $path Path with query.
	 * @return array|WP_Error
	 */
	private function answer( array $args, string $path ) {
		$method  = strtoupper( $args['method'] ?? 'GET' );
		$raw     = (string) ( $args['body'] ?? '' );
		$headers = $args['headers'] ?? array();
		$signed  = null === \Cartback\Signer::verify( Cartback_Sidecar::SECRET, $headers['X-Cartback-Timestamp'] ?? null, $headers['X-Cartback-Signature'] ?? null, $method, $path, $raw, time() );
		$body    = '' === $raw ? null : json_decode( $raw, true );

		$this->calls[] = array(
			'method' => $method,
			'path'   => $path,
			'body'   => $body,
			'signed' => $signed,
		);
		if ( 'down' === $this->mode || ! in_array( $path, array( '/v1/admin/status', '/v1/admin/store-access' ), true ) ) {
			return new WP_Error( 'http_request_failed', 'cURL error 7: Failed to connect to 127.0.0.1: Connection refused' );
		}
		if ( ! $signed ) {
			return $this->reply( 401, array( 'error' => array( 'code' => 'unauthorized', 'message' => 'Invalid signature' ) ) );
		}
		if ( 'old' === $this->mode && '/v1/admin/store-access' === $path ) {
			return $this->reply( 404, array( 'error' => array( 'code' => 'not_found', 'message' => 'Not Found' ) ) );
		}
		if ( '/v1/admin/status' === $path ) {
			return $this->reply(
				200,
				array(
					'paused' => false,
					'lanes'  => array(),
				)
			);
		}
		if ( 'PUT' === $method ) {
			if ( 'refuse' === $this->mode ) {
				return $this->reply( 422, array( 'error' => array( 'code' => 'store_unreachable', 'message' => 'The store at that URL did not accept the key' ) ) );
			}
			$this->held = $body + array( 'granted_at' => gmdate( 'Y-m-d\TH:i:s\Z' ) );
		}
		if ( 'DELETE' === $method ) {
			if ( 'environment' === $this->mode ) {
				return $this->reply( 409, array( 'error' => array( 'code' => 'environment_credentials', 'message' => 'Store credentials come from the environment' ) ) );
			}
			$this->held = null;
			return $this->reply( 200, array( 'granted' => false ) );
		}
		return $this->reply( 200, $this->status() );
	}

	/** `GET /v1/admin/store-access`'s body. */
	private function status(): array {
		if ( 'environment' === $this->mode ) {
			return array(
				'granted'    => true,
				'source'     => 'environment',
				'url'        => home_url(),
				'key_ending' => 'env1234',
				'granted_at' => null,
			);
		}
		return array(
			'granted'    => null !== $this->held,
			'source'     => null !== $this->held ? 'plugin' : null,
			'url'        => $this->held['url'] ?? null,
			'key_ending' => null !== $this->held ? substr( $this->held['consumer_key'], -7 ) : null,
			'granted_at' => $this->held['granted_at'] ?? null,
		);
	}

	/**
	 * A response as WordPress's HTTP API returns one.
	 *
	 * @param int   $status HTTP status.
	 * @param array $body   JSON body.
	 */
	private function reply( int $status, array $body ): array {
		return array(
			'headers'  => array( 'content-type' => 'application/json' ),
			'body'     => (string) wp_json_encode( $body ),
			'response' => array(
				'code'    => $status,
				'message' => get_status_header_desc( $status ),
			),
			'cookies'  => array(),
			'filename' => null,
		);
	}
}
