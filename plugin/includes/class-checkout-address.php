<?php
/**
 * A billing or shipping address, in WooCommerce's field names: read from a customer, made ready
 * for checkout.contact_captured (the shared schema's bounds), and written back to a customer when
 * a cart is restored.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Address fields between WC_Customer and the sidecar. */
final class Checkout_Address {
	/** WooCommerce's address fields and the most characters each may have (shared/src/schemas.ts). */
	const FIELDS = array(
		'first_name' => 100,
		'last_name'  => 100,
		'company'    => 200,
		'address_1'  => 200,
		'address_2'  => 200,
		'city'       => 100,
		'state'      => 100,
		'postcode'   => 20,
		'country'    => 2,
		'phone'      => 32,
	);

	/** The fields a shopper types; country and state are not among them (WooCommerce presets them). */
	const TYPED = array( 'first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'postcode', 'phone' );

	/**
	 * A customer's billing or shipping address as WooCommerce holds it.
	 *
	 * @param object $customer WC_Customer.
	 * @param string $group    billing | shipping.
	 * @return array<string, string>
	 */
	public static function from_customer( $customer, string $group ): array {
		$address = array();
		foreach ( array_keys( self::FIELDS ) as $field ) {
			$getter            = "get_{$group}_{$field}";
			$address[ $field ] = is_callable( array( $customer, $getter ) ) ? (string) $customer->$getter() : '';
		}
		return $address;
	}

	/**
	 * The address as the event carries it: only fields with a value, as plain text cut to their
	 * bounds, the country as ISO alpha-2 and the phone as E.164 (left out when they cannot be).
	 *
	 * @param array  $address  Fields as typed.
	 * @param string $fallback The country for the phone when the address has none.
	 * @return array<string, string>
	 */
	public static function for_event( array $address, string $fallback = '' ): array {
		$clean   = array();
		$country = strtoupper( trim( is_string( $address['country'] ?? null ) ? $address['country'] : '' ) );
		foreach ( self::FIELDS as $field => $max ) {
			$value = is_string( $address[ $field ] ?? null ) ? trim( sanitize_text_field( $address[ $field ] ) ) : '';
			if ( '' === $value ) {
				continue;
			}
			if ( 'country' === $field ) {
				$value = preg_match( '/^[A-Z]{2}$/', $country ) ? $country : '';
			} elseif ( 'phone' === $field ) {
				$value = (string) Phone::to_e164( $value, '' !== $country ? $country : $fallback );
			} else {
				$value = mb_substr( $value, 0, $max );
			}
			if ( '' !== $value ) {
				$clean[ $field ] = $value;
			}
		}
		return $clean;
	}

	/**
	 * Writes a captured address into the customer's billing or shipping fields, never over what
	 * the visitor typed: an address of theirs keeps its fields and gets only the empty ones; an
	 * address with nothing typed yet (WooCommerce's preset country and state at most) is set whole.
	 *
	 * @param object $customer WC_Customer.
	 * @param string $group    billing | shipping.
	 * @param array  $address  The captured fields.
	 * @return bool Whether anything changed.
	 */
	public static function fill_customer( $customer, string $group, array $address ): bool {
		$current = self::from_customer( $customer, $group );
		$typed   = array_filter( array_intersect_key( $current, array_flip( self::TYPED ) ), 'strlen' );
		$changed = false;
		foreach ( self::for_event( $address ) as $field => $value ) {
			$setter = "set_{$group}_{$field}";
			if ( $value === $current[ $field ] || ! is_callable( array( $customer, $setter ) ) ) {
				continue;
			}
			if ( '' === $current[ $field ] || ( ! $typed && in_array( $field, array( 'country', 'state' ), true ) ) ) {
				$customer->$setter( $value );
				$changed = true;
			}
		}
		return $changed;
	}

	/**
	 * Whether two addresses differ in where a parcel goes (names, company, street, city, state,
	 * postcode, country; not the phone, which the classic checkout asks only for billing).
	 *
	 * @param array $a An address.
	 * @param array $b Another.
	 */
	public static function differ( array $a, array $b ): bool {
		foreach ( array_diff( array_keys( self::FIELDS ), array( 'phone' ) ) as $field ) {
			if ( (string) ( $a[ $field ] ?? '' ) !== (string) ( $b[ $field ] ?? '' ) ) {
				return true;
			}
		}
		return false;
	}
}
