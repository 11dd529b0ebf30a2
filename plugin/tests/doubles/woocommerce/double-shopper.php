<?php
/**
 * WooCommerce TEST DOUBLE: products, the session, the customer and the cart, in memory, firing
 * the same hooks with the same arguments as WooCommerce's WC_Cart.
 *
 * @package Cartback\Tests
 */

/** Double of WC_Product: the getters Cartback reads. Made with wc_test_double_product(). */
class WC_Product {
	/** @var array */
	private $props;

	/** @param array $props id, name, price (decimal string), sku, parent_id, in_stock, category_ids, image_url, type. */
	public function __construct( array $props ) {
		$this->props = array_merge(
			array( 'sku' => '', 'parent_id' => 0, 'in_stock' => true, 'category_ids' => array(), 'image_url' => '', 'type' => 'simple' ),
			$props
		);
	}
	public function get_id() { return (int) $this->props['id']; }
	public function get_parent_id() { return (int) $this->props['parent_id']; }
	public function get_name() { return $this->props['name']; }
	public function get_sku() { return $this->props['sku']; }
	public function get_price( $context = 'view' ) { return $this->props['price']; }
	public function get_type() { return $this->props['type']; }
	public function is_in_stock() { return (bool) $this->props['in_stock']; }
	public function is_purchasable() { return true; }
	public function get_category_ids( $context = 'view' ) { return $this->props['category_ids']; }
	/** A stand-in attachment id when the product has an image; the filter below resolves it like WordPress would. */
	public function get_image_id( $context = 'view' ) { return '' !== $this->props['image_url'] ? WC_TEST_DOUBLE_IMAGE_IDS + $this->get_id() : 0; }
	public function get_permalink() { return home_url( '/?product=' . $this->get_id() ); }
	/** Test-only: the image URL the double stands in for wp_get_attachment_image_url(). */
	public function get_test_image_url() { return $this->props['image_url']; }
}

$GLOBALS['wc_test_double_products'] = array();

/** Stand-in attachment ids for product images start here (product id added). */
const WC_TEST_DOUBLE_IMAGE_IDS = 900000000;

// wp_get_attachment_image_url() on a stand-in id returns the product's test image, as WordPress
// would for a real attachment.
add_filter(
	'wp_get_attachment_image_src',
	static function ( $image, $attachment_id ) {
		$product = wc_get_product( (int) $attachment_id - WC_TEST_DOUBLE_IMAGE_IDS );
		if ( (int) $attachment_id > WC_TEST_DOUBLE_IMAGE_IDS && $product && '' !== $product->get_test_image_url() ) {
			return array( $product->get_test_image_url(), 600, 600, false );
		}
		return $image;
	},
	10,
	2
);

// WooCommerce registers the product category taxonomy on init.
add_action(
	'init',
	static function () {
		register_taxonomy( 'product_cat', array( 'product' ), array( 'hierarchical' => true, 'public' => true, 'label' => 'Product categories' ) );
	},
	5
);

/**
 * Test helper: the request is for $product's single product page (is_product() and the queried
 * object, as WordPress sets them), or, with null, for no product page.
 *
 * @param WC_Product|null $product The product.
 */
function wc_test_double_view_product( $product ) {
	global $wp_query;
	$GLOBALS['wc_test_double_current_product'] = $product;
	$wp_query->queried_object    = $product ? (object) array( 'ID' => $product->get_id(), 'post_type' => 'product' ) : null;
	$wp_query->queried_object_id = $product ? $product->get_id() : null;
}

/** Test helper: registers a product the double's wc_get_product() returns. */
function wc_test_double_product( array $props ) {
	$product = new WC_Product( $props );
	$GLOBALS['wc_test_double_products'][ $product->get_id() ] = $product;
	return $product;
}

/** Double of wc_get_product(). */
function wc_get_product( $id = false ) {
	return $GLOBALS['wc_test_double_products'][ (int) $id ] ?? false;
}

/** Double of WC_Session_Handler, in memory (double-storefront-session.php persists it over HTTP). */
class WC_Session_Handler {
	/** @var string */
	protected $customer_id;
	/** @var array */
	protected $data = array();
	/** @var bool */
	protected $has_cookie = false;

	public function __construct( $user_id = 0 ) {
		$this->customer_id = $user_id ? (string) $user_id : 't_' . bin2hex( random_bytes( 13 ) );
	}
	public function get_customer_id() { return $this->customer_id; }
	public function get_customer_unique_id() { return $this->customer_id; }
	public function has_session() { return $this->has_cookie; }
	public function set_customer_session_cookie( $set ) { $this->has_cookie = (bool) $set; }
	public function get( $key, $default = null ) { return $this->data[ $key ] ?? $default; }
	public function set( $key, $value ) { $this->data[ $key ] = $value; }
	public function __unset( $key ) { unset( $this->data[ $key ] ); }
	public function __get( $key ) { return $this->get( $key ); }
	public function __set( $key, $value ) { $this->set( $key, $value ); }
	public function __isset( $key ) { return isset( $this->data[ $key ] ); }
}

/** Double of WC_Cart: lines, quantities, coupons and totals, firing WooCommerce's hooks. */
class WC_Cart {
	/** @var array<string, array> */
	public $cart_contents = array();
	/** @var string[] */
	private $coupons = array();
	/** @var array<string, int> Coupon code => fixed discount in minor units (tests set it). */
	public static $coupon_discounts = array();
	/** @var array<string, string> Coupon code => the error WooCommerce gives when it refuses it (expired, used up, not yours; tests set it). */
	public static $coupon_refusals = array();
	/** @var array<string, string[]> Coupon code => the lower-case emails it is restricted to (tests set it). */
	public static $coupon_emails = array();

	public function get_cart() { return $this->cart_contents; }
	public function get_cart_contents() { return $this->cart_contents; }
	public function is_empty() { return 0 === count( $this->cart_contents ); }
	public function get_cart_contents_count() { return array_sum( wp_list_pluck( $this->cart_contents, 'quantity' ) ); }
	public function get_applied_coupons() { return $this->coupons; }

	/** @var array<string, array> Lines removed, which restore_cart_item() can bring back. */
	public $removed_cart_contents = array();

	/**
	 * Same signature and hook as WC_Cart::add_to_cart(). Like WooCommerce, it does not recalculate
	 * totals (the caller, or the next page load, does).
	 */
	public function add_to_cart( $product_id = 0, $quantity = 1, $variation_id = 0, $variation = array(), $cart_item_data = array() ) {
		$product = wc_get_product( $variation_id ? $variation_id : $product_id );
		if ( ! $product || ! $product->is_in_stock() ) {
			wc_add_notice( 'Sorry, this product cannot be purchased.', 'error' );
			return false;
		}
		$key = md5( $product_id . '_' . $variation_id . '_' . wp_json_encode( $variation ) );
		if ( isset( $this->cart_contents[ $key ] ) ) {
			$this->set_quantity( $key, $this->cart_contents[ $key ]['quantity'] + $quantity, false );
		} else {
			$this->cart_contents[ $key ] = array(
				'key'          => $key,
				'product_id'   => (int) $product_id,
				'variation_id' => (int) $variation_id,
				'variation'    => $variation,
				'quantity'     => (int) $quantity,
				'data'         => $product,
			);
		}
		do_action( 'woocommerce_add_to_cart', $key, $product_id, $quantity, $variation_id, $variation, $cart_item_data );
		return $key;
	}

	/** Same signature and hooks, in the same order, as WC_Cart::set_quantity(). */
	public function set_quantity( $cart_item_key, $quantity = 1, $refresh_totals = true ) {
		if ( 0 === (int) $quantity || $quantity < 0 ) {
			return $this->remove_cart_item( $cart_item_key );
		}
		$old = $this->cart_contents[ $cart_item_key ]['quantity'];
		$this->cart_contents[ $cart_item_key ]['quantity'] = (int) $quantity;
		do_action( 'woocommerce_after_cart_item_quantity_update', $cart_item_key, $quantity, $old, $this );
		if ( $refresh_totals ) {
			$this->calculate_totals();
		}
		do_action( 'woocommerce_cart_item_set_quantity', $cart_item_key, $quantity, $this );
		return true;
	}

	/** Same signature and hooks as WC_Cart::remove_cart_item() (no recalculation, as in WooCommerce). */
	public function remove_cart_item( $cart_item_key ) {
		if ( ! isset( $this->cart_contents[ $cart_item_key ] ) ) {
			return false;
		}
		$this->removed_cart_contents[ $cart_item_key ] = $this->cart_contents[ $cart_item_key ];
		unset( $this->removed_cart_contents[ $cart_item_key ]['data'] );
		do_action( 'woocommerce_remove_cart_item', $cart_item_key, $this );
		unset( $this->cart_contents[ $cart_item_key ] );
		do_action( 'woocommerce_cart_item_removed', $cart_item_key, $this );
		return true;
	}

	/** Same signature and hooks as WC_Cart::restore_cart_item() (the "Undo" after a removal). */
	public function restore_cart_item( $cart_item_key ) {
		if ( ! isset( $this->removed_cart_contents[ $cart_item_key ] ) ) {
			return false;
		}
		$item         = $this->removed_cart_contents[ $cart_item_key ];
		$item['data'] = wc_get_product( $item['variation_id'] ? $item['variation_id'] : $item['product_id'] );
		$this->cart_contents[ $cart_item_key ] = $item;
		do_action( 'woocommerce_restore_cart_item', $cart_item_key, $this );
		unset( $this->removed_cart_contents[ $cart_item_key ] );
		do_action( 'woocommerce_cart_item_restored', $cart_item_key, $this );
		return true;
	}

	/** Same hooks as WC_Cart::empty_cart(). */
	public function empty_cart( $clear_persistent_cart = true ) {
		do_action( 'woocommerce_before_cart_emptied', $clear_persistent_cart );
		$this->cart_contents         = array();
		$this->removed_cart_contents = array();
		$this->coupons               = array();
		do_action( 'woocommerce_cart_emptied', $clear_persistent_cart );
	}

	/** Same hooks as WC_Cart::apply_coupon(); codes must be in $coupon_discounts, and not in $coupon_refusals. No recalculation, as in WooCommerce. */
	public function apply_coupon( $coupon_code ) {
		$code = wc_format_coupon_code( $coupon_code );
		if ( ! isset( self::$coupon_discounts[ $code ] ) ) {
			wc_add_notice( sprintf( 'Coupon "%s" does not exist!', $code ), 'error' );
			return false;
		}
		if ( isset( self::$coupon_refusals[ $code ] ) ) {
			wc_add_notice( self::$coupon_refusals[ $code ], 'error' );
			return false;
		}
		// As WooCommerce 10.5 does (checked in a real store): a code restricted to emails is
		// checked against the session customer's billing email when it is applied.
		$emails = self::$coupon_emails[ $code ] ?? array();
		if ( $emails && ! in_array( strtolower( (string) WC()->customer->get_billing_email() ), $emails, true ) ) {
			wc_add_notice( sprintf( 'Please enter a valid email at checkout to use coupon code "%s".', $code ), 'error' );
			return false;
		}
		if ( in_array( $code, $this->coupons, true ) ) {
			wc_add_notice( 'Coupon code already applied!', 'error' );
			return false;
		}
		$this->coupons[] = $code;
		do_action( 'woocommerce_applied_coupon', $code );
		return true;
	}

	/** Same signature and hook as WC_Cart::remove_coupon(). */
	public function remove_coupon( $coupon_code ) {
		$code     = wc_format_coupon_code( $coupon_code );
		$position = array_search( $code, $this->coupons, true );
		if ( false !== $position ) {
			unset( $this->coupons[ $position ] );
			$this->coupons = array_values( $this->coupons );
		}
		do_action( 'woocommerce_removed_coupon', $code );
		return true;
	}

	/**
	 * As WC_Cart::calculate_totals(): nothing for an empty cart; otherwise each item gets WooCommerce's
	 * line_subtotal / line_total (decimals, without tax; line_total after its share of the
	 * discounts), line_tax, line_subtotal_tax and line_tax_data, then the hooks fire.
	 */
	public function calculate_totals() {
		if ( $this->is_empty() ) {
			return;
		}
		do_action( 'woocommerce_before_calculate_totals', $this );
		$subtotal = $this->subtotal_minor();
		$discount = min( $subtotal, $this->discount_minor() );
		$left     = $discount;
		$keys     = array_keys( $this->cart_contents );
		foreach ( $keys as $i => $key ) {
			$item  = $this->cart_contents[ $key ];
			$line  = $this->line_subtotal_minor( $item );
			$share = ( count( $keys ) - 1 === $i ) ? $left : ( $subtotal > 0 ? intdiv( $discount * $line, $subtotal ) : 0 );
			$left -= $share;
			$this->cart_contents[ $key ]['line_subtotal']     = (float) $this->money( $line );
			$this->cart_contents[ $key ]['line_subtotal_tax'] = 0.0;
			$this->cart_contents[ $key ]['line_total']        = (float) $this->money( $line - $share );
			$this->cart_contents[ $key ]['line_tax']          = 0.0;
			$this->cart_contents[ $key ]['line_tax_data']     = array( 'subtotal' => array(), 'total' => array() );
		}
		do_action( 'woocommerce_after_calculate_totals', $this );
	}

	/** Sum of lines, as a decimal string like WooCommerce's getters (in the store currency's decimals). */
	public function get_subtotal() { return $this->money( $this->subtotal_minor() ); }
	public function get_subtotal_tax() { return '0'; }
	public function get_total_tax() { return '0'; }
	public function get_shipping_total() { return '0'; }
	public function get_discount_total() { return $this->money( min( $this->subtotal_minor(), $this->discount_minor() ) ); }
	public function get_total( $context = 'view' ) { return $this->money( max( 0, $this->subtotal_minor() - $this->discount_minor() ) ); }

	/**
	 * The cart item's line total before discounts (decimal).
	 *
	 * @param array $item Cart item.
	 */
	public static function line_total( array $item ) {
		return (float) $item['data']->get_price() * $item['quantity'];
	}

	private function line_subtotal_minor( array $item ) {
		return (int) round( (float) $item['data']->get_price() * ( 10 ** wc_get_price_decimals() ) ) * (int) $item['quantity'];
	}
	private function subtotal_minor() {
		$sum = 0;
		foreach ( $this->cart_contents as $item ) {
			$sum += $this->line_subtotal_minor( $item );
		}
		return $sum;
	}
	private function discount_minor() {
		$sum = 0;
		foreach ( $this->coupons as $code ) {
			$sum += self::$coupon_discounts[ $code ] ?? 0;
		}
		return $sum;
	}
	private function money( $minor ) {
		$decimals = wc_get_price_decimals();
		return number_format( $minor / ( 10 ** $decimals ), $decimals, '.', '' );
	}
}

/** Double of wc_format_coupon_code(). */
function wc_format_coupon_code( $value ) {
	return strtolower( trim( (string) $value ) );
}

/** Double of is_product() (the test sets the current product). */
function is_product() {
	return ! empty( $GLOBALS['wc_test_double_current_product'] );
}
