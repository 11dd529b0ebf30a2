<?php
/**
 * Money as integer minor units, as the sidecar's schemas require (never floats on the wire).
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Converts WooCommerce's decimal amounts to minor units of their ISO 4217 currency. */
final class Money {
	/** ISO 4217 currencies whose minor unit is not 1/100. */
	const EXPONENTS = array(
		'BIF' => 0, 'CLP' => 0, 'DJF' => 0, 'GNF' => 0, 'ISK' => 0, 'JPY' => 0, 'KMF' => 0, 'KRW' => 0, 'PYG' => 0,
		'RWF' => 0, 'UGX' => 0, 'UYI' => 0, 'VND' => 0, 'VUV' => 0, 'XAF' => 0, 'XOF' => 0, 'XPF' => 0,
		'BHD' => 3, 'IQD' => 3, 'JOD' => 3, 'KWD' => 3, 'LYD' => 3, 'OMR' => 3, 'TND' => 3,
	); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound

	/**
	 * Digits after the decimal point for a currency.
	 *
	 * @param string $currency ISO 4217 code.
	 */
	public static function exponent( string $currency ): int {
		return self::EXPONENTS[ strtoupper( $currency ) ] ?? 2;
	}

	/**
	 * A decimal amount ("1299.00", 12.5, "1,299.5" never: WooCommerce getters return plain
	 * decimals) in minor units, rounded half away from zero.
	 *
	 * @param string|int|float|null $amount   The amount.
	 * @param string                $currency ISO 4217 code.
	 */
	public static function to_minor( $amount, string $currency ): int {
		$exponent = self::exponent( $currency );
		$text     = is_string( $amount ) ? trim( $amount ) : (string) $amount;
		if ( '' === $text || ! is_numeric( $text ) ) {
			return 0;
		}
		// number_format rounds a decimal string correctly at this precision; then drop the point.
		return (int) str_replace( '.', '', number_format( (float) $text, $exponent, '.', '' ) );
	}
}
