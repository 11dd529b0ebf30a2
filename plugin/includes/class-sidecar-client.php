<?php
/**
 * Signed HTTP calls from WordPress to the Cartback sidecar. Used only from background jobs and
 * admin requests, never while a shopper's page is being built.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** One signed request, one plain answer: `{ok, status, body, code, message}`. */
final class Sidecar_Client {
	/**
	 * Sends a signed request.
	 *
	 * @param string     $method  GET, POST, PUT, DELETE.
	 * @param string     $path    Path with query, e.g. "/v1/events".
	 * @param array|string|null $payload JSON body: an array to encode, a string already encoded, null for none.
	 * @param int        $timeout Seconds.
	 * @return array{ok: bool, status: int, body: mixed, code: string, message: string}
	 */
	public static function request( string $method, string $path, $payload = null, int $timeout = 10 ): array {
		$base = Settings::sidecar_url();
		if ( '' === $base || '' === Settings::secret() ) {
			return self::failure( 0, 'not_configured', __( 'Cartback is not connected yet: enter the sidecar URL and the shared secret.', 'cartback' ) );
		}
		$body      = is_string( $payload ) ? $payload : ( null === $payload ? '' : (string) wp_json_encode( $payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) );
		$base_path = (string) wp_parse_url( $base, PHP_URL_PATH );
		$signed    = rtrim( $base_path, '/' ) . $path;
		$headers   = Signer::headers( Settings::secret(), $method, $signed, $body );
		$headers['Accept'] = 'application/json';
		if ( '' !== $body ) {
			$headers['Content-Type'] = 'application/json';
		}
		$response = wp_remote_request(
			$base . $path,
			array(
				'method'      => strtoupper( $method ),
				'headers'     => $headers,
				'body'        => '' === $body ? null : $body,
				'timeout'     => $timeout,
				'redirection' => 0,
				'user-agent'  => 'Cartback/' . CARTBACK_VERSION . '; ' . home_url( '/' ),
			)
		);
		if ( is_wp_error( $response ) ) {
			return self::failure(
				0,
				'unreachable',
				/* translators: %s: the error from the HTTP library, e.g. "Connection refused". */
				sprintf( __( 'The sidecar could not be reached: %s. Check the URL and that the sidecar is running.', 'cartback' ), $response->get_error_message() )
			);
		}
		$status  = (int) wp_remote_retrieve_response_code( $response );
		$decoded = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( $status >= 200 && $status < 300 ) {
			return array(
				'ok'      => true,
				'status'  => $status,
				'body'    => $decoded,
				'code'    => '',
				'message' => '',
			);
		}
		$error = is_array( $decoded ) && isset( $decoded['error'] ) && is_array( $decoded['error'] ) ? $decoded['error'] : array();
		if ( 401 === $status ) {
			return self::failure( $status, 'unauthorized', __( 'The sidecar refused the shared secret. Paste the CARTBACK_SECRET the sidecar printed at its first start (or its configured value).', 'cartback' ), $decoded );
		}
		$message = isset( $error['message'] ) ? (string) $error['message'] : '';
		return self::failure(
			$status,
			isset( $error['code'] ) ? (string) $error['code'] : 'http_' . $status,
			/* translators: 1: HTTP status code, 2: the sidecar's explanation. */
			'' !== $message ? sprintf( __( 'The sidecar answered %1$d: %2$s', 'cartback' ), $status, $message ) : sprintf( __( 'The sidecar answered %d. Is the URL the Cartback sidecar?', 'cartback' ), $status ),
			$decoded
		);
	}

	/**
	 * A failed answer.
	 *
	 * @param int    $status  HTTP status, 0 when none.
	 * @param string $code    Machine-readable reason.
	 * @param string $message What an admin should read.
	 * @param mixed  $body    The decoded body, if any.
	 * @return array{ok: bool, status: int, body: mixed, code: string, message: string}
	 */
	private static function failure( int $status, string $code, string $message, $body = null ): array {
		return array(
			'ok'      => false,
			'status'  => $status,
			'body'    => $body,
			'code'    => $code,
			'message' => $message,
		);
	}
}
