<?php
/**
 * Checks a sidecar URL and secret before anything is stored: the sidecar's signed
 * GET /v1/admin/status, called with those values, must answer as a Cartback sidecar. Says what
 * is wrong in words an admin can act on, and which of the two fields is at fault.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The connection test behind "Test connection" and "Save connection". */
final class Connection_Check {
	/**
	 * Calls the sidecar with $url and $secret (nothing is stored).
	 *
	 * @param string $url    The sidecar's base URL.
	 * @param string $secret The shared secret.
	 * @return array{connected: bool, status?: array, code?: string, message?: string, field?: string}
	 *         Connected with the sidecar's status, or not with a code, a message and the field at
	 *         fault: `secret` when the sidecar refused it (or there is none), else `sidecar_url`.
	 */
	public static function run( string $url, string $secret ): array {
		$answer = self::with_connection(
			$url,
			$secret,
			static function () {
				return Sidecar_Client::request( 'GET', '/v1/admin/status', null, 8 );
			}
		);
		if ( $answer['ok'] ) {
			$status = $answer['body'];
			if ( is_array( $status ) && isset( $status['paused'], $status['lanes'] ) && is_bool( $status['paused'] ) && is_array( $status['lanes'] ) ) {
				return array(
					'connected' => true,
					'status'    => $status,
				);
			}
			return self::failed( 'not_cartback', __( 'That address answered, but not as a Cartback sidecar. Enter the sidecar\'s base URL, such as http://127.0.0.1:8787.', 'cartback' ), 'sidecar_url' );
		}
		if ( 404 === $answer['status'] || ( $answer['status'] > 0 && ! is_array( $answer['body'] ) ) ) {
			return self::failed(
				'not_cartback',
				/* translators: %d: HTTP status code. */
				sprintf( __( 'That address answered %d, not as a Cartback sidecar would. Enter the sidecar\'s base URL, such as http://127.0.0.1:8787.', 'cartback' ), $answer['status'] ),
				'sidecar_url'
			);
		}
		$field = 'unauthorized' === $answer['code'] || ( 'not_configured' === $answer['code'] && '' === $secret ) ? 'secret' : 'sidecar_url';
		return self::failed( $answer['code'], $answer['message'], $field );
	}

	/**
	 * Runs $call with the connection settings temporarily replaced (nothing is stored).
	 *
	 * @param string   $url    Sidecar URL.
	 * @param string   $secret Shared secret.
	 * @param callable $call   What to run.
	 * @return mixed What $call returned.
	 */
	public static function with_connection( string $url, string $secret, callable $call ) {
		$override = static function () use ( $url, $secret ) {
			return array(
				'sidecar_url' => rtrim( $url, '/' ),
				'secret'      => $secret,
			);
		};
		add_filter( 'pre_option_' . Settings::CONNECTION_OPTION, $override );
		try {
			return $call();
		} finally {
			remove_filter( 'pre_option_' . Settings::CONNECTION_OPTION, $override );
		}
	}

	/**
	 * A failed check.
	 *
	 * @param string $code    Machine-readable reason.
	 * @param string $message What the admin reads.
	 * @param string $field   The field at fault.
	 */
	private static function failed( string $code, string $message, string $field ): array {
		return array(
			'connected' => false,
			'code'      => $code,
			'message'   => $message,
			'field'     => $field,
		);
	}
}
