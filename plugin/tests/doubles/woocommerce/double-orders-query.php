<?php
/**
 * WooCommerce TEST DOUBLE: wc_get_orders() and wc_get_order_statuses(), for exactly the query
 * arguments Cartback uses, with WooCommerce's meaning (WC_Order_Query; both data stores):
 *
 * - type          'shop_order' (refunds are another type)
 * - status        order statuses with their "wc-" prefix, as wc_get_order_statuses() keys them
 * - date_created  '>=<unix timestamp>': created at or after that second (second precision, GMT)
 * - customer_id   the customer's user id
 * - billing_email the billing email, compared as MySQL's default collation does (case-insensitive)
 * - meta_key + meta_value   an order meta equal to a value (the CPT store passes them to WP_Query,
 *                 HPOS's OrdersTableQuery turns them into a meta query)
 * - limit, orderby 'date', order 'DESC', return 'objects'
 *
 * Any other argument is refused with an exception, so a query the double does not understand
 * cannot silently match everything.
 *
 * @package Cartback\Tests
 */

/** Double of wc_get_order_statuses(): WooCommerce's statuses plus checkout-draft, which the blocks' DraftOrders adds. */
function wc_get_order_statuses() {
	$statuses = array(
		'wc-pending'    => 'Pending payment',
		'wc-processing' => 'Processing',
		'wc-on-hold'    => 'On hold',
		'wc-completed'  => 'Completed',
		'wc-cancelled'  => 'Cancelled',
		'wc-refunded'   => 'Refunded',
		'wc-failed'     => 'Failed',
	);
	$statuses = apply_filters( 'wc_order_statuses', $statuses );
	return array_merge( $statuses, array( 'wc-checkout-draft' => 'Draft' ) );
}

/**
 * Double of wc_get_orders().
 *
 * @param array $args Query arguments (see the file's comment).
 * @return WC_Order[]
 * @throws InvalidArgumentException For an argument the double does not implement.
 */
function wc_get_orders( $args ) {
	$known = array( 'type', 'status', 'date_created', 'customer_id', 'billing_email', 'meta_key', 'meta_value', 'limit', 'orderby', 'order', 'return' );
	$extra = array_diff( array_keys( $args ), $known );
	if ( $extra ) {
		throw new InvalidArgumentException( 'WooCommerce test double: wc_get_orders() does not implement ' . implode( ', ', $extra ) );
	}
	if ( ( $args['return'] ?? 'objects' ) !== 'objects' || ( $args['orderby'] ?? 'date' ) !== 'date' || strtoupper( $args['order'] ?? 'DESC' ) !== 'DESC' ) {
		throw new InvalidArgumentException( 'WooCommerce test double: wc_get_orders() returns objects, newest first' );
	}
	$since = null;
	if ( isset( $args['date_created'] ) ) {
		if ( ! preg_match( '/^>=(\d+)$/', (string) $args['date_created'], $m ) ) {
			throw new InvalidArgumentException( 'WooCommerce test double: date_created must be ">=<timestamp>"' );
		}
		$since = (int) $m[1];
	}
	$statuses = isset( $args['status'] ) ? array_map(
		static function ( $status ) {
			return 0 === strpos( $status, 'wc-' ) ? substr( $status, 3 ) : $status;
		},
		(array) $args['status']
	) : null;

	global $wpdb;
	$names  = $wpdb->get_col( $wpdb->prepare( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( 'wc_test_double_order_' ) . '%' ) );
	$orders = array();
	foreach ( $names as $name ) {
		if ( ! preg_match( '/^wc_test_double_order_(\d+)$/', $name, $m ) ) {
			continue;
		}
		$order = wc_get_order( (int) $m[1] );
		if ( ! $order
			|| ( isset( $args['type'] ) && ! in_array( $order->get_type(), (array) $args['type'], true ) )
			|| ( null !== $statuses && ! in_array( $order->get_status(), $statuses, true ) )
			|| ( null !== $since && ( ! $order->get_date_created() || $order->get_date_created()->getTimestamp() < $since ) )
			|| ( isset( $args['customer_id'] ) && (int) $args['customer_id'] !== $order->get_customer_id() )
			|| ( isset( $args['billing_email'] ) && 0 !== strcasecmp( (string) $args['billing_email'], (string) $order->get_billing_email() ) )
			|| ( isset( $args['meta_key'] ) && (string) $order->get_meta( $args['meta_key'] ) !== (string) ( $args['meta_value'] ?? '' ) )
		) {
			continue;
		}
		$orders[] = $order;
	}
	usort(
		$orders,
		static function ( $a, $b ) {
			return array( $b->get_date_created()->getTimestamp(), $b->get_id() ) <=> array( $a->get_date_created()->getTimestamp(), $a->get_id() );
		}
	);
	$limit = (int) ( $args['limit'] ?? 10 ); // WooCommerce's default is the posts_per_page option (10).
	return $limit < 0 ? $orders : array_slice( $orders, 0, $limit );
}
