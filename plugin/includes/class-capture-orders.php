<?php
/**
 * Captures orders: created (classic and Store API checkout; woocommerce_new_order only as a
 * fallback at the end of the request), paid (payment_complete, or a status change into a paid
 * status, since BACS and COD never call payment_complete), payment failed, every status change,
 * and refunded. Created, paid and refunded are sent once per order: a flag in the order's meta
 * (saved through the order, so HPOS-safe) across requests, and a set within one. When an order is
 * created its meta also keeps the cart key and the billing phone in E.164, for Order_Lookup.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** order.* events. */
final class Capture_Orders {
	/** Order meta: the cart key of the session the order was placed from. */
	const META_CART_KEY = '_cartback_cart_key';
	/** Order meta: the billing phone in E.164, so the sidecar's "ordered since?" question can match it. */
	const META_PHONE = '_cartback_phone';
	/** Order meta: which once-only events were sent ("created", "paid", "refunded" → unix time). */
	const META_SENT = '_cartback_sent';
	/** Draft statuses (WC_Order::DRAFT_STATUSES): a checkout or an admin order in progress, not an order yet. */
	const DRAFTS = array( 'checkout-draft', 'auto-draft', 'draft' );
	/** Shutdown priority of the new_order fallback (after the cart's flush, before session save). */
	const FLUSH_PRIORITY = 6;

	/** @var array<int, string> Orders woocommerce_new_order announced in this request, not yet sent => the shopper's cart key then ('' for none). */
	private static $fallback = array();

	/** @var array<string, array<int, bool>> once-only event => order ids sent in this request. */
	private static $sent = array();

	/** @var array<int, int> order id => the refunded amount (minor units) an order.refunded reported in this request. */
	private static $refunds = array();

	/** Hooks. */
	public static function register(): void {
		add_action( 'woocommerce_checkout_order_processed', array( self::class, 'on_classic_checkout' ), 10, 3 );
		add_action( 'woocommerce_store_api_checkout_order_processed', array( self::class, 'on_store_api_checkout' ), 10, 1 );
		add_action( 'woocommerce_new_order', array( self::class, 'on_new_order' ), 10, 1 );
		// WC_Order::status_transition() (includes/class-wc-order.php, woocommerce/woocommerce, checked
		// for 10.5) fires woocommerce_order_status_changed ($id, $from, $to, $order) on every change
		// from a status, including into "failed" (no dedicated payment-failed hook exists).
		add_action( 'woocommerce_order_status_changed', array( self::class, 'on_status_changed' ), 10, 4 );
		add_action( 'woocommerce_payment_complete', array( self::class, 'on_payment_complete' ), 10, 1 );
		add_action( 'woocommerce_order_refunded', array( self::class, 'on_refunded' ), 10, 1 );
		add_action( 'shutdown', array( self::class, 'flush' ), self::FLUSH_PRIORITY, 0 );
		add_filter( 'woocommerce_privacy_remove_order_personal_data_meta', array( self::class, 'personal_meta' ) );
	}

	/**
	 * Adds the phone copy to the order meta WooCommerce's eraser removes when it anonymises an
	 * order ("phone" is no type wp_privacy_anonymize_data() knows, so the value is deleted).
	 *
	 * @param array $meta Meta key => data type.
	 * @return array
	 */
	public static function personal_meta( $meta ) {
		$meta                     = is_array( $meta ) ? $meta : array();
		$meta[ self::META_PHONE ] = 'phone';
		return $meta;
	}

	/**
	 * Classic checkout placed an order.
	 *
	 * @param int            $order_id    Order id.
	 * @param array          $posted_data What was posted (unused).
	 * @param \WC_Order|null $order       The order.
	 */
	public static function on_classic_checkout( $order_id, $posted_data = array(), $order = null ): void {
		$order = self::order( $order ? $order : $order_id );
		if ( $order ) {
			self::created( $order, self::session_cart_key() );
		}
	}

	/**
	 * The Store API (checkout block) placed an order.
	 *
	 * @param \WC_Order $order The order.
	 */
	public static function on_store_api_checkout( $order ): void {
		$order = self::order( $order );
		if ( $order ) {
			self::created( $order, self::session_cart_key() );
		}
	}

	/**
	 * An order was created somewhere (admin, REST, another checkout): sent at the end of the
	 * request unless a checkout hook sent it first, once its items are saved. Made on the
	 * storefront, it belongs to the shopper's cart as it is now; made in wp-admin, to no cart.
	 *
	 * @param int $order_id Order id.
	 */
	public static function on_new_order( $order_id ): void {
		if ( ! Events::suppressed() && (int) $order_id > 0 && ! isset( self::$fallback[ (int) $order_id ] ) ) {
			self::$fallback[ (int) $order_id ] = is_admin() && ! wp_doing_ajax() ? '' : (string) self::session_cart_key();
		}
	}

	/**
	 * An order's status changed.
	 *
	 * @param int            $order_id Order id.
	 * @param string         $from     Old status.
	 * @param string         $to       New status.
	 * @param \WC_Order|null $order    The order.
	 */
	public static function on_status_changed( $order_id, $from, $to, $order = null ): void {
		$from  = self::bare( (string) $from );
		$to    = self::bare( (string) $to );
		$order = self::order( $order ? $order : $order_id );
		if ( ! $order || self::is_draft( $to ) ) {
			return;
		}
		if ( ! self::is_draft( $from ) ) {
			// Leaving a draft is the order being placed, which the checkout hooks (or the fallback,
			// once the request is over and the order complete) report as order.created.
			self::send_fallback( $order );
			self::emit( 'order.status_changed', $order, $to );
		}
		if ( 'failed' === $to ) {
			self::emit( 'order.payment_failed', $order, $to );
		}
		$paid = self::paid_statuses();
		if ( in_array( $to, $paid, true ) && ! in_array( $from, $paid, true ) ) {
			self::once( 'paid', 'order.paid', $order, $to );
		}
		if ( 'refunded' === $to && ! self::was_sent( 'refunded', $order ) ) {
			self::refund( $order, $to );
		}
	}

	/**
	 * A gateway confirmed payment.
	 *
	 * @param int $order_id Order id.
	 */
	public static function on_payment_complete( $order_id ): void {
		$order = self::order( $order_id );
		if ( $order ) {
			self::send_fallback( $order );
			self::once( 'paid', 'order.paid', $order );
		}
	}

	/**
	 * A refund was made, full or partial: WooCommerce (wc_create_refund() in
	 * includes/wc-order-functions.php, checked for 10.5) fires woocommerce_order_refunded last for
	 * every refund, after woocommerce_order_partially_refunded or _fully_refunded (and, for a full
	 * one, after the status change to refunded). Each refund is reported, with the amount refunded
	 * so far; the sidecar keeps the largest.
	 *
	 * @param int $order_id Order id.
	 */
	public static function on_refunded( $order_id ): void {
		$order = self::order( $order_id );
		if ( $order ) {
			self::send_fallback( $order );
			self::refund( $order, null );
		}
	}

	/**
	 * order.refunded, unless one with this refunded amount (or a larger one) already went out in
	 * this request: a full refund changes the status to refunded and then fires
	 * woocommerce_order_refunded, which is one refund, reported once.
	 *
	 * @param \WC_Order   $order  The order.
	 * @param string|null $status Status to report.
	 */
	private static function refund( $order, ?string $status ): void {
		$id     = (int) $order->get_id();
		$amount = max( 0, Money::to_minor( $order->get_total_refunded(), (string) $order->get_currency() ) );
		if ( Events::suppressed() || ( isset( self::$refunds[ $id ] ) && self::$refunds[ $id ] >= $amount ) ) {
			return;
		}
		self::$refunds[ $id ] = $amount;
		self::mark_sent( 'refunded', $order );
		self::emit( 'order.refunded', $order, $status );
	}

	/**
	 * Sends order.created for orders only woocommerce_new_order announced. Runs on shutdown, when
	 * the order and its items are saved; tests call it to end a "request".
	 */
	public static function flush(): void {
		$pending        = self::$fallback;
		self::$fallback = array();
		foreach ( $pending as $id => $cart_key ) {
			$order = self::order( $id );
			if ( $order ) {
				self::created( $order, $cart_key );
			}
		}
		self::$sent    = array();
		self::$refunds = array();
	}

	/**
	 * order.created, once.
	 *
	 * @param \WC_Order   $order    The order.
	 * @param string|null $cart_key The key of the cart it was placed from, if known.
	 */
	private static function created( $order, ?string $cart_key ): void {
		unset( self::$fallback[ (int) $order->get_id() ] );
		if ( Events::suppressed() || self::is_draft( (string) $order->get_status() ) || self::was_sent( 'created', $order ) ) {
			return;
		}
		if ( $cart_key && '' === (string) $order->get_meta( self::META_CART_KEY ) ) {
			$order->update_meta_data( self::META_CART_KEY, $cart_key );
		}
		$phone = Phone::to_e164( (string) $order->get_billing_phone(), (string) $order->get_billing_country() );
		if ( null !== $phone && (string) $order->get_meta( self::META_PHONE ) !== $phone ) {
			$order->update_meta_data( self::META_PHONE, $phone );
		}
		self::mark_sent( 'created', $order );
		Events::emit( 'order.created', Payloads::order( $order ) );
	}

	/**
	 * order.created now for an order still waiting for the fallback, so it precedes what follows.
	 *
	 * @param \WC_Order $order The order.
	 */
	private static function send_fallback( $order ): void {
		if ( isset( self::$fallback[ (int) $order->get_id() ] ) ) {
			self::created( $order, self::$fallback[ (int) $order->get_id() ] );
		}
	}

	/**
	 * An event sent at most once per order.
	 *
	 * @param string      $what   Flag name.
	 * @param string      $type   Event type.
	 * @param \WC_Order   $order  The order.
	 * @param string|null $status Status to report.
	 */
	private static function once( string $what, string $type, $order, ?string $status = null ): void {
		if ( Events::suppressed() || self::was_sent( $what, $order ) ) {
			return;
		}
		self::mark_sent( $what, $order );
		self::emit( $type, $order, $status );
	}

	/**
	 * Emits an order event.
	 *
	 * @param string      $type   Event type.
	 * @param \WC_Order   $order  The order.
	 * @param string|null $status Status to report.
	 */
	private static function emit( string $type, $order, ?string $status = null ): void {
		if ( Events::suppressed() || self::is_draft( (string) ( $status ?? $order->get_status() ) ) ) {
			return;
		}
		Events::emit( $type, Payloads::order( $order, $status ) );
	}

	/**
	 * Whether a once-only event went out for this order, in this request or an earlier one.
	 *
	 * @param string    $what  Flag name.
	 * @param \WC_Order $order The order.
	 */
	private static function was_sent( string $what, $order ): bool {
		if ( isset( self::$sent[ $what ][ (int) $order->get_id() ] ) ) {
			return true;
		}
		$flags = $order->get_meta( self::META_SENT );
		return is_array( $flags ) && isset( $flags[ $what ] );
	}

	/**
	 * Records a once-only event in the order's meta (through the order: HPOS-safe) and this request.
	 *
	 * @param string    $what  Flag name.
	 * @param \WC_Order $order The order.
	 */
	private static function mark_sent( string $what, $order ): void {
		self::$sent[ $what ][ (int) $order->get_id() ] = true;
		$flags          = $order->get_meta( self::META_SENT );
		$flags          = is_array( $flags ) ? $flags : array();
		$flags[ $what ] = time();
		$order->update_meta_data( self::META_SENT, $flags );
		$order->save_meta_data();
	}

	/**
	 * A shop order (not a refund, not a subscription), or null.
	 *
	 * @param \WC_Order|int|mixed $order An order or its id.
	 * @return \WC_Order|null
	 */
	private static function order( $order ) {
		if ( ! $order instanceof \WC_Order ) {
			$order = is_numeric( $order ) && (int) $order > 0 ? wc_get_order( (int) $order ) : null;
		}
		return $order instanceof \WC_Order && 'shop_order' === $order->get_type() ? $order : null;
	}

	/** The key of the shopper's current cart (the session's), if it has one. */
	private static function session_cart_key(): ?string {
		return Session_Keys::cart_key( false );
	}

	/** Statuses that mean paid (WooCommerce's list: processing, completed, filterable). */
	private static function paid_statuses(): array {
		return function_exists( 'wc_get_is_paid_statuses' ) ? (array) wc_get_is_paid_statuses() : array( 'processing', 'completed' );
	}

	/**
	 * Whether a status is a draft one.
	 *
	 * @param string $status Status.
	 */
	private static function is_draft( string $status ): bool {
		return in_array( self::bare( $status ), self::DRAFTS, true );
	}

	/**
	 * A status without WordPress's "wc-" prefix.
	 *
	 * @param string $status Status.
	 */
	private static function bare( string $status ): string {
		return 0 === strpos( $status, 'wc-' ) ? substr( $status, 3 ) : $status;
	}
}
