<?php
/**
 * WooCommerce TEST DOUBLE: the checkout pieces Cartback touches, with WooCommerce's names and
 * arguments — the Additional Checkout Fields API, woocommerce_form_field(), the page conditionals,
 * and the two Store API routes the checkout block calls while the shopper is on the page:
 *
 * - POST /wc/store/v1/cart/update-customer (StoreApi\Routes\V1\CartUpdateCustomer): sets the
 *   address on WC()->customer, fires woocommerce_store_api_cart_update_customer_from_request
 *   ($customer, $request), saves the customer.
 * - PUT /wc/store/v1/checkout (StoreApi\Routes\V1\Checkout::get_route_update_response, WC 9.8+):
 *   persists the posted additional fields; each value goes through CheckoutFields' set_array_meta,
 *   which fires woocommerce_set_additional_field_value ($key, $value, $group, $wc_object) and
 *   stores "_wc_other/<id>". (Reduced to trunk's no-draft path: the values land on the customer.)
 *
 * No nonce or cart token checks: it is a double, not the Store API.
 *
 * @package Cartback\Tests
 */

/** @var array<string, array> Fields registered with the double, by id. */
$GLOBALS['wc_test_double_additional_fields'] = array();

/**
 * Double of woocommerce_register_additional_checkout_field() (WC 8.9+).
 *
 * @param array $options id, label, location (contact|address|order), type, required …
 */
function woocommerce_register_additional_checkout_field( $options ) {
	if ( empty( $options['id'] ) || count( explode( '/', $options['id'] ) ) < 2 || empty( $options['label'] ) || ! in_array( $options['location'] ?? '', array( 'contact', 'address', 'order' ), true ) ) {
		throw new Exception( 'WooCommerce test double: invalid additional checkout field' );
	}
	$GLOBALS['wc_test_double_additional_fields'][ $options['id'] ] = $options;
}

/**
 * The customer meta key CheckoutFields uses for an "other" (contact/order) field.
 *
 * @param string $key Field id.
 */
function wc_test_double_additional_field_meta_key( $key ) {
	return '_wc_other/' . $key;
}

/**
 * What CheckoutFields::set_array_meta() does for one value: the action, then the meta.
 *
 * @param string $key       Field id.
 * @param mixed  $value     Value.
 * @param object $wc_object WC_Customer (or an order).
 */
function wc_test_double_persist_additional_field( $key, $value, $wc_object ) {
	Automattic\WooCommerce\Blocks\Package::container()->get( Automattic\WooCommerce\Blocks\Domain\Services\CheckoutFields::class )->persist_field_for_customer( $key, $value, $wc_object, 'other' );
}

/**
 * An address as the Store API answers with it (AbstractAddressSchema): every address field.
 *
 * @param WC_Customer $customer The customer.
 * @param string      $group    billing|shipping.
 */
function wc_test_double_store_api_address( $customer, $group ) {
	$address = array();
	foreach ( WC_Customer::ADDRESS_PROPS as $field ) {
		$address[ $field ] = (string) $customer->{"get_{$group}_{$field}"}();
	}
	if ( 'billing' === $group ) {
		$address['email'] = (string) $customer->get_billing_email();
	}
	return $address;
}

/**
 * The block checkout's first state of "Use same address for billing": every address field (the
 * core ones; email is not an address field) of the billing and shipping addresses it is hydrated
 * with is the same.
 *
 * @param array $checkout_data GET /wc/store/v1/checkout's answer.
 */
function wc_test_double_same_address( array $checkout_data ) {
	foreach ( WC_Customer::ADDRESS_PROPS as $field ) {
		if ( ( $checkout_data['billing_address'][ $field ] ?? '' ) !== ( $checkout_data['shipping_address'][ $field ] ?? '' ) ) {
			return false;
		}
	}
	return true;
}

add_action(
	'rest_api_init',
	static function () {
		register_rest_route(
			'wc/store/v1',
			'/cart/update-customer',
			array(
				'methods'             => 'POST',
				'permission_callback' => '__return_true',
				'callback'            => static function ( WP_REST_Request $request ) {
					$customer = WC()->customer;
					$billing  = (array) $request['billing_address'];
					$shipping = isset( $request['shipping_address'] ) ? (array) $request['shipping_address'] : $billing;
					foreach ( array( 'billing' => $billing, 'shipping' => $shipping ) as $group => $address ) {
						foreach ( $address as $key => $value ) {
							if ( is_callable( array( $customer, "set_{$group}_{$key}" ) ) ) {
								$customer->{"set_{$group}_{$key}"}( $value );
							}
						}
					}
					do_action( 'woocommerce_store_api_cart_update_customer_from_request', $customer, $request );
					$customer->save();
					return rest_ensure_response( array( 'billing_address' => $request['billing_address'] ) );
				},
			)
		);
		register_rest_route(
			'wc/store/v1',
			'/checkout',
			array(
				'methods'             => 'GET',
				'permission_callback' => '__return_true',
				'callback'            => static function () {
					$customer = WC()->customer;
					$fields   = Automattic\WooCommerce\Blocks\Package::container()->get( Automattic\WooCommerce\Blocks\Domain\Services\CheckoutFields::class );
					$other    = array();
					foreach ( $fields->get_all_fields_from_object( $customer, 'other' ) as $key => $value ) {
						$field         = $GLOBALS['wc_test_double_additional_fields'][ $key ];
						$other[ $key ] = 'checkbox' === ( $field['type'] ?? 'text' ) ? (bool) $value : $value;
					}
					return rest_ensure_response(
						array(
							'billing_address'   => wc_test_double_store_api_address( $customer, 'billing' ),
							'shipping_address'  => wc_test_double_store_api_address( $customer, 'shipping' ),
							'additional_fields' => (object) $other,
						)
					);
				},
			)
		);
		register_rest_route(
			'wc/store/v1',
			'/checkout',
			array(
				'methods'             => 'PUT',
				'permission_callback' => '__return_true',
				'callback'            => static function ( WP_REST_Request $request ) {
					$posted = (array) $request['additional_fields'];
					foreach ( $GLOBALS['wc_test_double_additional_fields'] as $id => $field ) {
						if ( in_array( $field['location'], array( 'contact', 'order' ), true ) && array_key_exists( $id, $posted ) ) {
							wc_test_double_persist_additional_field( $id, $posted[ $id ], WC()->customer );
						}
					}
					WC()->customer->save();
					// WooCommerce 10.9+ (PR #64155): no draft order; the session is updated, then this fires.
					do_action( 'woocommerce_store_api_checkout_update_draft', $request );
					return rest_ensure_response( array( 'additional_fields' => $posted ) );
				},
			)
		);
	}
);

/**
 * Double of woocommerce_form_field(): the markup WooCommerce prints for text, checkbox and (one
 * country) country fields.
 * Like WooCommerce, it prints a checkbox's label as given (callers escape it).
 *
 * @param string $key   Field name.
 * @param array  $args  type, label, required, class, id, default, return …
 * @param mixed  $value Current value (null: the default).
 * @return string The markup when $args['return'], else ''.
 */
function woocommerce_form_field( $key, $args, $value = null ) {
	$args  = wp_parse_args(
		$args,
		array(
			'type'     => 'text',
			'label'    => '',
			'required' => false,
			'class'    => array(),
			'id'       => $key,
			'default'  => '',
			'return'   => false,
		)
	);
	$value = null === $value ? $args['default'] : $value;
	$extra = $args['required'] ? '&nbsp;<abbr class="required" title="required">*</abbr>' : '&nbsp;<span class="optional">(optional)</span>';
	if ( 'checkbox' === $args['type'] ) {
		$field = '<label class="checkbox"><input type="checkbox" class="input-checkbox" name="' . esc_attr( $key ) . '" id="' . esc_attr( $args['id'] ) . '" value="1" ' . checked( $value, 1, false ) . ' /> ' . $args['label'] . $extra . '</label>';
	} elseif ( 'country' === $args['type'] ) {
		// As WooCommerce prints it for a store that sells to one country: the store's base country.
		$country = '' !== (string) $value ? (string) $value : WC()->countries->get_base_country();
		$field   = '<label for="' . esc_attr( $args['id'] ) . '">' . wp_kses_post( $args['label'] ) . $extra . '</label><strong>' . esc_html( $country ) . '</strong><input type="hidden" name="' . esc_attr( $key ) . '" id="' . esc_attr( $args['id'] ) . '" value="' . esc_attr( $country ) . '" class="country_to_state" readonly="readonly" />';
	} else {
		$field = '<label for="' . esc_attr( $args['id'] ) . '">' . wp_kses_post( $args['label'] ) . $extra . '</label><input type="' . esc_attr( $args['type'] ) . '" class="input-text" name="' . esc_attr( $key ) . '" id="' . esc_attr( $args['id'] ) . '" value="' . esc_attr( (string) $value ) . '" />';
	}
	$html = '<p class="form-row ' . esc_attr( implode( ' ', (array) $args['class'] ) ) . '" id="' . esc_attr( $args['id'] ) . '_field"><span class="woocommerce-input-wrapper">' . $field . '</span></p>';
	if ( $args['return'] ) {
		return $html;
	}
	echo $html; // phpcs:ignore WordPress.Security.EscapingOutput.OutputNotEscaped -- built from escaped parts, as WooCommerce does.
	return '';
}

/** Double of is_checkout(): the checkout page is shown, or tests set $GLOBALS['wc_test_double_page'] = 'checkout'. */
function is_checkout() {
	$page_id = wc_get_page_id( 'checkout' );
	return 'checkout' === ( $GLOBALS['wc_test_double_page'] ?? '' ) || ( $page_id > 0 && is_page( $page_id ) );
}

/** Double of is_account_page(). */
function is_account_page() {
	return 'account' === ( $GLOBALS['wc_test_double_page'] ?? '' );
}

/**
 * Double of is_wc_endpoint_url(): the order-received and order-pay pages of the checkout.
 *
 * @param string|false $endpoint An endpoint, or any.
 */
function is_wc_endpoint_url( $endpoint = false ) {
	$current = $GLOBALS['wc_test_double_endpoint'] ?? '';
	return false === $endpoint ? '' !== $current : $endpoint === $current;
}
