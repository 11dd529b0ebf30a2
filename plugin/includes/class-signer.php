<?php
/**
 * Signs calls to the sidecar exactly as shared/src/signature.ts checks them.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** HMAC-SHA256 over "<timestamp>.<METHOD>.<path with query>.<raw body>". */
final class Signer {
	/**
	 * The X-Cartback-Signature value.
	 *
	 * @param string $secret    The shared secret.
	 * @param int    $timestamp Unix seconds.
	 * @param string $method    HTTP method.
	 * @param string $path      Path with query string, as the sidecar receives it.
	 * @param string $body      The raw body ('' for a GET).
	 */
	public static function sign( string $secret, int $timestamp, string $method, string $path, string $body ): string {
		return 'v1=' . hash_hmac( 'sha256', $timestamp . '.' . strtoupper( $method ) . '.' . $path . '.' . $body, $secret );
	}

	/**
	 * Both headers for a request signed at $timestamp.
	 *
	 * @param string $secret    The shared secret.
	 * @param string $method    HTTP method.
	 * @param string $path      Path with query string.
	 * @param string $body      The raw body.
	 * @param int    $timestamp Unix seconds (now by default).
	 * @return array<string, string>
	 */
	public static function headers( string $secret, string $method, string $path, string $body, ?int $timestamp = null ): array {
		$timestamp = $timestamp ?? time();
		return array(
			'X-Cartback-Timestamp' => (string) $timestamp,
			'X-Cartback-Signature' => self::sign( $secret, $timestamp, $method, $path, $body ),
		);
	}
}
