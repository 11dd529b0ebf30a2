<?php
/**
 * Fills the checkout in again for a restored cart, from the sidecar's restore answer (README,
 * "GET /v1/restore/:token"): the contact, the billing and shipping addresses as the shopper typed
 * them, and the WhatsApp opt-in as their consent stands now.
 *
 * - Addresses go on WC()->customer, which both checkouts read: the classic one field by field
 *   (WC_Checkout::get_value()), the blocks one through the Store API (the cart's and the checkout's
 *   billing_address and shipping_address, copied from the customer). The blocks checkout ticks
 *   "Use same address for billing" when the two addresses are equal in every field, so a shopper
 *   who used one address gets both set alike, phone included; when only the contact was captured
 *   (by an older plugin, or on a checkout that asks for no address) the billing fields get it, and
 *   the shipping address is the billing one, as WooCommerce ships to the billing address unless
 *   told otherwise. Nothing the visitor already has is overwritten (Checkout_Address::fill_customer()).
 * - The opt-in: only when the phone in the form is the contact's. The sidecar's ledger decides
 *   (ticked only when both scopes the box grants are current); the session remembers the phone as
 *   granted, so that leaving the box ticked sends nothing again and unticking it withdraws. The
 *   classic box reads that memory (Consent::classic_field_value()); the blocks box is stored on the
 *   customer through WooCommerce's Additional Checkout Fields (CheckoutFields::persist_field_for_customer(),
 *   from WooCommerce 8.9; in 11.3 it lives in the CheckoutFieldsStorage trait, same signature), as
 *   "_wc_other/cartback/whatsapp-optin", which the guest session keeps and the Store API answers
 *   the checkout with (10.5: copied onto the draft order on the checkout's GET; 10.9+: read from
 *   the customer). A stored value beats the default filter (Consent::block_field_default()), so
 *   it is set either way, ticked or not.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Pre-fills a restored checkout. */
final class Restore_Prefill {
	/** The blocks' checkout fields service, as WooCommerce's own code reaches it. */
	const CHECKOUT_FIELDS = 'Automattic\WooCommerce\Blocks\Domain\Services\CheckoutFields';

	/**
	 * Fills the visitor's customer from the restore answer.
	 *
	 * @param array $body The sidecar's answer: contact, billing, shipping, consent.
	 */
	public static function apply( array $body ): void {
		$customer = WC()->customer;
		if ( ! $customer ) {
			return;
		}
		$contact  = self::contact( is_array( $body['contact'] ?? null ) ? $body['contact'] : array() );
		$billing  = is_array( $body['billing'] ?? null ) ? $body['billing'] : null;
		$shipping = is_array( $body['shipping'] ?? null ) ? $body['shipping'] : null;
		if ( null === $billing ) {
			$billing = array_filter(
				array(
					'first_name' => $contact['first_name'],
					'last_name'  => $contact['last_name'],
					'phone'      => $contact['phone'],
				)
			);
		}
		if ( null === $shipping ) {
			$shipping = $billing;
		}
		$changed = Checkout_Address::fill_customer( $customer, 'billing', $billing );
		$changed = Checkout_Address::fill_customer( $customer, 'shipping', $shipping ) || $changed;
		if ( '' !== $contact['email'] && '' === (string) $customer->get_billing_email() ) {
			$customer->set_billing_email( $contact['email'] );
			$changed = true;
		}
		if ( WC()->session ) {
			WC()->session->set( Restore::SESSION_SHIP_ELSEWHERE, Checkout_Address::differ( $billing, $shipping ) );
		}
		$changed = self::optin( $customer, $contact['phone'], $body['consent'] ?? null ) || $changed;
		if ( $changed ) {
			$customer->save();
		}
	}

	/**
	 * The contact's fields, each valid or empty.
	 *
	 * @param array $contact phone, email, first_name, last_name.
	 * @return array{phone: string, email: string, first_name: string, last_name: string}
	 */
	private static function contact( array $contact ): array {
		$text = static function ( $value ): string {
			return is_string( $value ) ? mb_substr( trim( sanitize_text_field( $value ) ), 0, 100 ) : '';
		};
		return array(
			'phone'      => is_string( $contact['phone'] ?? null ) && preg_match( '/^\+[1-9]\d{6,14}$/', $contact['phone'] ) ? $contact['phone'] : '',
			'email'      => is_string( $contact['email'] ?? null ) && is_email( $contact['email'] ) ? $contact['email'] : '',
			'first_name' => $text( $contact['first_name'] ?? null ),
			'last_name'  => $text( $contact['last_name'] ?? null ),
		);
	}

	/**
	 * Shows the opt-in as the contact's consent stands, when the phone in the form is theirs.
	 *
	 * @param object $customer WC_Customer.
	 * @param string $phone    The contact's phone (E.164), or ''.
	 * @param mixed  $consent  The answer's {marketing: bool, utility: bool}, or null from an older sidecar.
	 * @return bool Whether the customer changed.
	 */
	private static function optin( $customer, string $phone, $consent ): bool {
		if ( '' === $phone || ! is_array( $consent ) || ! isset( $consent['marketing'], $consent['utility'] ) ) {
			return false;
		}
		if ( self::phone_in_form( $customer ) !== $phone ) {
			return false; // The visitor's own phone is in the form: its consent is not the contact's.
		}
		Consent_Recorder::current( $phone, true === $consent['marketing'] && true === $consent['utility'] );
		$fields = self::checkout_fields();
		if ( ! $fields ) {
			return false;
		}
		$fields->persist_field_for_customer( Consent::FIELD_ID, Consent_Recorder::wants(), $customer, 'other' );
		return true;
	}

	/**
	 * The phone the checkout goes by (E.164): the billing one, else the shipping one (as captured).
	 *
	 * @param object $customer WC_Customer.
	 */
	public static function phone_in_form( $customer ): ?string {
		foreach ( array( 'billing', 'shipping' ) as $group ) {
			$address = Checkout_Address::from_customer( $customer, $group );
			if ( '' !== $address['phone'] ) {
				return Phone::to_e164( $address['phone'], $address['country'] );
			}
		}
		return null;
	}

	/** WooCommerce's CheckoutFields service, or null before WooCommerce 8.9 (no blocks box to set). */
	private static function checkout_fields(): ?object {
		$package = 'Automattic\WooCommerce\Blocks\Package';
		if ( ! class_exists( $package ) || ! class_exists( self::CHECKOUT_FIELDS ) || ! is_callable( array( $package, 'container' ) ) ) {
			return null;
		}
		try {
			$fields = $package::container()->get( self::CHECKOUT_FIELDS );
		} catch ( \Throwable $e ) {
			return null;
		}
		return is_object( $fields ) && is_callable( array( $fields, 'persist_field_for_customer' ) ) ? $fields : null;
	}
}
