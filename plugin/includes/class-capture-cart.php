<?php
/**
 * Captures the shopper's cart: any change marks it dirty, and at the end of the request one
 * snapshot goes out, cart.updated (or cart.emptied when the shopper emptied it). A cart emptied
 * because it was just bought is not abandonment: nothing is sent, and the next cart gets a new key.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** One cart snapshot per request, at shutdown. */
final class Capture_Cart {
	/** Shutdown priority: before WooCommerce saves its session (20), so the keys stored here persist. */
	const FLUSH_PRIORITY = 5;

	/** WooCommerce's cart hooks that change what is in the cart (WC_Cart, woocommerce/woocommerce). */
	const CHANGE_HOOKS = array(
		'woocommerce_add_to_cart',
		'woocommerce_cart_item_removed',
		'woocommerce_cart_item_restored',
		'woocommerce_after_cart_item_quantity_update',
		'woocommerce_applied_coupon',
		'woocommerce_removed_coupon',
	);

	/** @var bool The cart changed during this request. */
	private static $dirty = false;

	/** @var bool It changed after WooCommerce last calculated its totals. */
	private static $totals_stale = false;

	/** @var bool wc_clear_cart_after_payment() may be running (template_redirect, priority 20). */
	private static $clearing_after_payment = false;

	/** Hooks. */
	public static function register(): void {
		foreach ( self::CHANGE_HOOKS as $hook ) {
			add_action( $hook, array( self::class, 'mark_dirty' ), 10, 0 );
		}
		// WC_Cart::set_quantity() fires this after it has recalculated the totals (unless asked not
		// to, when woocommerce_after_cart_item_quantity_update, fired before, left them stale): the
		// cart changed, but its totals are current — no second calculate_totals() at shutdown.
		add_action( 'woocommerce_cart_item_set_quantity', array( self::class, 'mark_changed' ), 10, 0 );
		add_action( 'woocommerce_cart_emptied', array( self::class, 'on_emptied' ), 10, 0 );
		add_action( 'woocommerce_after_calculate_totals', array( self::class, 'on_totals_calculated' ), 10, 0 );
		add_action( 'woocommerce_checkout_order_processed', array( self::class, 'on_order_placed' ), 10, 0 );
		add_action( 'woocommerce_store_api_checkout_order_processed', array( self::class, 'on_order_placed' ), 10, 0 );
		// WooCommerce empties a bought cart on the order-received page from template_redirect at 20.
		add_action( 'template_redirect', array( self::class, 'before_clear_after_payment' ), 19, 0 );
		add_action( 'template_redirect', array( self::class, 'after_clear_after_payment' ), 21, 0 );
		add_action( 'shutdown', array( self::class, 'flush' ), self::FLUSH_PRIORITY, 0 );
	}

	/** The cart changed (a hook above fired). Ignored while the plugin changes the cart itself. */
	public static function mark_dirty(): void {
		if ( Events::suppressed() ) {
			return;
		}
		self::$dirty        = true;
		self::$totals_stale = true;
	}

	/** The cart changed and WooCommerce has already recalculated its totals. */
	public static function mark_changed(): void {
		if ( ! Events::suppressed() ) {
			self::$dirty = true;
		}
	}

	/** WooCommerce emptied the cart: by the shopper, or because it was just bought. */
	public static function on_emptied(): void {
		if ( Events::suppressed() ) {
			return;
		}
		if ( self::$clearing_after_payment || Session_Keys::cart_was_ordered() ) {
			// Bought: the order carries this cart's key (a gateway may empty it only on a later
			// request, when the shopper returns from paying). Whatever follows is a new cart.
			self::$dirty = false;
			Session_Keys::retire_cart_key();
			return;
		}
		self::mark_dirty();
	}

	/** WooCommerce calculated totals: the line totals in the cart are current. */
	public static function on_totals_calculated(): void {
		self::$totals_stale = false;
	}

	/** An order was placed from the cart (classic or Store API checkout): emptying it is no abandonment. */
	public static function on_order_placed(): void {
		if ( ! Events::suppressed() ) {
			Session_Keys::mark_ordered();
		}
	}

	/** Opens the window in which WooCommerce clears a paid-for cart. */
	public static function before_clear_after_payment(): void {
		self::$clearing_after_payment = true;
	}

	/** Closes it. */
	public static function after_clear_after_payment(): void {
		self::$clearing_after_payment = false;
	}

	/**
	 * Ends the request for the cart: sends one snapshot if it changed, then forgets this request's
	 * state. Runs on shutdown; tests call it to end a "request".
	 */
	public static function flush(): void {
		$dirty = self::$dirty;
		$stale = self::$totals_stale;

		self::$dirty                  = false;
		self::$totals_stale           = false;
		self::$clearing_after_payment = false;

		if ( ! $dirty || Events::suppressed() || ! function_exists( 'WC' ) || ! WC()->cart || ! WC()->session ) {
			return;
		}
		$cart = WC()->cart;
		if ( $cart->is_empty() ) {
			self::send_emptied();
			return;
		}
		if ( $stale ) {
			$cart->calculate_totals(); // Line totals as WooCommerce computes them, discounts included.
		}
		// Where the server can finish the response early, the images (and a variation's categories) are looked up and the snapshot
		// written after the shopper has the page; its fingerprint, kept in the session WooCommerce
		// saves at 20, is taken now (from the products, not yet their image URLs).
		$later       = After_Response::can_finish();
		$data        = Payloads::cart( $cart, (string) Session_Keys::cart_key(), (string) Session_Keys::session_id(), $later );
		$fingerprint = md5( (string) wp_json_encode( $data ) );
		if ( Session_Keys::last_sent() === $fingerprint ) {
			return; // Changed and changed back: the sidecar already has exactly this.
		}
		Session_Keys::remember_sent( $fingerprint );
		$send = static function () use ( $data ): void {
			Events::emit( 'cart.updated', Payloads::with_lookups( $data ) );
		};
		if ( $later ) {
			After_Response::defer( $send );
		} else {
			$send();
		}
	}

	/** cart.emptied, when the sidecar was last told this cart had something in it. */
	private static function send_emptied(): void {
		$key  = Session_Keys::cart_key( false );
		$last = Session_Keys::last_sent();
		if ( null === $key || '' === $last || 'emptied' === $last ) {
			return;
		}
		if ( Events::emit( 'cart.emptied', array( 'cart_key' => $key ) ) ) {
			Session_Keys::remember_sent( 'emptied' );
		}
	}
}
