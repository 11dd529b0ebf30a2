<?php
/**
 * Signs calls to the sidecar exactly as shared/src/signature.ts checks them, and checks the
 * sidecar's calls to the plugin's own routes the same way.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** HMAC-SHA256 over "<timestamp>.<METHOD>.<path with query>.<raw body>". */
final class Signer {
	/** The window, either side of now, in which a signed request's timestamp is accepted (seconds). */
	const TOLERANCE = 300;
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

	/**
	 * Checks a signed request, as shared/src/signature.ts's verifySignature() does: both headers
	 * present, the timestamp unix seconds within 300 s of $now, the signature `v1=<64 hex>`
	 * matching in constant time.
	 *
	 * @param string      $secret    The shared secret ('' never verifies).
	 * @param string|null $timestamp X-Cartback-Timestamp as received.
	 * @param string|null $signature X-Cartback-Signature as received.
	 * @param string      $method    HTTP method.
	 * @param string      $path      Path with query string, exactly as requested.
	 * @param string      $body      The raw body.
	 * @param int         $now       Unix seconds.
	 * @return string|null Null when the request is authentic, else why not: missing_signature,
	 *                     stale_timestamp or invalid_signature.
	 */
	public static function verify( string $secret, ?string $timestamp, ?string $signature, string $method, string $path, string $body, int $now ): ?string {
		if ( null === $timestamp || '' === $timestamp || null === $signature || '' === $signature ) {
			return 'missing_signature';
		}
		if ( ! preg_match( '/^\d{1,12}$/', $timestamp ) || abs( $now - (int) $timestamp ) > self::TOLERANCE ) {
			return 'stale_timestamp';
		}
		// Over the timestamp as received ("0123" is signed as "0123"), as the sidecar does.
		$expected = 'v1=' . hash_hmac( 'sha256', $timestamp . '.' . strtoupper( $method ) . '.' . $path . '.' . $body, $secret );
		// hash_equals() takes the same time whatever the first differing byte; the known string first.
		if ( '' === $secret || ! preg_match( '/^v1=[0-9a-f]{64}$/', $signature ) || ! hash_equals( $expected, $signature ) ) {
			return 'invalid_signature';
		}
		return null;
	}
}
