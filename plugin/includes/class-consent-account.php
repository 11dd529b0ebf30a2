<?php
/**
 * The WhatsApp opt-in in My Account → Account details: where customers see and change what they
 * agreed to. Saved in the user meta "cartback_whatsapp_optin" and recorded as consent events.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The My Account toggle. */
final class Consent_Account {
	/** Nonce action of the toggle. */
	const NONCE = 'cartback_account_optin';

	/** Hooks. */
	public static function register(): void {
		add_action( 'woocommerce_edit_account_form', array( self::class, 'render_account_toggle' ) );
		add_action( 'woocommerce_save_account_details', array( self::class, 'save_account_toggle' ) );
	}

	/** The toggle in My Account → Account details, where customers manage what they agreed to. */
	public static function render_account_toggle(): void {
		$user = get_current_user_id();
		if ( ! $user ) {
			return;
		}
		$checked = 'yes' === get_user_meta( $user, Consent_Recorder::USER_META, true );
		$phone   = (string) get_user_meta( $user, 'billing_phone', true );
		echo '<fieldset class="cartback-whatsapp-optin"><legend>' . esc_html__( 'WhatsApp', 'cartback' ) . '</legend>';
		wp_nonce_field( self::NONCE, self::NONCE . '_nonce', false );
		printf(
			'<p class="woocommerce-form-row form-row form-row-wide"><label class="woocommerce-form__label woocommerce-form__label-for-checkbox" for="%1$s"><input type="checkbox" class="woocommerce-form__input woocommerce-form__input-checkbox" name="%1$s" id="%1$s" value="1"%2$s /> <span>%3$s</span></label></p>',
			esc_attr( Consent::CLASSIC_FIELD ),
			$checked ? ' checked="checked"' : '',
			esc_html( Settings::consent()['text'] )
		);
		if ( '' === trim( $phone ) ) {
			echo '<p class="description">' . esc_html__( 'Add your phone number to your billing address to get messages on WhatsApp.', 'cartback' ) . '</p>';
		}
		echo '</fieldset>';
	}

	/**
	 * Saves the toggle (after WooCommerce checked its own form nonce; ours proves the toggle was on
	 * the form, so a form without it withdraws nothing).
	 *
	 * @param int $user_id The customer.
	 */
	public static function save_account_toggle( $user_id ): void {
		$nonce = isset( $_POST[ self::NONCE . '_nonce' ] ) ? sanitize_text_field( wp_unslash( $_POST[ self::NONCE . '_nonce' ] ) ) : '';
		if ( ! $user_id || (int) $user_id !== get_current_user_id() || ! wp_verify_nonce( $nonce, self::NONCE ) ) {
			return;
		}
		$ticked  = ! empty( $_POST[ Consent::CLASSIC_FIELD ] );
		$user    = get_userdata( (int) $user_id );
		$contact = array(
			'phone'   => (string) get_user_meta( $user_id, 'billing_phone', true ),
			'country' => (string) get_user_meta( $user_id, 'billing_country', true ),
			'email'   => $user ? (string) $user->user_email : '',
		);
		if ( $ticked && null === Phone::to_e164( $contact['phone'], $contact['country'] ) ) {
			if ( function_exists( 'wc_add_notice' ) ) {
				wc_add_notice( __( 'To get messages on WhatsApp, add your phone number to your billing address first, then tick the box again.', 'cartback' ), 'notice' );
			}
			return;
		}
		Consent_Recorder::record( $ticked, 'my_account', $contact );
	}
}
