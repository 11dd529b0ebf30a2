<?php
/**
 * Phone numbers as E.164, as the sidecar's schemas require.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Best-effort E.164 from what a shopper typed; the sidecar validates fully (libphonenumber). */
final class Phone {
	/**
	 * "+91 98123 45678", "0091 98123-45678" or "098123 45678" with country IN → "+919812345678".
	 *
	 * @param string $raw     What was typed.
	 * @param string $country ISO 3166 alpha-2 of the billing address (or the store's country).
	 * @return string|null E.164, or null when it cannot be one.
	 */
	public static function to_e164( string $raw, string $country = '' ): ?string {
		$raw = trim( $raw );
		if ( '' === $raw ) {
			return null;
		}
		$digits = preg_replace( '/\D+/', '', $raw );
		if ( '' === $digits ) {
			return null;
		}
		if ( '+' === $raw[0] ) {
			$candidate = '+' . $digits;
		} elseif ( 0 === strpos( $digits, '00' ) ) {
			$candidate = '+' . substr( $digits, 2 );
		} else {
			$code = self::calling_code( '' !== $country ? $country : self::store_country() );
			if ( '' === $code ) {
				return null;
			}
			$national = ltrim( $digits, '0' ); // The trunk prefix is not dialled from abroad.
			// A number typed with its country code but no "+" ("919812345678" in India).
			$candidate = ( 0 === strpos( $digits, $code ) && strlen( $digits ) > 10 ) ? '+' . $digits : '+' . $code . $national;
		}
		return preg_match( '/^\+[1-9]\d{7,14}$/', $candidate ) ? $candidate : null;
	}

	/**
	 * The calling code without "+", from WooCommerce's country data.
	 *
	 * @param string $country ISO 3166 alpha-2.
	 */
	private static function calling_code( string $country ): string {
		if ( '' === $country || ! function_exists( 'WC' ) || ! WC()->countries ) {
			return '';
		}
		$code = WC()->countries->get_country_calling_code( strtoupper( $country ) );
		$code = is_array( $code ) ? (string) reset( $code ) : (string) $code;
		return ltrim( $code, '+' );
	}

	/** The store's base country ("IN" from "IN:MH"). */
	private static function store_country(): string {
		if ( ! function_exists( 'WC' ) || ! WC()->countries ) {
			return '';
		}
		$base = (string) WC()->countries->get_base_country();
		return (string) strtok( $base, ':' );
	}
}
