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
	 * @return array{phone: string, email: string, first_name: string, country: string, optin: bool|null, checkout: string}|\WP_Error
	 */
	public static function from_request( $request ) {
		$text = array();
		foreach ( array( 'country', 'phone', 'email', 'first_name' ) as $field ) {
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

		$first_name = sanitize_text_field( $text['first_name'] );
		if ( mb_strlen( $first_name ) > 100 ) {
			return self::invalid( 'first_name', __( 'must be at most 100 characters', 'cartback' ) );
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
			'first_name' => $first_name,
			'country'    => $country,
			'optin'      => $optin,
			'checkout'   => $checkout,
		);
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
