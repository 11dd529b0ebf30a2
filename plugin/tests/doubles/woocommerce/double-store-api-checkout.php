<?php
/**
 * WooCommerce TEST DOUBLE: the checkout block's "Place order", POST /wc/store/v1/checkout
 * (StoreApi\Routes\V1\Checkout::get_route_post_response): the posted billing address goes on
 * the customer and the order, the order is placed from the session's cart through
 * wc_test_double_checkout( 'store_api', … ) (so WooCommerce's hooks fire in WooCommerce's order)
 * and paid with the posted payment method, and the reply has the Store API's shape: order_id,
 * status, order_key, customer_id, billing_address, payment_method and payment_result.
 *
 * As the other Store API doubles, no nonce or cart token is checked.
 *
 * @package Cartback\Tests
 */

add_action(
	'rest_api_init',
	static function () {
		register_rest_route(
			'wc/store/v1',
			'/checkout',
			array(
				'methods'             => 'POST',
				'permission_callback' => '__return_true',
				'callback'            => static function ( WP_REST_Request $request ) {
					if ( WC()->cart->is_empty() ) {
						return new WP_Error( 'woocommerce_rest_cart_empty', 'Cannot create order from empty cart.', array( 'status' => 400 ) );
					}
					$address  = (array) $request['billing_address'];
					$customer = WC()->customer;
					$billing  = array();
					foreach ( array( 'first_name', 'email', 'phone', 'country' ) as $key ) {
						if ( isset( $address[ $key ] ) ) {
							$customer->{"set_billing_{$key}"}( (string) $address[ $key ] );
							$billing[ "billing_{$key}" ] = (string) $address[ $key ];
						}
					}
					$customer->save();
					$method = (string) ( $request['payment_method'] ? $request['payment_method'] : 'cod' );
					$order  = wc_test_double_checkout( 'store_api', $method, $billing );
					return rest_ensure_response(
						array(
							'order_id'        => $order->get_id(),
							'status'          => $order->get_status(),
							'order_key'       => $order->get_order_key(),
							'customer_id'     => $order->get_customer_id(),
							'billing_address' => $address,
							'payment_method'  => $method,
							'payment_result'  => array(
								'payment_status'  => $order->has_status( 'failed' ) ? 'failure' : 'success',
								'payment_details' => array(),
								'redirect_url'    => add_query_arg( 'key', $order->get_order_key(), home_url( '/?order-received=' . $order->get_id() ) ),
							),
						)
					);
				},
			)
		);
	}
);
