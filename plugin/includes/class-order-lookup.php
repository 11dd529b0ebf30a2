<?php
/**
 * Finds the orders a contact placed since a moment: by the cart key, the customer, the billing
 * email, or the billing phone in E.164 (the order meta Capture_Orders stores). Only through
 * wc_get_orders() with arguments both order stores (posts and HPOS) understand.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** "Has this contact ordered since the cart began?", asked by the sidecar before a reminder. */
final class Order_Lookup {
	/** At most this many orders are returned. */
	const LIMIT = 10;

	/**
	 * The orders created at or after $since that match any of the contact's identifiers, newest
	 * first. Drafts (checkout-draft, auto-draft) and trashed orders never count.
	 *
	 * @param int   $since Unix seconds.
	 * @param array $who   Any of cart_key (string), phone (E.164), email (string), customer_id (int > 0).
	 * @return array<int, array{order_id: int, status: string, created_at: string}>
	 */
	public static function since( int $since, array $who ): array {
		$found = array();
		foreach ( self::queries( $who ) as $match ) {
			foreach ( wc_get_orders( $match + self::common( $since ) ) as $order ) {
				if ( $order instanceof \WC_Order && $order->get_date_created() ) {
					$found[ (int) $order->get_id() ] = $order;
				}
			}
		}
		uasort(
			$found,
			static function ( $a, $b ) {
				return array( $b->get_date_created()->getTimestamp(), $b->get_id() ) <=> array( $a->get_date_created()->getTimestamp(), $a->get_id() );
			}
		);
		$rows = array();
		foreach ( array_slice( $found, 0, self::LIMIT ) as $order ) {
			$status = (string) $order->get_status();
			$rows[] = array(
				'order_id'   => (int) $order->get_id(),
				'status'     => 0 === strpos( $status, 'wc-' ) ? substr( $status, 3 ) : $status,
				'created_at' => gmdate( 'Y-m-d\TH:i:s\Z', $order->get_date_created()->getTimestamp() ),
			);
		}
		return $rows;
	}

	/**
	 * One query per identifier given: wc_get_orders() has no OR across different fields that works
	 * on both order stores (meta_query is HPOS-only), so the results are merged instead.
	 *
	 * @param array $who The contact's identifiers.
	 * @return array<int, array>
	 */
	private static function queries( array $who ): array {
		$queries = array();
		if ( ! empty( $who['cart_key'] ) ) {
			$queries[] = array(
				'meta_key'   => Capture_Orders::META_CART_KEY, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_key
				'meta_value' => (string) $who['cart_key'], // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_value
			);
		}
		if ( ! empty( $who['phone'] ) ) {
			$queries[] = array(
				'meta_key'   => Capture_Orders::META_PHONE, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_key
				'meta_value' => (string) $who['phone'], // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_value
			);
		}
		if ( ! empty( $who['email'] ) ) {
			$queries[] = array( 'billing_email' => (string) $who['email'] );
		}
		if ( ! empty( $who['customer_id'] ) && (int) $who['customer_id'] > 0 ) {
			$queries[] = array( 'customer_id' => (int) $who['customer_id'] );
		}
		return $queries;
	}

	/**
	 * What every query shares: shop orders (not refunds) in a placed status, created since $since.
	 *
	 * @param int $since Unix seconds.
	 */
	private static function common( int $since ): array {
		return array(
			'type'         => 'shop_order',
			'status'       => self::placed_statuses(),
			'date_created' => '>=' . $since,
			'limit'        => self::LIMIT,
			'orderby'      => 'date',
			'order'        => 'DESC',
			'return'       => 'objects',
		);
	}

	/**
	 * Every registered order status (custom ones included) except the checkout block's draft.
	 * auto-draft and trash are not order statuses, so they are never listed.
	 *
	 * @return string[] With WooCommerce's "wc-" prefix.
	 */
	private static function placed_statuses(): array {
		return array_values( array_diff( array_keys( wc_get_order_statuses() ), array( 'wc-checkout-draft' ) ) );
	}
}
