<?php
/**
 * Validates and sanitizes what the checkout scripts post to /cartback/v1/checkout/contact: every
 * field is checked, and the first bad one is named in a 400.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The checkout contact endpoint's input rules. */
final class Checkout_Contact_Input {
	/**
	 * The request's fields, clean; or a 400 naming the first field at fault.
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return array{phone: string, email: string, first_name: string, last_name: string, country: string, billing: array|null, shipping: array|null, optin: bool|null, checkout: string}|\WP_Error
	 */
	public static function from_request( $request ) {
		$text = array();
		foreach ( array( 'country', 'phone', 'email', 'first_name', 'last_name' ) as $field ) {
			$value = $request->get_param( $field );
			if ( null === $value ) {
				$text[ $field ] = '';
				continue;
			}
			if ( ! is_string( $value ) ) {
				return self::invalid( $field, __( 'must be text', 'cartback' ) );
			}
			$text[ $field ] = trim( $value );
		}

		$country = strtoupper( $text['country'] );
		if ( '' !== $country && ! preg_match( '/^[A-Z]{2}$/', $country ) ) {
			return self::invalid( 'country', __( 'must be a two-letter country code, such as IN', 'cartback' ) );
		}

		$phone = $text['phone'];
		if ( '' !== $phone && ( strlen( $phone ) > 32 || ! preg_match( '/^\+?[0-9()\-.\s\/]+$/', $phone ) || null === Phone::to_e164( $phone, $country ) ) ) {
			return self::invalid( 'phone', __( 'must be a phone number', 'cartback' ) );
		}

		$email = $text['email'];
		if ( '' !== $email && ( strlen( $email ) > 254 || sanitize_email( $email ) !== $email || ! is_email( $email ) ) ) {
			return self::invalid( 'email', __( 'must be an email address', 'cartback' ) );
		}

		$names = array();
		foreach ( array( 'first_name', 'last_name' ) as $field ) {
			$names[ $field ] = sanitize_text_field( $text[ $field ] );
			if ( mb_strlen( $names[ $field ] ) > 100 ) {
				return self::invalid( $field, self::too_long( 100 ) );
			}
		}

		$addresses = array();
		foreach ( array( 'billing', 'shipping' ) as $group ) {
			$addresses[ $group ] = self::address( $group, $request->get_param( $group ), $country );
			if ( is_wp_error( $addresses[ $group ] ) ) {
				return $addresses[ $group ];
			}
		}

		$optin = self::optin( $request->get_param( 'optin' ) );
		if ( is_wp_error( $optin ) ) {
			return $optin;
		}

		$checkout = $request->get_param( 'checkout' );
		$checkout = null === $checkout ? 'classic' : $checkout;
		if ( ! in_array( $checkout, array( 'classic', 'block' ), true ) ) {
			return self::invalid( 'checkout', __( 'must be "classic" or "block"', 'cartback' ) );
		}

		return array(
			'phone'      => $phone,
			'email'      => $email,
			'first_name' => $names['first_name'],
			'last_name'  => $names['last_name'],
			'country'    => $country,
			'billing'    => $addresses['billing'],
			'shipping'   => $addresses['shipping'],
			'optin'      => $optin,
			'checkout'   => $checkout,
		);
	}

	/**
	 * A billing or shipping address: an object of WooCommerce's address fields, each text within
	 * its bound (Checkout_Address::FIELDS), the country ISO alpha-2, the phone a phone number.
	 * Fields it does not know are ignored.
	 *
	 * @param string $group   billing | shipping.
	 * @param mixed  $value   As posted.
	 * @param string $country The contact's country, for the phone when the address has none.
	 * @return array|null|\WP_Error The fields (trimmed), null when not posted, or a 400 naming the field.
	 */
	private static function address( string $group, $value, string $country ) {
		if ( null === $value ) {
			return null;
		}
		if ( ! is_array( $value ) || ( $value && array_keys( $value ) === range( 0, count( $value ) - 1 ) ) ) {
			return self::invalid( $group, __( 'must be an object of address fields', 'cartback' ) );
		}
		$address = array();
		foreach ( Checkout_Address::FIELDS as $field => $max ) {
			$raw = $value[ $field ] ?? null;
			if ( null === $raw ) {
				continue;
			}
			$name = "{$group}.{$field}";
			if ( ! is_string( $raw ) ) {
				return self::invalid( $name, __( 'must be text', 'cartback' ) );
			}
			$raw = trim( $raw );
			if ( 'country' === $field ) {
				$raw = strtoupper( $raw );
				if ( '' !== $raw && ! preg_match( '/^[A-Z]{2}$/', $raw ) ) {
					return self::invalid( $name, __( 'must be a two-letter country code, such as IN', 'cartback' ) );
				}
			} elseif ( 'phone' === $field ) {
				$for = '' !== (string) ( $address['country'] ?? '' ) ? $address['country'] : $country;
				if ( '' !== $raw && ( strlen( $raw ) > $max || ! preg_match( '/^\+?[0-9()\-.\s\/]+$/', $raw ) || null === Phone::to_e164( $raw, $for ) ) ) {
					return self::invalid( $name, __( 'must be a phone number', 'cartback' ) );
				}
			} elseif ( mb_strlen( sanitize_text_field( $raw ) ) > $max ) {
				return self::invalid( $name, self::too_long( $max ) );
			}
			$address[ $field ] = $raw;
		}
		return $address;
	}

	/**
	 * "must be at most N characters".
	 *
	 * @param int $max The bound.
	 */
	private static function too_long( int $max ): string {
		/* translators: %d: a number of characters. */
		return sprintf( __( 'must be at most %d characters', 'cartback' ), $max );
	}

	/**
	 * The box: true, false, or null when the page has no box.
	 *
	 * @param mixed $value As posted (JSON boolean, or "1"/"0"/"true"/"false" from a form).
	 * @return bool|null|\WP_Error
	 */
	private static function optin( $value ) {
		if ( null === $value || is_bool( $value ) ) {
			return $value;
		}
		if ( is_int( $value ) || is_string( $value ) ) {
			$map = array(
				'1'     => true,
				'true'  => true,
				'0'     => false,
				'false' => false,
			);
			$key = strtolower( (string) $value );
			if ( isset( $map[ $key ] ) ) {
				return $map[ $key ];
			}
		}
		return self::invalid( 'optin', __( 'must be true or false', 'cartback' ) );
	}

	/**
	 * A 400 that names the field.
	 *
	 * @param string $field The field.
	 * @param string $rule  What it must be.
	 */
	private static function invalid( string $field, string $rule ): \WP_Error {
		return new \WP_Error(
			'cartback_invalid_field',
			/* translators: 1: a field name such as "phone", 2: what it must be. */
			sprintf( __( '%1$s %2$s.', 'cartback' ), $field, $rule ),
			array(
				'status' => 400,
				'field'  => $field,
			)
		);
	}
}
