<?php
/**
 * WooCommerce TEST DOUBLE: orders. WC_Order and WC_Order_Item_Product with the getters Cartback
 * reads, order meta saved through the order (as under HPOS), wc_get_order() reading a fresh copy
 * of the saved order, and the hooks WooCommerce fires, with its arguments and in its order:
 * woocommerce_new_order inside the first save (before the items are saved), status transitions
 * at the end of save(), woocommerce_payment_complete after the status change it causes, and
 * woocommerce_order_refunded after a full refund has set the status to refunded; order notes
 * (add_order_note(), wc_get_order_notes()).
 *
 * Saved orders live in the database (one option per order, as WooCommerce keeps them in its own
 * tables), so an order placed over HTTP is there for the next request and for the test process.
 * double-orders-checkout.php plays the checkout, refunds and the order-received page on top;
 * double-orders-query.php is wc_get_orders().
 *
 * @package Cartback\Tests
 */

/** The option that holds a saved order: {data, meta, items}. */
function wc_test_double_order_option( $id ) {
	return 'wc_test_double_order_' . (int) $id;
}

/** A saved order's record, read fresh from the database (another process may have saved it), or null. */
function wc_test_double_stored_order( $id ) {
	wp_cache_delete( wc_test_double_order_option( $id ), 'options' );
	$stored = get_option( wc_test_double_order_option( $id ), null );
	return is_array( $stored ) ? $stored : null;
}

/**
 * Saves an order's record.
 *
 * @param int   $id     Order id.
 * @param array $record {data, meta, items}.
 */
function wc_test_double_store_order( $id, array $record ) {
	wp_cache_delete( wc_test_double_order_option( $id ), 'options' );
	update_option( wc_test_double_order_option( $id ), $record, false );
}

/** The next order (or refund) id: atomic across processes, as an AUTO_INCREMENT is. */
function wc_test_double_next_order_id() {
	global $wpdb;
	add_option( 'wc_test_double_next_order_id', '5000', '', 'no' );
	$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->options} SET option_value = LAST_INSERT_ID(option_value + 1) WHERE option_name = %s", 'wc_test_double_next_order_id' ) );
	return (int) $wpdb->get_var( 'SELECT LAST_INSERT_ID()' );
}

/** Double of WC_Order_Item_Product: the getters Cartback reads. */
class WC_Order_Item_Product {
	/** @var array */
	private $props;

	/** @param array $props product_id, variation_id, name, quantity, subtotal, total (decimals, without tax). */
	public function __construct( array $props = array() ) {
		$this->props = array_merge(
			array( 'id' => 0, 'product_id' => 0, 'variation_id' => 0, 'name' => '', 'quantity' => 1, 'subtotal' => 0, 'total' => 0, 'subtotal_tax' => 0, 'total_tax' => 0 ),
			$props
		);
	}
	public function get_id() { return (int) $this->props['id']; }
	public function get_type() { return 'line_item'; }
	public function get_product_id( $context = 'view' ) { return (int) $this->props['product_id']; }
	public function get_variation_id( $context = 'view' ) { return (int) $this->props['variation_id']; }
	public function get_name( $context = 'view' ) { return $this->props['name']; }
	public function get_quantity( $context = 'view' ) { return (int) $this->props['quantity']; }
	public function get_subtotal( $context = 'view' ) { return $this->props['subtotal']; }
	public function get_total( $context = 'view' ) { return $this->props['total']; }
	public function get_subtotal_tax( $context = 'view' ) { return $this->props['subtotal_tax']; }
	public function get_total_tax( $context = 'view' ) { return $this->props['total_tax']; }
	/** @return WC_Product|false */
	public function get_product() { return wc_get_product( $this->get_variation_id() ? $this->get_variation_id() : $this->get_product_id() ); }
	/** @internal The double's store keeps items as props. */
	public function to_props() { return $this->props; }
}

if ( ! class_exists( 'WC_DateTime' ) ) {
	/** Double of WC_DateTime: a DateTime (WooCommerce's adds offset helpers Cartback does not use). */
	class WC_DateTime extends DateTime {
		/** As WC_DateTime::__toString(): ISO 8601. */
		public function __toString() {
			return $this->format( DATE_ATOM );
		}
	}
}

/** Double of WC_Order. */
class WC_Order {
	/** @var int */
	protected $id = 0;
	/** @var array */
	protected $data = array(
		'status'            => 'pending',
		'currency'          => '',
		'created_via'       => '',
		'customer_id'       => 0,
		'order_key'         => '',
		'billing'           => array( 'first_name' => '', 'email' => '', 'phone' => '', 'country' => '' ),
		'payment_method'    => '',
		'discount_total'    => 0,
		'shipping_total'    => 0,
		'total_tax'         => 0,
		'total'             => 0,
		'coupon_codes'      => array(),
		'needs_processing'  => true,
		'total_refunded'    => 0,
		'transaction_id'    => '',
		'date_created'      => 0,
	);
	/** @var array<string, mixed> */
	protected $meta = array();
	/** @var WC_Order_Item_Product[] */
	protected $items = array();
	/** @var array|false As WC_Order: a status change waiting for save() to announce it. */
	protected $status_transition = false;

	/**
	 * @param int|WC_Order $order An id to read from the store, or 0 for a new order.
	 */
	public function __construct( $order = 0 ) {
		$id     = $order instanceof WC_Order ? $order->get_id() : (int) $order;
		$stored = $id > 0 ? wc_test_double_stored_order( $id ) : null;
		if ( $stored ) {
			$this->id    = $id;
			$this->data  = $stored['data'];
			$this->meta  = $stored['meta'];
			$this->items = array_map(
				static function ( $props ) {
					return new WC_Order_Item_Product( $props );
				},
				$stored['items']
			);
		}
	}

	public function get_id() { return $this->id; }
	public function get_type() { return 'shop_order'; }
	public function get_status( $context = 'view' ) { return $this->data['status']; }
	public function has_status( $status ) { return in_array( $this->get_status(), (array) $status, true ); }
	public function get_currency( $context = 'view' ) { return $this->data['currency'] ? $this->data['currency'] : get_woocommerce_currency(); }
	public function get_created_via( $context = 'view' ) { return $this->data['created_via']; }
	public function get_customer_id( $context = 'view' ) { return (int) $this->data['customer_id']; }
	public function get_user_id( $context = 'view' ) { return $this->get_customer_id(); }
	public function get_order_key( $context = 'view' ) { return $this->data['order_key']; }
	/**
	 * As WC_Order::get_checkout_payment_url() (includes/class-wc-order.php): the order-pay endpoint
	 * of the checkout page (wc_get_endpoint_url() with plain permalinks adds it as a query
	 * argument) with pay_for_order=true and the order key, through its filter.
	 */
	public function get_checkout_payment_url( $on_checkout = false ) {
		$args = $on_checkout ? array( 'key' => $this->get_order_key() ) : array( 'pay_for_order' => 'true', 'key' => $this->get_order_key() );
		$url  = add_query_arg( array_merge( array( 'order-pay' => $this->get_id() ), $args ), wc_get_checkout_url() );
		return apply_filters( 'woocommerce_get_checkout_payment_url', $url, $this );
	}
	public function get_billing_first_name( $context = 'view' ) { return $this->data['billing']['first_name']; }
	public function get_billing_email( $context = 'view' ) { return $this->data['billing']['email']; }
	public function get_billing_phone( $context = 'view' ) { return $this->data['billing']['phone']; }
	public function get_billing_country( $context = 'view' ) { return $this->data['billing']['country']; }
	public function get_payment_method( $context = 'view' ) { return $this->data['payment_method']; }
	public function get_transaction_id( $context = 'view' ) { return $this->data['transaction_id']; }
	public function get_coupon_codes() { return $this->data['coupon_codes']; }
	public function get_discount_total( $context = 'view' ) { return $this->data['discount_total']; }
	public function get_shipping_total( $context = 'view' ) { return $this->data['shipping_total']; }
	public function get_total_tax( $context = 'view' ) { return $this->data['total_tax']; }
	public function get_total( $context = 'view' ) { return $this->data['total']; }
	public function get_total_refunded() { return $this->data['total_refunded']; }
	public function needs_processing() { return (bool) $this->data['needs_processing']; }
	/** As WC_Abstract_Order::get_date_created(): a WC_DateTime in UTC, null before the first save. */
	public function get_date_created( $context = 'view' ) {
		return $this->data['date_created'] ? new WC_DateTime( '@' . (int) $this->data['date_created'], new DateTimeZone( 'UTC' ) ) : null;
	}

	/** As WC_Abstract_Order::get_subtotal(): the sum of the line subtotals (float). */
	public function get_subtotal() {
		$sum = 0.0;
		foreach ( $this->items as $item ) {
			$sum += (float) $item->get_subtotal();
		}
		return $sum;
	}

	/**
	 * @param string|string[] $types Only line items exist in the double.
	 * @return WC_Order_Item_Product[]
	 */
	public function get_items( $types = 'line_item' ) {
		return in_array( 'line_item', (array) $types, true ) ? $this->items : array();
	}

	/**
	 * Test setup: sets props as WooCommerce's set_* methods would (billing_email → billing.email).
	 *
	 * @param array $props Props.
	 */
	public function set_props( array $props ) {
		foreach ( $props as $key => $value ) {
			if ( 0 === strpos( $key, 'billing_' ) ) {
				$this->data['billing'][ substr( $key, 8 ) ] = $value;
			} elseif ( 'status' === $key ) {
				$this->set_status( $value );
			} elseif ( 'items' === $key ) {
				$this->items = array();
				foreach ( $value as $item ) {
					$this->items[] = $item instanceof WC_Order_Item_Product ? $item : new WC_Order_Item_Product( $item );
				}
			} else {
				$this->data[ $key ] = $value;
			}
		}
	}

	/** Same signature as WC_Data::get_meta(). */
	public function get_meta( $key = '', $single = true, $context = 'view' ) {
		return $this->meta[ $key ] ?? '';
	}
	/** Same signature as WC_Data::update_meta_data(): changes the object; save_meta_data() or save() stores it. */
	public function update_meta_data( $key, $value, $meta_id = 0 ) {
		$this->meta[ $key ] = $value;
	}
	/** Same signature as WC_Data::delete_meta_data(). */
	public function delete_meta_data( $key ) {
		unset( $this->meta[ $key ] );
	}
	/** As WC_Data::save_meta_data(): stores the meta only. */
	public function save_meta_data() {
		$stored = $this->id ? wc_test_double_stored_order( $this->id ) : null;
		if ( $stored ) {
			$stored['meta'] = $this->meta;
			wc_test_double_store_order( $this->id, $stored );
		}
	}

	/**
	 * As WC_Order::add_order_note(): a private note, stored at once (WooCommerce keeps notes as
	 * comments, outside the order's save()); wc_get_order_notes() reads them back.
	 */
	public function add_order_note( $note, $is_customer_note = 0, $added_by_user = false ) {
		if ( ! $this->id ) {
			return 0;
		}
		$option  = 'wc_test_double_order_notes_' . $this->id;
		$notes   = (array) get_option( $option, array() );
		$notes[] = array(
			'content'       => (string) $note,
			'customer_note' => (bool) $is_customer_note,
		);
		update_option( $option, $notes, false );
		return count( $notes );
	}

	/** As WC_Order::set_status(): records a transition for save() to announce. */
	public function set_status( $new_status, $note = '', $manual_update = false ) {
		$new_status = 0 === strpos( $new_status, 'wc-' ) ? substr( $new_status, 3 ) : $new_status;
		$old_status = $this->data['status'];
		$this->data['status'] = $new_status;
		if ( $this->id && $old_status && $old_status !== $new_status ) {
			$this->status_transition = array(
				'from'   => ! empty( $this->status_transition['from'] ) ? $this->status_transition['from'] : $old_status,
				'to'     => $new_status,
				'note'   => $note,
				'manual' => (bool) $manual_update,
			);
		}
		return array( 'from' => $old_status, 'to' => $new_status );
	}

	/** As WC_Order::update_status(). */
	public function update_status( $new_status, $note = '', $manual = false ) {
		if ( ! $this->id ) {
			return false;
		}
		$this->set_status( $new_status, $note, $manual );
		$this->save();
		return true;
	}

	/**
	 * As WC_Order::save(): a new order gets an id and fires woocommerce_new_order from its data
	 * store's create() before the items are saved; then the status transition hooks fire.
	 */
	public function save() {
		if ( ! $this->id ) {
			$this->id                   = wc_test_double_next_order_id();
			$this->data['currency']     = $this->get_currency();
			$this->data['order_key']    = $this->data['order_key'] ? $this->data['order_key'] : 'wc_order_' . wp_generate_password( 13, false );
			$this->data['date_created'] = $this->data['date_created'] ? (int) $this->data['date_created'] : time();
			wc_test_double_store_order( $this->id, array( 'data' => $this->data, 'meta' => $this->meta, 'items' => array() ) );
			do_action( 'woocommerce_new_order', $this->id, $this );
		}
		wc_test_double_store_order(
			$this->id,
			array(
				'data'  => $this->data,
				'meta'  => $this->meta,
				'items' => array_map(
					static function ( $item ) {
						return $item->to_props();
					},
					$this->items
				),
			)
		);
		$this->status_transition();
		return $this->id;
	}

	/** As WC_Order::payment_complete(). */
	public function payment_complete( $transaction_id = '' ) {
		if ( ! $this->id ) {
			return false;
		}
		do_action( 'woocommerce_pre_payment_complete', $this->id, $transaction_id );
		if ( WC()->session ) {
			WC()->session->set( 'order_awaiting_payment', false );
		}
		if ( $this->has_status( apply_filters( 'woocommerce_valid_order_statuses_for_payment_complete', array( 'on-hold', 'pending', 'failed', 'cancelled' ), $this ) ) ) {
			$this->data['transaction_id'] = (string) $transaction_id;
			$this->set_status( apply_filters( 'woocommerce_payment_complete_order_status', $this->needs_processing() ? 'processing' : 'completed', $this->id, $this ) );
			$this->save();
			do_action( 'woocommerce_payment_complete', $this->id, $transaction_id );
		} else {
			do_action( 'woocommerce_payment_complete_order_status_' . $this->get_status(), $this->id, $transaction_id );
		}
		return true;
	}

	/** As WC_Order::status_transition(). */
	protected function status_transition() {
		$transition              = $this->status_transition;
		$this->status_transition = false;
		if ( ! $transition ) {
			return;
		}
		do_action( 'woocommerce_order_status_' . $transition['to'], $this->id, $this, $transition );
		do_action( 'woocommerce_order_status_' . $transition['from'] . '_to_' . $transition['to'], $this->id, $this );
		do_action( 'woocommerce_order_status_changed', $this->id, $transition['from'], $transition['to'], $this );
		if ( in_array( $transition['from'], array( 'pending', 'failed' ), true ) && in_array( $transition['to'], wc_get_is_paid_statuses(), true ) ) {
			do_action( 'woocommerce_order_payment_status_changed', $this->id, $this );
		}
	}
}

/**
 * Double of wc_get_order(): a fresh copy of the saved order, or false.
 *
 * @param int|WC_Order|false $the_order Order id or object.
 * @return WC_Order|false
 */
function wc_get_order( $the_order = false ) {
	$id    = $the_order instanceof WC_Order ? $the_order->get_id() : (int) $the_order;
	$order = $id > 0 ? new WC_Order( $id ) : null;
	return $order && $order->get_id() ? $order : false;
}

/** Double of wc_get_is_paid_statuses(). */
function wc_get_is_paid_statuses() {
	return apply_filters( 'woocommerce_order_is_paid_statuses', array( 'processing', 'completed' ) );
}

/**
 * Double of wc_get_order_notes(): the order's notes (the `order_id` argument only), as objects
 * with `content` and `customer_note`, oldest first.
 *
 * @param array $args {order_id}.
 * @return object[]
 */
function wc_get_order_notes( $args ) {
	$option = 'wc_test_double_order_notes_' . (int) ( $args['order_id'] ?? 0 );
	wp_cache_delete( $option, 'options' );
	return array_map(
		static function ( $note ) {
			return (object) $note;
		},
		(array) get_option( $option, array() )
	);
}
