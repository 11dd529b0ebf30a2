<?php
/**
 * The WhatsApp opt-in box: unticked by default, worded by the settings, and every tick or untick
 * recorded the moment it reaches the server (blocks checkout, classic checkout, My Account).
 * The classic checkout's script posts are covered in CheckoutContactTest.
 *
 * @package Cartback\Tests
 */

use Cartback\Consent;
use Cartback\Consent_Account;
use Cartback\Consent_Recorder;
use Cartback\Settings;

/** Consent events from the box. */
final class ConsentTest extends Cartback_Test_Case {
	/** @var mixed The consent option before the test. */
	private $consent_option;

	protected function setUp(): void {
		parent::setUp();
		$this->consent_option = get_option( Settings::CONSENT_OPTION );
		unset( $_POST[ Consent::CLASSIC_FIELD ], $_POST[ Consent_Account::NONCE . '_nonce' ] );
	}

	protected function tearDown(): void {
		update_option( Settings::CONSENT_OPTION, $this->consent_option );
		unset( $_POST[ Consent::CLASSIC_FIELD ], $_POST[ Consent_Account::NONCE . '_nonce' ] );
		foreach ( get_users() as $user ) {
			delete_user_meta( $user->ID, Consent_Recorder::USER_META );
			delete_user_meta( $user->ID, Consent::BLOCK_CUSTOMER_META );
			delete_user_meta( $user->ID, 'billing_phone' );
			delete_user_meta( $user->ID, 'billing_country' );
		}
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	public function test_the_blocks_checkout_box_is_an_optional_unticked_contact_checkbox_with_the_settings_text(): void {
		$field = $GLOBALS['wc_test_double_additional_fields'][ Consent::FIELD_ID ] ?? null;
		$this->assertIsArray( $field, 'registered on woocommerce_init' );
		$this->assertSame( 'contact', $field['location'] );
		$this->assertSame( 'checkbox', $field['type'] );
		$this->assertFalse( $field['required'] );
		$this->assertArrayNotHasKey( 'default', $field, 'no default: WooCommerce shows a checkbox unticked' );
		$this->assertSame( Settings::consent()['text'], $field['label'] );
	}

	public function test_a_tick_on_the_blocks_checkout_grants_both_scopes_at_once_for_the_phone_typed_so_far(): void {
		$this->update_customer( array( 'phone' => '098123 45678', 'email' => 'Anna@Example.com', 'first_name' => 'Anna', 'country' => 'IN' ) );
		$this->assertSame( array(), $this->queued( 'consent.granted' ), 'typing a phone is not consent' );

		$this->put_checkout( array( Consent::FIELD_ID => true ) );

		$granted = $this->queued( 'consent.granted' );
		$this->assertCount( 2, $granted );
		$this->assertSame( array( 'marketing', 'utility' ), array_column( array_column( $granted, 'data' ), 'scope' ) );
		$consent = Settings::consent();
		foreach ( $granted as $event ) {
			$this->assertSame( '+919812345678', $event['data']['phone'] );
			$this->assertSame( 'anna@example.com', $event['data']['email'] );
			$this->assertSame( 'checkout_block', $event['data']['source'] );
			$this->assertSame( $consent['text'], $event['data']['text'] );
			$this->assertSame( $consent['version'], $event['data']['text_version'] );
			$this->assertMatchesFixtureShape( $event );
		}
		$this->assertValidEvents( $granted );
	}

	public function test_woocommerce_10_9_checkout_update_draft_alone_records_the_tick_and_never_twice(): void {
		$this->update_customer( array( 'phone' => '098123 45678', 'email' => 'anna@example.com', 'country' => 'IN' ) );
		// Both hooks fire on a 10.9+ PATCH (the field value, then update_draft): one grant per scope.
		$this->put_checkout( array( Consent::FIELD_ID => true ) );
		$this->assertCount( 2, $this->queued( 'consent.granted' ) );

		// A WooCommerce that no longer announces each field value: update_draft alone hears the untick.
		remove_action( 'woocommerce_set_additional_field_value', array( Consent::class, 'on_block_field_value' ), 10 );
		try {
			$this->put_checkout( array( Consent::FIELD_ID => false ) );
		} finally {
			add_action( 'woocommerce_set_additional_field_value', array( Consent::class, 'on_block_field_value' ), 10, 4 );
		}
		$withdrawn = $this->queued( 'consent.withdrawn' );
		$this->assertCount( 2, $withdrawn );
		$this->assertSame( '+919812345678', $withdrawn[0]['data']['phone'] );
		$this->assertSame( 'checkout_block', $withdrawn[0]['data']['source'] );
		$this->assertValidEvents( $withdrawn );
		$this->put_checkout( array( 'other/field' => 'x' ) );
		$this->assertCount( 2, $this->queued( 'consent.granted' ), 'a PATCH without the box changes nothing' );
	}

	public function test_the_same_state_again_sends_nothing_and_an_untick_withdraws_both_scopes(): void {
		$this->update_customer( array( 'phone' => '+91 98123 45678', 'email' => 'anna@example.com', 'country' => 'IN' ) );
		$this->put_checkout( array( Consent::FIELD_ID => true ) );
		$this->put_checkout( array( Consent::FIELD_ID => true ) );
		$this->update_customer( array( 'first_name' => 'Anna' ) );
		$this->assertCount( 2, $this->queued( 'consent.granted' ), 'no duplicates while nothing changed' );

		$this->put_checkout( array( Consent::FIELD_ID => false ) );
		$this->put_checkout( array( Consent::FIELD_ID => false ) );

		$withdrawn = $this->queued( 'consent.withdrawn' );
		$this->assertCount( 2, $withdrawn );
		$this->assertSame( array( 'marketing', 'utility' ), array_column( array_column( $withdrawn, 'data' ), 'scope' ) );
		$this->assertSame( array( '+919812345678', '+919812345678' ), array_column( array_column( $withdrawn, 'data' ), 'phone' ) );
		$this->assertSame( 'checkout_block', $withdrawn[0]['data']['source'] );
		$this->assertValidEvents( $withdrawn );
		$this->assertMatchesFixtureShape( $withdrawn[0] );
	}

	public function test_a_tick_before_any_phone_is_granted_as_soon_as_the_phone_arrives(): void {
		$this->update_customer( array( 'email' => 'anna@example.com' ) );
		$this->put_checkout( array( Consent::FIELD_ID => true ) );
		$this->assertSame( array(), $this->queued( 'consent.granted' ), 'no phone yet: the schema needs one' );

		$this->update_customer( array( 'phone' => '9812345678', 'country' => 'IN' ) );

		$granted = $this->queued( 'consent.granted' );
		$this->assertCount( 2, $granted );
		$this->assertSame( '+919812345678', $granted[0]['data']['phone'] );
		$this->assertSame( 'checkout_block', $granted[0]['data']['source'] );
		$this->assertValidEvents( $granted );
	}

	public function test_an_untouched_unticked_box_withdraws_nothing_and_copies_made_by_woocommerce_are_not_consent(): void {
		$this->update_customer( array( 'phone' => '+919812345678', 'email' => 'anna@example.com' ) );
		$this->put_checkout( array( Consent::FIELD_ID => false ) );
		// WooCommerce copies field values between the customer and draft orders outside any request of the shopper's.
		wc_test_double_persist_additional_field( Consent::FIELD_ID, true, WC()->customer );
		// A checkout update that does not carry the box says nothing about it.
		$this->put_checkout( array( 'other/field' => 'x' ) );

		$this->assertSame( array(), $this->queued( 'consent.granted' ) );
		$this->assertSame( array(), $this->queued( 'consent.withdrawn' ) );
	}

	public function test_a_changed_phone_while_ticked_is_granted_too_and_an_untick_withdraws_every_granted_phone(): void {
		$this->update_customer( array( 'phone' => '+919812345678' ) );
		$this->put_checkout( array( Consent::FIELD_ID => true ) );
		$this->update_customer( array( 'phone' => '+919876543210' ) );
		$this->assertSame( array( '+919812345678', '+919812345678', '+919876543210', '+919876543210' ), array_column( array_column( $this->queued( 'consent.granted' ), 'data' ), 'phone' ) );

		$this->put_checkout( array( Consent::FIELD_ID => false ) );
		$this->assertSame( array( '+919812345678', '+919812345678', '+919876543210', '+919876543210' ), array_column( array_column( $this->queued( 'consent.withdrawn' ), 'data' ), 'phone' ) );
	}

	public function test_the_classic_checkbox_is_unticked_by_default_and_its_text_is_escaped(): void {
		Settings::save_consent_text( 'Send me <b>offers</b> on WhatsApp & reply STOP to stop.' );
		$html = $this->classic_field_html();
		$this->assertMatchesRegularExpression( '/<input type="checkbox"[^>]*name="cartback_whatsapp_optin"[^>]*value="1"\s*\/>/', $html );
		$this->assertStringNotContainsString( 'checked', $html );
		$this->assertStringContainsString( 'Send me &lt;b&gt;offers&lt;/b&gt; on WhatsApp &amp; reply STOP to stop.', $html );
		$this->assertStringNotContainsString( '<b>', $html );
	}

	public function test_the_classic_box_shows_the_shoppers_own_tick_again(): void {
		Consent::from_checkout_script( true, 'classic', array( 'phone' => '+919812345678' ) );
		$this->assertStringContainsString( 'checked', $this->classic_field_html() );
	}

	public function test_editing_the_text_bumps_its_version_and_new_events_carry_the_new_words(): void {
		$before = Settings::consent();
		$after  = Settings::save_consent_text( 'Updates and offers from Cartback Test Store on WhatsApp. Reply STOP to stop.' );
		$this->assertSame( $before['version'] + 1, $after['version'] );

		$this->update_customer( array( 'phone' => '+919812345678' ) );
		$this->put_checkout( array( Consent::FIELD_ID => true ) );

		$granted = $this->queued( 'consent.granted' );
		$this->assertSame( array( $after['text'], $after['text'] ), array_column( array_column( $granted, 'data' ), 'text' ) );
		$this->assertSame( array( $after['version'], $after['version'] ), array_column( array_column( $granted, 'data' ), 'text_version' ) );
		$this->assertValidEvents( $granted );
	}

	public function test_placing_a_classic_order_records_the_tick_even_without_the_script_and_saves_it_on_the_order(): void {
		$order = new class() { // A stand-in for WC_Order: the one method this hook uses.
			/** @var array */
			public $meta = array();
			public function update_meta_data( $key, $value ) {
				$this->meta[ $key ] = $value;
			}
		};
		do_action( 'woocommerce_checkout_create_order', $order, array( 'billing_phone' => '98123 45678', 'billing_country' => 'IN', 'billing_email' => 'anna@example.com', Consent::CLASSIC_FIELD => 1 ) );

		$this->assertSame( 'yes', $order->meta[ Consent::ORDER_META ] );
		$granted = $this->queued( 'consent.granted' );
		$this->assertCount( 2, $granted );
		$this->assertSame( 'checkout_classic', $granted[0]['data']['source'] );
		$this->assertSame( '+919812345678', $granted[0]['data']['phone'] );
		$this->assertValidEvents( $granted );
	}

	public function test_my_account_toggle_gives_and_withdraws_consent_and_remembers_it_on_the_account(): void {
		$user = get_user_by( 'login', 'shopper' );
		update_user_meta( $user->ID, 'billing_phone', '98123 45678' );
		update_user_meta( $user->ID, 'billing_country', 'IN' );
		wp_set_current_user( $user->ID );

		$form = $this->account_form();
		$this->assertStringContainsString( 'name="cartback_whatsapp_optin"', $form );
		$this->assertStringNotContainsString( 'checked', $form, 'unticked until the customer ticks it' );
		$this->assertStringContainsString( esc_html( Settings::consent()['text'] ), $form );
		$this->assertStringContainsString( 'name="' . Consent_Account::NONCE . '_nonce"', $form );

		$this->save_account( $user->ID, true );
		$granted = $this->queued( 'consent.granted' );
		$this->assertCount( 2, $granted );
		$this->assertSame( 'my_account', $granted[0]['data']['source'] );
		$this->assertSame( '+919812345678', $granted[0]['data']['phone'] );
		$this->assertSame( 'shopper@example.com', $granted[0]['data']['email'] );
		$this->assertValidEvents( $granted );
		$this->assertSame( 'yes', get_user_meta( $user->ID, Consent_Recorder::USER_META, true ) );
		$this->assertSame( '1', get_user_meta( $user->ID, Consent::BLOCK_CUSTOMER_META, true ), 'the blocks checkout shows the same choice' );
		$this->assertStringContainsString( 'checked="checked"', $this->account_form() );

		WC()->reset_shopper( $user->ID ); // A later visit: saving again unchanged sends nothing.
		$this->save_account( $user->ID, true );
		$this->assertCount( 2, $this->queued( 'consent.granted' ) );

		$this->save_account( $user->ID, false );
		$withdrawn = $this->queued( 'consent.withdrawn' );
		$this->assertCount( 2, $withdrawn );
		$this->assertSame( 'my_account', $withdrawn[0]['data']['source'] );
		$this->assertValidEvents( $withdrawn );
		$this->assertSame( 'no', get_user_meta( $user->ID, Consent_Recorder::USER_META, true ) );
		$this->assertSame( '0', get_user_meta( $user->ID, Consent::BLOCK_CUSTOMER_META, true ) );
	}

	public function test_the_blocks_box_shows_a_customers_saved_choice_and_leaves_orders_alone(): void {
		$filter = 'woocommerce_get_default_value_for_' . Consent::FIELD_ID;
		$this->assertNull( apply_filters( $filter, null, 'other', WC()->customer ), 'a guest who chose nothing: unticked' );

		$user = get_user_by( 'login', 'shopper' );
		update_user_meta( $user->ID, Consent_Recorder::USER_META, 'yes' );
		wp_set_current_user( $user->ID );
		WC()->reset_shopper( $user->ID );
		$this->assertSame( '1', apply_filters( $filter, null, 'other', WC()->customer ), "'1', as WooCommerce's checkbox reads a ticked value" );
		$this->assertNull( apply_filters( $filter, null, 'other', new stdClass() ), 'an order (or anything but the customer) is left alone' );
		$this->assertNull( apply_filters( $filter, null, 'other', new WC_Customer( $user->ID + 1000 ) ), 'another customer is left alone' );
	}

	public function test_my_account_changes_nothing_without_its_nonce_and_asks_for_a_phone_before_granting(): void {
		$user = get_user_by( 'login', 'shopper' );
		wp_set_current_user( $user->ID );

		$_POST[ Consent::CLASSIC_FIELD ] = '1';
		do_action( 'woocommerce_save_account_details', $user->ID );
		$this->assertSame( '', get_user_meta( $user->ID, Consent_Recorder::USER_META, true ), 'no nonce: another form, nothing changes' );

		$this->save_account( $user->ID, true );
		$this->assertSame( array(), $this->queued() );
		$this->assertNotEmpty( wc_get_notices( 'notice' ), 'without a phone the customer is told to add one' );
		$this->assertStringContainsString( 'Add your phone number', $this->account_form() );
	}

	public function test_a_signed_in_customer_with_saved_consent_is_not_granted_again_but_can_untick_at_checkout(): void {
		$user = get_user_by( 'login', 'shopper' );
		update_user_meta( $user->ID, 'billing_phone', '+919812345678' );
		update_user_meta( $user->ID, Consent_Recorder::USER_META, 'yes' );
		wp_set_current_user( $user->ID );
		WC()->reset_shopper( $user->ID );

		$this->update_customer( array( 'phone' => '+919812345678', 'email' => 'shopper@example.com' ) );
		$this->put_checkout( array( Consent::FIELD_ID => true ) );
		$this->assertSame( array(), $this->queued( 'consent.granted' ) );

		$this->put_checkout( array( Consent::FIELD_ID => false ) );
		$this->assertCount( 2, $this->queued( 'consent.withdrawn' ) );
		$this->assertSame( 'no', get_user_meta( $user->ID, Consent_Recorder::USER_META, true ) );
	}

	/**
	 * The blocks checkout's address update (Store API cart/update-customer), in process.
	 *
	 * @param array $billing Billing address fields.
	 */
	private function update_customer( array $billing ): void {
		$response = $this->store_api( 'POST', '/wc/store/v1/cart/update-customer', array( 'billing_address' => $billing ) );
		$this->assertSame( 200, $response->get_status() );
	}

	/**
	 * The blocks checkout's additional-fields push (Store API PUT checkout), in process.
	 *
	 * @param array $fields Additional fields.
	 */
	private function put_checkout( array $fields ): void {
		$response = $this->store_api( 'PUT', '/wc/store/v1/checkout', array( 'additional_fields' => $fields ) );
		$this->assertSame( 200, $response->get_status() );
	}

	/**
	 * A JSON request through WordPress's REST server.
	 *
	 * @param string $method Method.
	 * @param string $route  Route.
	 * @param array  $body   Body.
	 */
	private function store_api( string $method, string $route, array $body ): WP_REST_Response {
		$request = new WP_REST_Request( $method, $route );
		$request->set_header( 'Content-Type', 'application/json' );
		$request->set_body( wp_json_encode( $body ) );
		return rest_do_request( $request );
	}

	/** The classic checkout's box as WooCommerce would print it. */
	private function classic_field_html(): string {
		$fields = apply_filters( 'woocommerce_checkout_fields', array( 'billing' => array() ) );
		$field  = $fields['billing'][ Consent::CLASSIC_FIELD ];
		$value  = apply_filters( 'woocommerce_checkout_get_value', null, Consent::CLASSIC_FIELD );
		return woocommerce_form_field( Consent::CLASSIC_FIELD, array_merge( $field, array( 'return' => true ) ), $value );
	}

	/** The My Account form part. */
	private function account_form(): string {
		ob_start();
		do_action( 'woocommerce_edit_account_form' );
		return (string) ob_get_clean();
	}

	/**
	 * Submits the account details form.
	 *
	 * @param int  $user_id The customer.
	 * @param bool $ticked  The toggle.
	 */
	private function save_account( int $user_id, bool $ticked ): void {
		$_POST[ Consent_Account::NONCE . '_nonce' ] = wp_create_nonce( Consent_Account::NONCE );
		if ( $ticked ) {
			$_POST[ Consent::CLASSIC_FIELD ] = '1';
		} else {
			unset( $_POST[ Consent::CLASSIC_FIELD ] );
		}
		do_action( 'woocommerce_save_account_details', $user_id );
	}
}
