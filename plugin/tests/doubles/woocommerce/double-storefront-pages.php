<?php
/**
 * WooCommerce TEST DOUBLE: the classic storefront's pages, as plain HTML in WooCommerce's markup
 * (no WooCommerce scripts or styles): a shop listing the products ([products]), the cart
 * ([woocommerce_cart]: its lines, the notices, "Proceed to checkout") and the classic, shortcode
 * checkout ([woocommerce_checkout]: the notices, the billing and shipping fields of
 * woocommerce_checkout_fields printed with woocommerce_form_field() and the values of
 * WC_Checkout::get_value(), and the order review). Orders are not placed from this page: tests place them with wc_test_double_checkout().
 *
 * The pages are WordPress pages whose ids WooCommerce keeps in woocommerce_<page>_page_id
 * (WC_Install::create_pages(); here wc_test_double_install_storefront(), which the test sites'
 * installer calls), so they work with plain permalinks (?page_id=<id>).
 *
 * @package Cartback\Tests
 */

/**
 * Double of wc_get_page_id().
 *
 * @param string $page shop, cart, checkout …
 * @return int The page's id, or -1.
 */
function wc_get_page_id( $page ) {
	$id = get_option( 'woocommerce_' . $page . '_page_id' );
	return $id ? absint( $id ) : -1;
}

/**
 * Double of wc_get_page_permalink(): the page's URL, else the fallback, else the home page.
 *
 * @param string      $page     shop, cart, checkout …
 * @param string|null $fallback URL when there is no such page.
 */
function wc_get_page_permalink( $page, $fallback = null ) {
	$id        = wc_get_page_id( $page );
	$permalink = 0 < $id ? get_permalink( $id ) : '';
	return $permalink ? $permalink : ( null === $fallback ? get_home_url() : $fallback );
}

/** Double of is_cart(): the cart page is shown, or tests set $GLOBALS['wc_test_double_page'] = 'cart'. */
function is_cart() {
	$id = wc_get_page_id( 'cart' );
	return 'cart' === ( $GLOBALS['wc_test_double_page'] ?? '' ) || ( $id > 0 && is_page( $id ) );
}

/**
 * Double of wc_print_notices(): prints (or returns) the notices in WooCommerce's classic markup, then clears them.
 *
 * @param bool $return Return instead of printing.
 */
function wc_print_notices( $return = false ) {
	$html = '';
	foreach ( array( 'error', 'success', 'notice' ) as $type ) {
		$notices = wp_list_pluck( wc_get_notices( $type ), 'notice' );
		if ( ! $notices ) {
			continue;
		}
		if ( 'error' === $type ) {
			$html .= '<ul class="woocommerce-error" role="alert"><li>' . implode( '</li><li>', $notices ) . '</li></ul>';
			continue;
		}
		foreach ( $notices as $notice ) {
			$html .= '<div class="' . ( 'success' === $type ? 'woocommerce-message' : 'woocommerce-info' ) . '" role="alert">' . $notice . '</div>';
		}
	}
	wc_clear_notices();
	$html = wp_kses_post( $html );
	if ( $return ) {
		return $html;
	}
	echo $html; // phpcs:ignore WordPress.Security.EscapingOutput.OutputNotEscaped -- kses above, as wc_kses_notice().
	return null;
}

/** Double of WC_Checkout: the fields and values the classic checkout form shows. */
class WC_Checkout {
	/** @var WC_Checkout|null */
	private static $instance;

	/** The one instance (WC()->checkout()). */
	public static function instance() {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	/**
	 * The billing and shipping fields WooCommerce starts from (WC_Countries::get_default_address_fields(),
	 * with the billing phone and email; the state as a text field, where WooCommerce shows a list
	 * for countries it knows the states of), through the woocommerce_checkout_fields filter, each
	 * group sorted by priority.
	 *
	 * @param string $fieldset A group (billing, shipping, order …), or '' for all.
	 * @return array
	 */
	public function get_checkout_fields( $fieldset = '' ) {
		$address = array(
			'first_name' => array( 'label' => 'First name', 'required' => true, 'class' => array( 'form-row-first' ), 'priority' => 10 ),
			'last_name'  => array( 'label' => 'Last name', 'required' => true, 'class' => array( 'form-row-last' ), 'priority' => 20 ),
			'company'    => array( 'label' => 'Company name', 'class' => array( 'form-row-wide' ), 'priority' => 30 ),
			'country'    => array( 'type' => 'country', 'label' => 'Country / Region', 'required' => true, 'class' => array( 'form-row-wide', 'address-field', 'update_totals_on_change' ), 'priority' => 40 ),
			'address_1'  => array( 'label' => 'Street address', 'required' => true, 'class' => array( 'form-row-wide', 'address-field' ), 'priority' => 50 ),
			'address_2'  => array( 'label' => 'Apartment, suite, unit, etc.', 'class' => array( 'form-row-wide', 'address-field' ), 'priority' => 60 ),
			'city'       => array( 'label' => 'Town / City', 'required' => true, 'class' => array( 'form-row-wide', 'address-field' ), 'priority' => 70 ),
			'state'      => array( 'label' => 'State / County', 'required' => true, 'class' => array( 'form-row-wide', 'address-field' ), 'priority' => 80 ),
			'postcode'   => array( 'label' => 'Postcode / ZIP', 'required' => true, 'class' => array( 'form-row-wide', 'address-field' ), 'priority' => 90 ),
		);
		$fields = array( 'billing' => array(), 'shipping' => array(), 'order' => array() );
		foreach ( array( 'billing', 'shipping' ) as $group ) {
			foreach ( $address as $key => $field ) {
				$fields[ $group ][ "{$group}_{$key}" ] = $field;
			}
		}
		$fields['billing']['billing_phone'] = array( 'type' => 'tel', 'label' => 'Phone', 'required' => true, 'class' => array( 'form-row-wide' ), 'priority' => 100 );
		$fields['billing']['billing_email'] = array( 'type' => 'email', 'label' => 'Email address', 'required' => true, 'class' => array( 'form-row-wide' ), 'priority' => 110 );
		$fields = apply_filters( 'woocommerce_checkout_fields', $fields );
		foreach ( array_keys( $fields ) as $group ) {
			uasort(
				$fields[ $group ],
				static function ( $a, $b ) {
					return ( $a['priority'] ?? 0 ) <=> ( $b['priority'] ?? 0 );
				}
			);
		}
		return '' === $fieldset ? $fields : ( $fields[ $fieldset ] ?? array() );
	}

	/**
	 * As WC_Checkout::get_value(): the woocommerce_checkout_get_value filter, else the session's
	 * customer (its getter, or its meta), then default_checkout_<input>.
	 *
	 * @param string $input Field name.
	 * @return mixed
	 */
	public function get_value( $input ) {
		$value = apply_filters( 'woocommerce_checkout_get_value', null, $input );
		if ( null !== $value ) {
			return $value;
		}
		$customer = WC()->customer;
		if ( is_callable( array( $customer, "get_$input" ) ) ) {
			$value = $customer->{"get_$input"}();
		} elseif ( $customer->meta_exists( $input ) ) {
			$value = $customer->get_meta( $input, true );
		}
		return apply_filters( 'default_checkout_' . $input, '' === $value ? null : $value, $input );
	}
}

/**
 * An amount as the double shows it: currency code and the store's decimals.
 *
 * @param float|string $amount Decimal amount.
 */
function wc_test_double_price( $amount ) {
	return '<span class="woocommerce-Price-amount amount">' . esc_html( get_woocommerce_currency() . ' ' . number_format( (float) $amount, wc_get_price_decimals() ) ) . '</span>';
}

/** woocommerce_output_all_notices(): the notices, in their wrapper. */
function wc_test_double_notices() {
	return '<div class="woocommerce-notices-wrapper">' . wc_print_notices( true ) . '</div>';
}

/** [products]: the catalogue, each with its add-to-cart link (WooCommerce's loop, without its script). */
function wc_test_double_products_shortcode() {
	$html = wc_test_double_notices() . '<ul class="products columns-4">';
	foreach ( $GLOBALS['wc_test_double_products'] as $product ) {
		$name  = $product->get_name();
		$html .= '<li class="product type-product post-' . (int) $product->get_id() . '"><h2 class="woocommerce-loop-product__title">' . esc_html( $name ) . '</h2>'
			. '<span class="price">' . wc_test_double_price( $product->get_price() ) . '</span> '
			. '<a href="' . esc_url( add_query_arg( 'add-to-cart', $product->get_id(), '' ) ) . '" data-quantity="1" class="button product_type_simple add_to_cart_button" data-product_id="' . (int) $product->get_id() . '" aria-label="' . esc_attr( "Add to cart: “{$name}”" ) . '" rel="nofollow">Add to cart</a></li>';
	}
	return '<div class="woocommerce">' . $html . '</ul></div>';
}

/** [woocommerce_cart]: the notices, the lines and the way to the checkout (or the empty cart's message). */
function wc_test_double_cart_shortcode() {
	$cart = WC()->cart;
	$html = wc_test_double_notices();
	if ( $cart->is_empty() ) {
		return '<div class="woocommerce">' . $html . '<p class="cart-empty woocommerce-info">Your cart is currently empty.</p><p class="return-to-shop"><a class="button wc-backward" href="' . esc_url( wc_get_page_permalink( 'shop' ) ) . '">Return to shop</a></p></div>';
	}
	$html .= '<table class="shop_table cart woocommerce-cart-form__contents"><thead><tr><th class="product-name">Product</th><th class="product-price">Price</th><th class="product-quantity">Quantity</th><th class="product-subtotal">Subtotal</th></tr></thead><tbody>';
	foreach ( $cart->get_cart() as $item ) {
		$html .= '<tr class="woocommerce-cart-form__cart-item cart_item"><td class="product-name">' . esc_html( $item['data']->get_name() ) . '</td><td class="product-price">' . wc_test_double_price( $item['data']->get_price() ) . '</td>'
			. '<td class="product-quantity">' . (int) $item['quantity'] . '</td><td class="product-subtotal">' . wc_test_double_price( WC_Cart::line_total( $item ) ) . '</td></tr>';
	}
	$html .= '</tbody></table><div class="cart-collaterals"><div class="cart_totals"><h2>Cart totals</h2><table class="shop_table"><tr class="order-total"><th>Total</th><td>' . wc_test_double_price( $cart->get_total() ) . '</td></tr></table>'
		. '<div class="wc-proceed-to-checkout"><a href="' . esc_url( wc_get_checkout_url() ) . '" class="checkout-button button alt wc-forward">Proceed to checkout</a></div></div></div>';
	return '<div class="woocommerce">' . $html . '</div>';
}

/**
 * [woocommerce_checkout]: the classic checkout form's billing fields, the shipping fields under
 * "Ship to a different address?" (templates/checkout/form-shipping.php: ticked as
 * woocommerce_ship_to_different_address_checked says, by default when the store ships to the
 * shipping address; the fields hidden while it is unticked and shown when it is ticked, as
 * WooCommerce's checkout script does, here with a line of script of the double's own), and the
 * order review.
 */
function wc_test_double_checkout_shortcode() {
	$checkout = WC_Checkout::instance();
	$html     = wc_test_double_notices() . '<form name="checkout" method="post" class="checkout woocommerce-checkout" action="' . esc_url( wc_get_checkout_url() ) . '">'
		. '<div class="col2-set" id="customer_details"><div class="col-1"><div class="woocommerce-billing-fields"><h3>Billing details</h3><div class="woocommerce-billing-fields__field-wrapper">';
	foreach ( $checkout->get_checkout_fields( 'billing' ) as $key => $field ) {
		$html .= woocommerce_form_field( $key, array_merge( $field, array( 'return' => true ) ), $checkout->get_value( $key ) );
	}
	$different = 1 === (int) apply_filters( 'woocommerce_ship_to_different_address_checked', 'shipping' === get_option( 'woocommerce_ship_to_destination' ) ? 1 : 0 );
	$html     .= '</div></div></div><div class="col-2"><div class="woocommerce-shipping-fields"><h3 id="ship-to-different-address"><label class="woocommerce-form__label woocommerce-form__label-for-checkbox checkbox">'
		. '<input id="ship-to-different-address-checkbox" class="woocommerce-form__input woocommerce-form__input-checkbox input-checkbox" ' . checked( $different, true, false ) . ' type="checkbox" name="ship_to_different_address" value="1" /> <span>Ship to a different address?</span></label></h3>'
		. '<div class="shipping_address"' . ( $different ? '' : ' style="display:none"' ) . '><div class="woocommerce-shipping-fields__field-wrapper">';
	foreach ( $checkout->get_checkout_fields( 'shipping' ) as $key => $field ) {
		$html .= woocommerce_form_field( $key, array_merge( $field, array( 'return' => true ) ), $checkout->get_value( $key ) );
	}
	$html .= '</div></div></div></div></div><h3 id="order_review_heading">Your order</h3><div id="order_review" class="woocommerce-checkout-review-order"><table class="shop_table woocommerce-checkout-review-order-table">'
		. '<thead><tr><th class="product-name">Product</th><th class="product-total">Subtotal</th></tr></thead><tbody>';
	foreach ( WC()->cart->get_cart() as $item ) {
		$html .= '<tr class="cart_item"><td class="product-name">' . esc_html( $item['data']->get_name() ) . ' <strong class="product-quantity">&times;&nbsp;' . (int) $item['quantity'] . '</strong></td><td class="product-total">' . wc_test_double_price( WC_Cart::line_total( $item ) ) . '</td></tr>';
	}
	$html .= '</tbody><tfoot><tr class="order-total"><th>Total</th><td>' . wc_test_double_price( WC()->cart->get_total() ) . '</td></tr></tfoot></table></div></form>'
		. '<script>document.getElementById("ship-to-different-address-checkbox").addEventListener("change",function(e){document.querySelector("div.shipping_address").style.display=e.target.checked?"":"none";});</script>';
	return '<div class="woocommerce">' . $html . '</div>';
}

/** wc_template_redirect(): the checkout of an empty cart sends the shopper to the cart page. */
function wc_test_double_template_redirect() {
	$checkout = wc_get_page_id( 'checkout' );
	if ( $checkout > 0 && is_page( $checkout ) && WC()->cart->is_empty() && ! is_wc_endpoint_url() ) {
		wc_add_notice( 'Checkout is not available whilst your cart is empty.', 'notice' );
		wp_safe_redirect( wc_get_cart_url() );
		exit;
	}
}

add_action(
	'init',
	static function () {
		add_shortcode( 'products', 'wc_test_double_products_shortcode' );
		add_shortcode( 'woocommerce_cart', 'wc_test_double_cart_shortcode' );
		add_shortcode( 'woocommerce_checkout', 'wc_test_double_checkout_shortcode' );
	}
);
add_action( 'template_redirect', 'wc_test_double_template_redirect' );

/**
 * What WooCommerce's installer does for the storefront (WC_Install::create_pages()), for the test
 * sites: the shop (also the front page), cart and checkout pages, and the double's catalogue of
 * products, which the storefront registers on every request (double-storefront-session.php).
 */
function wc_test_double_install_storefront() {
	$pages = array(
		'shop'     => array( 'Shop', '[products]' ),
		'cart'     => array( 'Cart', '[woocommerce_cart]' ),
		'checkout' => array( 'Checkout', '[woocommerce_checkout]' ),
	);
	foreach ( $pages as $page => list( $title, $content ) ) {
		$id = wp_insert_post(
			array(
				'post_type'      => 'page',
				'post_status'    => 'publish',
				'post_title'     => $title,
				'post_name'      => $page,
				'post_content'   => $content,
				'comment_status' => 'closed',
			)
		);
		update_option( "woocommerce_{$page}_page_id", $id );
	}
	update_option( 'show_on_front', 'page' );
	update_option( 'page_on_front', wc_get_page_id( 'shop' ) );
	update_option(
		'wc_test_double_catalogue',
		array(
			array( 'id' => 42, 'name' => 'Handloom cotton kurta', 'price' => '1299.00', 'sku' => 'KURTA-42', 'image_url' => includes_url( 'images/media/default.png' ) ),
		)
	);
}
