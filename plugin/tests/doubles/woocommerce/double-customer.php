<?php
/**
 * WooCommerce TEST DOUBLE: WC_Customer, with WooCommerce's billing and shipping props (the
 * getters and setters WC_Customer has, by the same names), meta data, and save().
 *
 * @package Cartback\Tests
 */

/** Double of WC_Data, the base of WooCommerce's data objects (WC_Customer, WC_Order). */
abstract class WC_Data {}

/** Double of WC_Data's meta entries (WC_Meta_Data): a key and a value. */
class WC_Meta_Data {
	/** @var string */
	public $key;
	/** @var mixed */
	public $value;

	/**
	 * @param array $meta key, value.
	 */
	public function __construct( $meta = array() ) {
		$this->key   = $meta['key'] ?? '';
		$this->value = $meta['value'] ?? null;
	}
}

/** Double of WC_Customer: the billing and shipping props, meta data, and save(). */
class WC_Customer extends WC_Data {
	/** WooCommerce's address props (WC_Customer::$data['billing'] and ['shipping']); email is billing only. */
	const ADDRESS_PROPS = array( 'first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country', 'phone' );

	/** @var int */
	private $id;
	/** @var array */
	private $billing;
	/** @var array */
	private $shipping;
	/** @var array Meta data (additional checkout field values live here, e.g. "_wc_other/…"). */
	private $meta = array();
	/** @var int How often save() ran (tests read it). */
	public $saves = 0;

	public function __construct( $id = 0 ) {
		$this->id       = (int) $id;
		$empty          = array_fill_keys( self::ADDRESS_PROPS, '' );
		$this->billing  = $empty + array( 'email' => '' );
		$this->shipping = $empty;
	}
	public function get_id() { return $this->id; }
	public function save() { ++$this->saves; return $this->id; }

	public function get_billing_first_name() { return $this->billing['first_name']; }
	public function get_billing_last_name() { return $this->billing['last_name']; }
	public function get_billing_company() { return $this->billing['company']; }
	public function get_billing_address_1() { return $this->billing['address_1']; }
	public function get_billing_address_2() { return $this->billing['address_2']; }
	public function get_billing_city() { return $this->billing['city']; }
	public function get_billing_state() { return $this->billing['state']; }
	public function get_billing_postcode() { return $this->billing['postcode']; }
	public function get_billing_country() { return $this->billing['country']; }
	public function get_billing_phone() { return $this->billing['phone']; }
	public function get_billing_email() { return $this->billing['email']; }
	public function set_billing_first_name( $v ) { $this->billing['first_name'] = (string) $v; }
	public function set_billing_last_name( $v ) { $this->billing['last_name'] = (string) $v; }
	public function set_billing_company( $v ) { $this->billing['company'] = (string) $v; }
	public function set_billing_address_1( $v ) { $this->billing['address_1'] = (string) $v; }
	public function set_billing_address_2( $v ) { $this->billing['address_2'] = (string) $v; }
	public function set_billing_city( $v ) { $this->billing['city'] = (string) $v; }
	public function set_billing_state( $v ) { $this->billing['state'] = (string) $v; }
	public function set_billing_postcode( $v ) { $this->billing['postcode'] = (string) $v; }
	public function set_billing_country( $v ) { $this->billing['country'] = (string) $v; }
	public function set_billing_phone( $v ) { $this->billing['phone'] = (string) $v; }
	public function set_billing_email( $v ) { $this->billing['email'] = (string) $v; }

	public function get_shipping_first_name() { return $this->shipping['first_name']; }
	public function get_shipping_last_name() { return $this->shipping['last_name']; }
	public function get_shipping_company() { return $this->shipping['company']; }
	public function get_shipping_address_1() { return $this->shipping['address_1']; }
	public function get_shipping_address_2() { return $this->shipping['address_2']; }
	public function get_shipping_city() { return $this->shipping['city']; }
	public function get_shipping_state() { return $this->shipping['state']; }
	public function get_shipping_postcode() { return $this->shipping['postcode']; }
	public function get_shipping_country() { return $this->shipping['country']; }
	public function get_shipping_phone() { return $this->shipping['phone']; }
	public function set_shipping_first_name( $v ) { $this->shipping['first_name'] = (string) $v; }
	public function set_shipping_last_name( $v ) { $this->shipping['last_name'] = (string) $v; }
	public function set_shipping_company( $v ) { $this->shipping['company'] = (string) $v; }
	public function set_shipping_address_1( $v ) { $this->shipping['address_1'] = (string) $v; }
	public function set_shipping_address_2( $v ) { $this->shipping['address_2'] = (string) $v; }
	public function set_shipping_city( $v ) { $this->shipping['city'] = (string) $v; }
	public function set_shipping_state( $v ) { $this->shipping['state'] = (string) $v; }
	public function set_shipping_postcode( $v ) { $this->shipping['postcode'] = (string) $v; }
	public function set_shipping_country( $v ) { $this->shipping['country'] = (string) $v; }
	public function set_shipping_phone( $v ) { $this->shipping['phone'] = (string) $v; }

	public function get_meta( $key = '', $single = true, $context = 'view' ) { return $this->meta[ $key ] ?? ''; }
	public function meta_exists( $key = '' ) { return array_key_exists( $key, $this->meta ); }
	public function update_meta_data( $key, $value, $meta_id = 0 ) { $this->meta[ $key ] = $value; }
	public function add_meta_data( $key, $value, $unique = false ) {
		if ( ! $unique || ! $this->meta_exists( $key ) ) {
			$this->meta[ $key ] = $value;
		}
	}
	/** As WC_Data::get_meta_data(): WC_Meta_Data objects. */
	public function get_meta_data() {
		$entries = array();
		foreach ( $this->meta as $key => $value ) {
			$entries[] = new WC_Meta_Data( array( 'key' => $key, 'value' => $value ) );
		}
		return $entries;
	}
}
