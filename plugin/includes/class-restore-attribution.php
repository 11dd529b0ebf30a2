<?php
/**
 * Tags what a restore link brings (DESIGN.md, "Links, coupons and attribution"). The sidecar's
 * restore answer names the message the link belonged to (`attribution: {lane, step, message_id}`);
 * the restore then:
 *
 * - sends the shopper on with `utm_source=whatsapp&utm_medium=cartback&utm_campaign=<lane>`, so
 *   WooCommerce's own Order Attribution credits the order: its sourcebuster.js reads the utm_*
 *   parameters of the page it runs on (window.location.search) into its session cookies, and
 *   OrderAttributionController saves them on the order at checkout (classic: hidden fields read
 *   on woocommerce_checkout_order_created; block checkout: the Store API's extension data);
 * - keeps {lane, step, message_id} in the WooCommerce session, and when an order is made from
 *   that session (the classic checkout's woocommerce_checkout_order_created, the Store API's
 *   woocommerce_store_api_checkout_order_processed — both pass the WC_Order, checked in
 *   WooCommerce's WC_Checkout::create_order() and StoreApi\Routes\V1\Checkout) adds an order note
 *   naming the message ("Recovered by Cartback: abandoned cart, message 1") and the message id in
 *   the order's meta. Once per order (a resumed or retried checkout fires the hook again), and
 *   once per restore: the session forgets it after tagging an order.
 *
 * Which order a message earned is decided by the sidecar from the facts (its attribution pass);
 * the note and the UTM parameters are for the merchant's eyes in WooCommerce.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** UTM parameters, a session memory and an order note for orders that come through a restore link. */
final class Restore_Attribution {
	/** WC session: {lane, step, message_id, at} of the latest restore. */
	const SESSION_KEY = 'cartback_attribution';

	/** Order meta: the id (sidecar's) of the message the order came through. */
	const META_MESSAGE_ID = '_cartback_message_id';

	/** A restore is remembered this long (a restore link's own lifetime). */
	const TTL = 7 * DAY_IN_SECONDS;

	/** Hooks. */
	public static function register(): void {
		add_action( 'woocommerce_checkout_order_created', array( self::class, 'on_order_created' ), 10, 1 );
		add_action( 'woocommerce_store_api_checkout_order_processed', array( self::class, 'on_order_created' ), 10, 1 );
	}

	/**
	 * The message named in the sidecar's restore answer, or null when it names none (or nothing sane).
	 *
	 * @param array $body The sidecar's answer.
	 * @return array{lane: string, step: int, message_id: int}|null
	 */
	public static function from_answer( array $body ): ?array {
		$given = $body['attribution'] ?? null;
		if ( ! is_array( $given ) ) {
			return null;
		}
		$lane = $given['lane'] ?? null;
		$step = $given['step'] ?? null;
		$id   = $given['message_id'] ?? null;
		if ( ! is_string( $lane ) || ! preg_match( '/^[a-z][a-z0-9_]{0,63}$/', $lane ) || ! is_int( $step ) || $step < 0 || ! is_int( $id ) || $id < 1 ) {
			return null;
		}
		return array(
			'lane'       => $lane,
			'step'       => $step,
			'message_id' => $id,
		);
	}

	/**
	 * Remembers the restore's message in the session (the latest restore wins; one without a
	 * message forgets an earlier one, since the shopper came back by another link).
	 *
	 * @param array|null $attribution From from_answer().
	 */
	public static function remember( ?array $attribution ): void {
		if ( ! function_exists( 'WC' ) || ! WC()->session ) {
			return;
		}
		WC()->session->set( self::SESSION_KEY, $attribution ? $attribution + array( 'at' => time() ) : null );
	}

	/**
	 * The URL with the UTM parameters WooCommerce's Order Attribution reads; unchanged without a message.
	 *
	 * @param string     $url         Where the restore sends the shopper.
	 * @param array|null $attribution From from_answer().
	 */
	public static function tag_url( string $url, ?array $attribution ): string {
		if ( ! $attribution ) {
			return $url;
		}
		return add_query_arg(
			array(
				'utm_source'   => 'whatsapp',
				'utm_medium'   => 'cartback',
				'utm_campaign' => $attribution['lane'],
			),
			$url
		);
	}

	/**
	 * An order was made from the session: a remembered restore tags it with a note and the message id.
	 *
	 * @param mixed $order The WC_Order.
	 */
	public static function on_order_created( $order ): void {
		if ( ! is_object( $order ) || ! is_callable( array( $order, 'add_order_note' ) ) || ! function_exists( 'WC' ) || ! WC()->session ) {
			return;
		}
		$kept = WC()->session->get( self::SESSION_KEY );
		$kept = is_array( $kept ) && (int) ( $kept['at'] ?? 0 ) > time() - self::TTL ? self::from_answer( array( 'attribution' => $kept ) ) : null;
		if ( ! $kept || '' !== (string) $order->get_meta( self::META_MESSAGE_ID ) ) {
			return;
		}
		$order->update_meta_data( self::META_MESSAGE_ID, (string) $kept['message_id'] );
		$order->save_meta_data();
		$order->add_order_note(
			sprintf(
				/* translators: 1: the lane's name, such as "abandoned cart"; 2: the message's number in its journey (1 for the first). */
				__( 'Recovered by Cartback: %1$s, message %2$d', 'cartback' ),
				self::lane_name( $kept['lane'] ),
				$kept['step'] + 1
			)
		);
		WC()->session->set( self::SESSION_KEY, null );
	}

	/**
	 * A lane's name for people.
	 *
	 * @param string $lane The lane's key.
	 */
	public static function lane_name( string $lane ): string {
		switch ( $lane ) {
			case 'abandoned_cart':
				return __( 'abandoned cart', 'cartback' );
			case 'browse_abandonment':
				return __( 'browse abandonment', 'cartback' );
			case 'payment_recovery':
				return __( 'payment recovery', 'cartback' );
			case 'winback':
				return __( 'win-back', 'cartback' );
			default:
				return str_replace( '_', ' ', $lane );
		}
	}
}
