<?php
/**
 * WooCommerce TEST DOUBLE: the flows that make and change orders, as WooCommerce's own code runs
 * them (see each function for the WooCommerce code it stands for): checkout (classic and Store
 * API) with gateways that behave like WooCommerce's, refunds (wc_create_refund()), and the
 * order-received page emptying a paid cart (wc_clear_cart_after_payment()).
 *
 * @package Cartback\Tests
 */

/**
 * Double of wc_clear_cart_after_payment(), hooked as WooCommerce hooks it (template_redirect, 20):
 * on the order-received page, or once the order awaiting payment went through, the cart is emptied.
 */
function wc_clear_cart_after_payment() {
	global $wp;
	if ( ! empty( $wp->query_vars['order-received'] ) ) {
		$order     = wc_get_order( absint( $wp->query_vars['order-received'] ) );
		$order_key = isset( $_GET['key'] ) ? sanitize_text_field( wp_unslash( $_GET['key'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification
		if ( $order && hash_equals( $order->get_order_key(), $order_key ) ) {
			WC()->cart->empty_cart();
		}
	}
	if ( WC()->session && WC()->session->order_awaiting_payment > 0 ) {
		$order = wc_get_order( WC()->session->order_awaiting_payment );
		if ( $order && $order->get_id() > 0 && ! $order->has_status( array( 'failed', 'pending', 'cancelled' ) ) ) {
			WC()->cart->empty_cart();
		}
	}
}
add_action( 'template_redirect', 'wc_clear_cart_after_payment', 20 );

/**
 * Test helper: an order saved as WooCommerce saves one (woocommerce_new_order fires).
 *
 * @param array $props Props for WC_Order::set_props() (billing_*, items, total, status, …).
 */
function wc_test_double_create_order( array $props = array() ) {
	$order = new WC_Order();
	$order->set_props( $props );
	$order->save();
	return $order;
}

/**
 * Test helper: the Store API's draft order for the current cart, as the checkout block's first
 * request makes it (StoreApi\Routes\V1\Checkout::create_or_update_draft_order()).
 */
function wc_test_double_checkout_draft() {
	$order = wc_test_double_create_order( array_merge( wc_test_double_order_props_from_cart(), array( 'status' => 'checkout-draft', 'created_via' => 'store-api' ) ) );
	do_action( 'woocommerce_store_api_checkout_update_order_meta', $order );
	return $order;
}

/**
 * Test helper: places an order from the current cart as WooCommerce's checkout does, and pays
 * with a gateway that behaves like WooCommerce's own.
 *
 *   classic:   WC_Checkout::create_order() (woocommerce_checkout_create_order, the new order
 *              saved, woocommerce_checkout_update_order_meta, woocommerce_checkout_order_created),
 *              then woocommerce_checkout_order_processed ($order_id, $posted_data, $order).
 *   store_api: the draft order (made if not given) is updated from the cart and leaves
 *              checkout-draft for pending, then woocommerce_store_api_checkout_order_processed ($order).
 * Gateways: "bacs" (on-hold, cart emptied), "cod" (processing, cart emptied), "card"
 * (payment_complete(), cart emptied), "redirect" (stays pending; the cart is emptied later on the
 * order-received page), "declined" (failed, the cart stays).
 *
 * @param string        $flow    classic|store_api.
 * @param string        $gateway bacs|cod|card|redirect|declined.
 * @param array         $billing billing_* props (and posted checkout fields, for the classic checkout).
 * @param WC_Order|null $draft   The Store API draft, if one was made earlier.
 * @return WC_Order
 */
function wc_test_double_checkout( $flow, $gateway, array $billing = array(), $draft = null ) {
	$props = array_merge( wc_test_double_order_props_from_cart(), $billing, array( 'payment_method' => $gateway ) );
	if ( 'store_api' === $flow ) {
		$order = $draft ? $draft : wc_test_double_checkout_draft();
		$order->set_props( $props );
		do_action( 'woocommerce_store_api_checkout_update_order_meta', $order );
		$order->set_status( 'pending' );
		$order->save();
		do_action( 'woocommerce_store_api_checkout_order_processed', $order );
	} else {
		$posted = array_merge( $billing, array( 'payment_method' => $gateway ) );
		$order  = new WC_Order();
		$order->set_props( array_merge( $props, array( 'created_via' => 'checkout' ) ) );
		do_action( 'woocommerce_checkout_create_order', $order, $posted );
		$order->save();
		do_action( 'woocommerce_checkout_update_order_meta', $order->get_id(), $posted );
		do_action( 'woocommerce_checkout_order_created', $order );
		do_action( 'woocommerce_checkout_order_processed', $order->get_id(), $posted, $order );
	}
	WC()->session->set( 'order_awaiting_payment', $order->get_id() );
	switch ( $gateway ) {
		case 'bacs':
			$order->update_status( 'on-hold' );
			WC()->cart->empty_cart();
			break;
		case 'cod':
			$order->update_status( 'processing' );
			WC()->cart->empty_cart();
			break;
		case 'card':
			$order->payment_complete( 'txn_' . $order->get_id() );
			WC()->cart->empty_cart();
			break;
		case 'declined':
			$order->update_status( 'failed' );
			break;
	}
	return $order;
}

/**
 * Test helper: a refund as wc_create_refund() makes it. A full refund sets the order's status
 * to refunded first; woocommerce_order_refunded fires last either way.
 *
 * @param WC_Order     $order  The order.
 * @param string|float $amount Amount refunded (decimal).
 * @return int The refund's id.
 */
function wc_test_double_refund( $order, $amount ) {
	$order     = wc_get_order( $order );
	$refund_id = wc_test_double_next_order_id();
	$refunded  = (float) $order->get_total_refunded() + (float) $amount;
	$order->set_props( array( 'total_refunded' => $refunded ) );
	$order->save();
	if ( $refunded < (float) $order->get_total() ) {
		do_action( 'woocommerce_order_partially_refunded', $order->get_id(), $refund_id );
	} else {
		do_action( 'woocommerce_order_fully_refunded', $order->get_id(), $refund_id );
		$order->update_status( 'refunded' );
	}
	do_action( 'woocommerce_order_refunded', $order->get_id(), $refund_id );
	return $refund_id;
}

/**
 * The order props WC_Checkout::set_data_from_cart() copies from the cart and customer.
 *
 * @internal
 */
function wc_test_double_order_props_from_cart() {
	$cart  = WC()->cart;
	$items = array();
	foreach ( $cart->get_cart() as $item ) {
		$product = $item['data'];
		$items[] = array(
			'product_id'   => $item['product_id'],
			'variation_id' => $item['variation_id'],
			'name'         => $product->get_name(),
			'quantity'     => $item['quantity'],
			'subtotal'     => $item['line_subtotal'] ?? WC_Cart::line_total( $item ),
			'total'        => $item['line_total'] ?? WC_Cart::line_total( $item ),
		);
	}
	$customer = WC()->customer;
	return array(
		'customer_id'        => get_current_user_id(),
		'currency'           => get_woocommerce_currency(),
		'billing_email'      => $customer ? $customer->get_billing_email() : '',
		'billing_phone'      => $customer ? $customer->get_billing_phone() : '',
		'billing_country'    => $customer ? $customer->get_billing_country() : '',
		'billing_first_name' => $customer ? $customer->get_billing_first_name() : '',
		'discount_total'     => $cart->get_discount_total(),
		'shipping_total'     => $cart->get_shipping_total(),
		'total_tax'          => $cart->get_total_tax(),
		'total'              => $cart->get_total( 'edit' ),
		'coupon_codes'       => $cart->get_applied_coupons(),
		'items'              => $items,
	);
}
