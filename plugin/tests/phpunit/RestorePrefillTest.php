<?php
/**
 * A restored checkout is filled in as the shopper left it, against a real sidecar: the billing
 * and shipping addresses as typed (on WC()->customer, which the classic checkout reads field by
 * field and the blocks checkout through the Store API), "Use same address for billing" as the
 * blocks checkout works it out, and the WhatsApp opt-in as the contact's consent stands now.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/trait-restore-helpers.php';

use Automattic\WooCommerce\Blocks\Domain\Services\CheckoutFields;
use Automattic\WooCommerce\Blocks\Package;
use Cartback\Consent;
use Cartback\Restore;

/** Pre-filling restored checkouts. */
final class RestorePrefillTest extends Cartback_Test_Case {
	use Restore_Test_Helpers;

	/** The address the shopper typed, in WooCommerce's field names. */
	const HOME = array(
		'first_name' => 'Anna',
		'last_name'  => 'Sharma',
		'company'    => 'Kurta Co',
		'address_1'  => '12 MG Road',
		'address_2'  => 'Flat 4',
		'city'       => 'Bengaluru',
		'state'      => 'KA',
		'postcode'   => '560001',
		'country'    => 'IN',
		'phone'      => '+919812345678',
	);

	protected function setUp(): void {
		parent::setUp();
		self::$sidecar->connect_plugin();
		wc_test_double_product( array( 'id' => 501, 'name' => 'Blue Kurta', 'price' => '1299.00' ) );
		// WooCommerce presets a new guest's countries to the store's.
		WC()->customer->set_billing_country( 'IN' );
		WC()->customer->set_shipping_country( 'IN' );
	}

	public function test_one_address_for_both_fills_billing_and_shipping_alike_and_a_consenting_contact_sees_the_box_ticked(): void {
		$token = $this->seed_cart(
			'prefill-same',
			array( array( 501, 1 ) ),
			array( 'last_name' => 'Sharma', 'billing' => self::HOME, 'shipping' => self::HOME ),
			array( 'granted' )
		);

		$this->assertSame( wc_get_checkout_url(), Restore::handle( $token ) );

		$this->assertSame( self::HOME, $this->address( 'billing' ) );
		$this->assertSame( self::HOME, $this->address( 'shipping' ), 'the shipping form, shown first on the blocks checkout, has the phone and name too' );
		$this->assertSame( 'anna@example.com', WC()->customer->get_billing_email() );

		$checkout = $this->store_api_checkout();
		$this->assertSame( '+919812345678', $checkout['shipping_address']['phone'] );
		$this->assertSame( 'Sharma', $checkout['shipping_address']['last_name'] );
		$this->assertTrue( wc_test_double_same_address( $checkout ), '"Use same address for billing" shows ticked' );
		$this->assertTrue( $this->block_box(), 'the blocks box shows ticked' );
		$this->assertTrue( $this->checkout_fields()->get_field_from_object( Consent::FIELD_ID, WC()->customer, 'other' ) );
		$this->assertSame( 1, WC_Checkout::instance()->get_value( Consent::CLASSIC_FIELD ), 'the classic box shows ticked' );
		$this->assertSame( 0, (int) apply_filters( 'woocommerce_ship_to_different_address_checked', 0 ), 'classic: shipped to the billing address' );
		$this->assertSame( array( 'browser.linked' ), array_column( $this->queued(), 'type' ), 'restoring records no consent and captures nothing; the consenting contact\'s browser becomes known' );

		// Leaving the box ticked grants nothing again; unticking it withdraws.
		$this->assertSame( array(), Consent::from_checkout_script( true, 'block', array( 'phone' => '+919812345678' ) ) );
		$withdrawn = Consent::from_checkout_script( false, 'block', array( 'phone' => '+919812345678' ) );
		$this->assertSame( array( 'consent.withdrawn', 'consent.withdrawn' ), array_column( $withdrawn, 'type' ) );
		$this->assertSame( '+919812345678', $withdrawn[0]['data']['phone'] );
	}

	public function test_a_contact_who_withdrew_sees_the_box_unticked_even_where_this_browser_once_ticked_it(): void {
		$token = $this->seed_cart(
			'prefill-withdrawn',
			array( array( 501, 1 ) ),
			array( 'phone' => '+919812300001', 'billing' => array( 'phone' => '+919812300001' ) + self::HOME, 'shipping' => null ),
			array( 'granted', 'withdrawn' )
		);
		// This browser ticked the box for that phone before the shopper replied STOP.
		$this->assertCount( 2, Consent::from_checkout_script( true, 'block', array( 'phone' => '+919812300001' ) ) );
		$this->checkout_fields()->persist_field_for_customer( Consent::FIELD_ID, true, WC()->customer, 'other' );
		$this->assertTrue( $this->block_box() );

		Restore::handle( $token );

		$this->assertFalse( $this->block_box(), 'the blocks box shows unticked' );
		$this->assertFalse( $this->checkout_fields()->get_field_from_object( Consent::FIELD_ID, WC()->customer, 'other' ) );
		$this->assertSame( 0, WC_Checkout::instance()->get_value( Consent::CLASSIC_FIELD ), 'the classic box shows unticked' );
		$this->assertSame( array(), Consent::from_checkout_script( false, 'classic', array( 'phone' => '+919812300001' ) ), 'nothing to withdraw' );
		$granted = Consent::from_checkout_script( true, 'classic', array( 'phone' => '+919812300001' ) );
		$this->assertCount( 2, $granted, 'a fresh tick grants again' );
	}

	public function test_a_shipping_address_of_its_own_is_restored_apart_and_the_checkouts_show_it_so(): void {
		$gift  = array( 'first_name' => 'Ravi', 'last_name' => 'Rao', 'address_1' => '1 Residency Road', 'city' => 'Bengaluru', 'postcode' => '560025', 'country' => 'IN' );
		$token = $this->seed_cart( 'prefill-gift', array( array( 501, 1 ) ), array( 'phone' => '+919812300002', 'billing' => array( 'phone' => '+919812300002' ) + self::HOME, 'shipping' => $gift ) );

		Restore::handle( $token );

		$this->assertSame( array_merge( self::HOME, array( 'phone' => '+919812300002' ) ), $this->address( 'billing' ) );
		$this->assertSame( array_merge( array_fill_keys( array_keys( self::HOME ), '' ), $gift ), $this->address( 'shipping' ) );
		$this->assertFalse( wc_test_double_same_address( $this->store_api_checkout() ), 'blocks: two addresses' );
		$this->assertSame( 1, (int) apply_filters( 'woocommerce_ship_to_different_address_checked', 0 ), 'classic: "Ship to a different address?" ticked' );
		$this->assertFalse( $this->block_box(), 'a contact who never answered: unticked' );
	}

	public function test_a_phone_typed_only_in_the_shipping_form_is_the_one_the_box_is_about(): void {
		$billing  = array_diff_key( self::HOME, array( 'phone' => true ) );
		$shipping = array_merge( self::HOME, array( 'phone' => '+919812300006' ) );
		$token    = $this->seed_cart( 'prefill-shipping-phone', array( array( 501, 1 ) ), array( 'phone' => '+919812300006', 'billing' => $billing, 'shipping' => $shipping ), array( 'granted' ) );

		Restore::handle( $token );

		$this->assertSame( '', WC()->customer->get_billing_phone(), 'billing as captured: no phone' );
		$this->assertSame( '+919812300006', WC()->customer->get_shipping_phone() );
		$this->assertTrue( $this->block_box() );
	}

	public function test_a_contact_captured_without_addresses_fills_both_forms_with_the_phone_and_name(): void {
		$token = $this->seed_cart( 'prefill-contact-only', array( array( 501, 1 ) ), array( 'phone' => '+919812300003', 'last_name' => 'Sharma' ) );

		Restore::handle( $token );

		foreach ( array( 'billing', 'shipping' ) as $group ) {
			$this->assertSame( array( 'Anna', 'Sharma', 'IN', '+919812300003' ), array_values( array_intersect_key( $this->address( $group ), array_flip( array( 'first_name', 'last_name', 'phone', 'country' ) ) ) ), $group );
		}
		$this->assertTrue( wc_test_double_same_address( $this->store_api_checkout() ) );
	}

	public function test_what_the_visitor_has_typed_themselves_is_kept(): void {
		$token = $this->seed_cart( 'prefill-own', array( array( 501, 1 ) ), array( 'phone' => '+919812300004', 'billing' => self::HOME, 'shipping' => self::HOME ), array( 'granted' ) );
		WC()->customer->set_shipping_first_name( 'Ravi' );
		WC()->customer->set_shipping_address_1( '1 Residency Road' );
		WC()->customer->set_shipping_country( 'IN' );
		WC()->customer->set_billing_phone( '+919800000000' );

		Restore::handle( $token );

		$shipping = $this->address( 'shipping' );
		$this->assertSame( array( 'Ravi', '1 Residency Road' ), array( $shipping['first_name'], $shipping['address_1'] ), 'their own address stays theirs' );
		$this->assertSame( 'Sharma', $shipping['last_name'], 'its empty fields are filled' );
		$this->assertSame( '+919800000000', WC()->customer->get_billing_phone() );
		$this->assertSame( 'Bengaluru', WC()->customer->get_billing_city() );
		$this->assertFalse( $this->block_box(), "the box is about the visitor's phone, not the contact's: unticked" );
	}

	public function test_the_restored_checkout_over_http_shows_the_addresses_and_the_ticked_box_to_a_phone_without_a_session(): void {
		$gift  = array( 'first_name' => 'Ravi', 'address_1' => '1 Residency Road', 'city' => 'Bengaluru', 'country' => 'IN' );
		// The served site's catalogue has product 42 (wc_test_double_install_storefront()).
		wc_test_double_product( array( 'id' => 42, 'name' => 'Handloom cotton kurta', 'price' => '1299.00' ) );
		$token = $this->seed_cart( 'prefill-http', array( array( 42, 1 ) ), array( 'phone' => '+919812300005', 'billing' => array( 'phone' => '+919812300005' ) + self::HOME, 'shipping' => $gift ), array( 'granted' ) );
		$site  = Cartback_Test_Site::serve();

		$page = $this->follow( $site . '/?cartback_restore=' . $token );

		$this->assertStringContainsString( 'value="Sharma"', $this->field( $page, 'billing_last_name' ) );
		$this->assertStringContainsString( 'value="+919812300005"', $this->field( $page, 'billing_phone' ) );
		$this->assertStringContainsString( 'value="1 Residency Road"', $this->field( $page, 'shipping_address_1' ) );
		$this->assertMatchesRegularExpression( '/checked=\'checked\'/', $this->field( $page, 'cartback_whatsapp_optin' ) );
		$this->assertMatchesRegularExpression( '/<input id="ship-to-different-address-checkbox"[^>]*checked=\'checked\'/', $page );
	}

	/**
	 * A customer's billing or shipping address, field => value.
	 *
	 * @param string $group billing | shipping.
	 */
	private function address( string $group ): array {
		$address = array();
		foreach ( array_keys( self::HOME ) as $field ) {
			$address[ $field ] = WC()->customer->{"get_{$group}_{$field}"}();
		}
		return $address;
	}

	/** The Store API's checkout, as the blocks checkout is hydrated with it (GET /wc/store/v1/checkout). */
	private function store_api_checkout(): array {
		$response = rest_do_request( new WP_REST_Request( 'GET', '/wc/store/v1/checkout' ) );
		$this->assertSame( 200, $response->get_status() );
		return json_decode( wp_json_encode( $response->get_data() ), true );
	}

	/** The blocks box as the checkout shows it: the Store API's value, unticked when it has none. */
	private function block_box(): bool {
		$fields = $this->store_api_checkout()['additional_fields'];
		if ( array_key_exists( Consent::FIELD_ID, $fields ) ) {
			$this->assertIsBool( $fields[ Consent::FIELD_ID ] );
		}
		return $fields[ Consent::FIELD_ID ] ?? false;
	}

	/** WooCommerce's CheckoutFields service. */
	private function checkout_fields(): CheckoutFields {
		return Package::container()->get( CheckoutFields::class );
	}

	/**
	 * GETs a URL without cookies, follows its redirects keeping the cookies they set, and returns
	 * the last page.
	 *
	 * @param string $url URL.
	 */
	private function follow( string $url ): string {
		$cookies = array();
		for ( $hops = 0; $hops < 5; $hops++ ) {
			$context = stream_context_create(
				array(
					'http' => array(
						'follow_location' => 0,
						'ignore_errors'   => true,
						'timeout'         => 20,
						'header'          => $cookies ? 'Cookie: ' . implode( '; ', $cookies ) : '',
					),
				)
			);
			$body     = (string) file_get_contents( $url, false, $context );
			$location = '';
			foreach ( $http_response_header as $header ) {
				if ( preg_match( '/^Set-Cookie:\s*([^;]+)/i', $header, $m ) ) {
					$cookies[] = $m[1];
				} elseif ( 0 === stripos( $header, 'Location:' ) ) {
					$location = trim( substr( $header, 9 ) );
				}
			}
			if ( '' === $location ) {
				return $body;
			}
			$url = $location;
		}
		$this->fail( 'too many redirects' );
	}

	/**
	 * The markup of one form field of a page (its <p class="form-row"> wrapper).
	 *
	 * @param string $page Page HTML.
	 * @param string $name Field name.
	 */
	private function field( string $page, string $name ): string {
		$this->assertSame( 1, preg_match( '#<p class="form-row[^"]*" id="' . preg_quote( $name, '#' ) . '_field">.*?</p>#s', $page, $m ), $name );
		return $m[0];
	}
}
