<?php
/**
 * The WhatsApp opt-in checkbox (DESIGN.md, "Consent"): unticked unless the shopper ticked it, worded
 * by Settings::consent(), on the blocks checkout, the classic checkout and My Account. Each tick or
 * untick is recorded when it happens (Consent_Recorder), not when an order is placed.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Shows the box everywhere a shopper can give or withdraw consent, and hears every change of it. */
final class Consent {
	/** The blocks checkout field (Additional Checkout Fields API, location "contact"). */
	const FIELD_ID = 'cartback/whatsapp-optin';

	/** The classic checkout field and the My Account toggle (form name). */
	const CLASSIC_FIELD = 'cartback_whatsapp_optin';

	/** Order meta with the classic checkout's answer, "yes" or "no" (the blocks checkout keeps its own, "_wc_other/cartback/whatsapp-optin"). */
	const ORDER_META = '_cartback_whatsapp_optin';

	/** Where WooCommerce keeps the blocks box on a customer (CheckoutFields: "_wc_other/" + id). */
	const BLOCK_CUSTOMER_META = '_wc_other/cartback/whatsapp-optin';

	/** Store API routes the blocks checkout sends its additional fields to. */
	const STORE_API_CHECKOUT_ROUTE = '#^/wc/store(?:/v\d+)?/checkout$#';

	/** @var bool Whether the REST request being served is a Store API checkout request that posted the box. */
	private static $box_posted = false;

	/** Hooks. */
	public static function register(): void {
		add_action( 'woocommerce_init', array( self::class, 'register_block_field' ) );
		add_filter( 'woocommerce_get_default_value_for_' . self::FIELD_ID, array( self::class, 'block_field_default' ), 10, 3 );
		add_filter( 'rest_request_before_callbacks', array( self::class, 'note_store_api_request' ), 10, 3 );
		add_filter( 'rest_request_after_callbacks', array( self::class, 'forget_store_api_request' ) );
		add_action( 'woocommerce_set_additional_field_value', array( self::class, 'on_block_field_value' ), 10, 4 );
		add_action( 'woocommerce_store_api_cart_update_customer_from_request', array( self::class, 'on_store_api_customer' ), 20, 2 );
		add_action( 'woocommerce_store_api_checkout_update_draft', array( self::class, 'on_checkout_update_draft' ), 10, 1 );
		add_filter( 'woocommerce_checkout_fields', array( self::class, 'add_classic_field' ) );
		add_filter( 'woocommerce_checkout_get_value', array( self::class, 'classic_field_value' ), 10, 2 );
		add_action( 'woocommerce_checkout_create_order', array( self::class, 'save_classic_field' ), 10, 2 );
		Consent_Account::register();
	}

	/** The blocks checkout box, registered with WooCommerce's Additional Checkout Fields API (WC 8.9+). */
	public static function register_block_field(): void {
		if ( ! function_exists( 'woocommerce_register_additional_checkout_field' ) ) {
			return;
		}
		$text = Settings::consent()['text'];
		try {
			woocommerce_register_additional_checkout_field(
				array(
					'id'            => self::FIELD_ID,
					'label'         => $text,
					'optionalLabel' => $text,
					'location'      => 'contact',
					'type'          => 'checkbox',
					'required'      => false,
				)
			);
		} catch ( \Exception $e ) {
			// Some WooCommerce versions throw when a field cannot be registered: the checkout still works without the box.
			return;
		}
	}

	/**
	 * The blocks box for a customer who has no value of their own yet: their latest choice (given
	 * in My Account, say), so that placing an order with the box as shown never withdraws consent
	 * they did not untick. Orders are left alone.
	 *
	 * @param mixed  $value     Null, or another filter's default.
	 * @param string $group     The field's group.
	 * @param object $wc_object The customer or order being read.
	 * @return mixed
	 */
	public static function block_field_default( $value, $group = 'other', $wc_object = null ) {
		if ( null !== $value || ! $wc_object instanceof \WC_Customer ) {
			return $value;
		}
		$current = function_exists( 'WC' ) ? WC()->customer : null;
		return ( $wc_object === $current || ( $wc_object->get_id() && $wc_object->get_id() === get_current_user_id() ) ) && Consent_Recorder::wants() ? '1' : $value;
	}

	/**
	 * Notes whether the Store API checkout request about to be served carries the box, so that only
	 * a value the shopper's browser sent counts, never one WooCommerce copies between a customer and
	 * a draft order.
	 *
	 * @param mixed            $response Passed through.
	 * @param array            $handler  The route's handler.
	 * @param \WP_REST_Request $request  The request.
	 * @return mixed
	 */
	public static function note_store_api_request( $response, $handler, $request ) {
		self::$box_posted = false;
		if ( $request instanceof \WP_REST_Request && in_array( $request->get_method(), array( 'POST', 'PUT', 'PATCH' ), true )
			&& preg_match( self::STORE_API_CHECKOUT_ROUTE, $request->get_route() ) ) {
			$fields           = $request->get_param( 'additional_fields' );
			self::$box_posted = is_array( $fields ) && array_key_exists( self::FIELD_ID, $fields );
		}
		return $response;
	}

	/**
	 * Ends the note above with the request.
	 *
	 * @param mixed $response Passed through.
	 * @return mixed
	 */
	public static function forget_store_api_request( $response ) {
		self::$box_posted = false;
		return $response;
	}

	/**
	 * The blocks checkout box changed. WooCommerce 9.8+ sends changed additional fields while the
	 * shopper is on the page (PUT /wc/store/v1/checkout, debounced), and all of them when the order
	 * is placed; both persist through CheckoutFields, which fires this action for each value.
	 *
	 * @param string $key       Field id.
	 * @param mixed  $value     true/false (or "1"/"0").
	 * @param string $group     "other" for contact fields.
	 * @param object $wc_object The draft order or the customer.
	 */
	public static function on_block_field_value( $key, $value, $group, $wc_object ): void {
		if ( self::FIELD_ID !== $key || ! self::$box_posted ) {
			return;
		}
		Consent_Recorder::record( self::is_ticked( $value ), 'checkout_block', self::store_api_contact( $wc_object ) );
	}

	/**
	 * WooCommerce 10.9+ makes no draft order while the shopper fills in the block checkout (its PR
	 * #64155): a checkout PATCH updates the session's customer and then fires this action, which
	 * WooCommerce documents for abandoned-cart trackers. The box's value is read from the request
	 * itself, so the tick is heard even if WooCommerce stops announcing each field value; when
	 * woocommerce_set_additional_field_value already recorded it, the recorder sends nothing twice.
	 * Older WooCommerce never fires it.
	 *
	 * @param mixed $request WP_REST_Request.
	 */
	public static function on_checkout_update_draft( $request ): void {
		if ( ! $request instanceof \WP_REST_Request ) {
			return;
		}
		$fields = $request->get_param( 'additional_fields' );
		if ( ! is_array( $fields ) || ! array_key_exists( self::FIELD_ID, $fields ) ) {
			return;
		}
		$contact = self::store_api_contact( function_exists( 'WC' ) ? WC()->customer : null );
		Consent_Recorder::record( self::is_ticked( $fields[ self::FIELD_ID ] ), 'checkout_block', $contact );
	}

	/**
	 * The blocks checkout sent an address (phone, email): a tick waiting for a phone goes out now.
	 *
	 * @param object $customer WC_Customer.
	 * @param mixed  $request  WP_REST_Request.
	 */
	public static function on_store_api_customer( $customer, $request ): void {
		Consent_Recorder::contact_known( self::store_api_contact( $customer ) );
	}

	/**
	 * A tick or untick posted by the checkout script (Capture_Checkout's endpoint).
	 *
	 * @param bool   $ticked   The box's state.
	 * @param string $checkout "classic" or "block".
	 * @param array  $contact  phone, country, email.
	 * @return array The events queued.
	 */
	public static function from_checkout_script( bool $ticked, string $checkout, array $contact ): array {
		return Consent_Recorder::record( $ticked, 'block' === $checkout ? 'checkout_block' : 'checkout_classic', $contact );
	}

	/**
	 * Adds the box to the classic checkout's billing fields, right after the phone it is about (not
	 * under the order review, which WooCommerce re-renders on every update and would untick).
	 *
	 * @param array $fields Checkout fields by group.
	 * @return array
	 */
	public static function add_classic_field( $fields ) {
		if ( ! is_array( $fields ) ) {
			return $fields;
		}
		$fields['billing'][ self::CLASSIC_FIELD ] = array(
			'type'     => 'checkbox',
			// WooCommerce prints a checkbox label as given: escape it here.
			'label'    => esc_html( Settings::consent()['text'] ),
			'required' => false,
			'class'    => array( 'form-row-wide', 'cartback-whatsapp-optin' ),
			'priority' => 105,
			'default'  => 0,
		);
		return $fields;
	}

	/**
	 * The classic box's value: the shopper's own latest choice, else unticked.
	 *
	 * @param mixed  $value Null, or a value another filter chose.
	 * @param string $input The field.
	 * @return mixed
	 */
	public static function classic_field_value( $value, $input ) {
		if ( self::CLASSIC_FIELD !== $input || null !== $value ) {
			return $value;
		}
		return Consent_Recorder::wants() ? 1 : 0;
	}

	/**
	 * Saves the classic answer on the order, and records it: without the checkout script (no
	 * JavaScript), this is the first the server hears of the tick.
	 *
	 * @param object $order WC_Order.
	 * @param array  $data  WooCommerce's posted checkout data.
	 */
	public static function save_classic_field( $order, $data ): void {
		$data   = is_array( $data ) ? $data : array();
		$ticked = ! empty( $data[ self::CLASSIC_FIELD ] );
		if ( is_callable( array( $order, 'update_meta_data' ) ) ) {
			$order->update_meta_data( self::ORDER_META, $ticked ? 'yes' : 'no' );
		}
		Consent_Recorder::record(
			$ticked,
			'checkout_classic',
			array(
				'phone'   => (string) ( $data['billing_phone'] ?? '' ),
				'country' => (string) ( $data['billing_country'] ?? '' ),
				'email'   => (string) ( $data['billing_email'] ?? '' ),
			)
		);
	}

	/**
	 * A checkbox value as WooCommerce or a browser sends it.
	 *
	 * @param mixed $value true/false, 1/0, "1"/"0", "true"/"false", "yes"/"no", "on".
	 */
	public static function is_ticked( $value ): bool {
		if ( is_bool( $value ) ) {
			return $value;
		}
		return is_scalar( $value ) && in_array( strtolower( trim( (string) $value ) ), array( '1', 'true', 'yes', 'on' ), true );
	}

	/**
	 * Phone, country and email as the Store API last saw them: the session's customer first (the
	 * address the shopper typed so far), else the draft order.
	 *
	 * @param object $wc_object WC_Customer or WC_Order.
	 */
	private static function store_api_contact( $wc_object ): array {
		$contact = array(
			'phone'   => '',
			'country' => '',
			'email'   => '',
		);
		foreach ( array( function_exists( 'WC' ) ? WC()->customer : null, $wc_object ) as $source ) {
			if ( ! is_object( $source ) ) {
				continue;
			}
			foreach ( array( 'phone' => array( 'get_billing_phone', 'get_shipping_phone' ), 'country' => array( 'get_billing_country', 'get_shipping_country' ), 'email' => array( 'get_billing_email' ) ) as $key => $getters ) {
				foreach ( $getters as $getter ) {
					if ( '' === $contact[ $key ] && is_callable( array( $source, $getter ) ) ) {
						$contact[ $key ] = (string) $source->$getter();
					}
				}
			}
		}
		return $contact;
	}
}
