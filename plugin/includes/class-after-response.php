<?php
/**
 * Work that need not hold up the shopper. Where the server can finish a response early
 * (PHP-FPM's fastcgi_finish_request(), LiteSpeed's litespeed_finish_request()), the request's cart
 * snapshot gets its product images and is written to the outbox after the response has gone: the
 * image lookups and the INSERT — a durable commit — were most of the plugin's cost on a
 * cart-changing request. Elsewhere (the built-in server, mod_php), and when nobody waits (WP-CLI,
 * WP-Cron), Capture_Cart does the same work at once.
 *
 * It runs on shutdown at PRIORITY: after WooCommerce has saved its session (20), so the shopper's
 * next request finds the cart saved, and before Urgent_Delivery (100), so a delivery in this
 * request sends what was written here. What the response-finishing cuts off: output from
 * shutdown callbacks after PRIORITY, which a storefront response does not have.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The response is finished first, then the deferred work runs. */
final class After_Response {
	/** Shutdown priority: after WooCommerce's session save (20), before Urgent_Delivery (100). */
	const PRIORITY = 90;

	/** @var array<int, callable> Work to run once the response has gone. */
	private static $work = array();

	/**
	 * Whether this request's response can be finished before its end: a web request on a server
	 * that can do it. Filterable (`cartback_finish_response_early`) for a host where it misbehaves.
	 */
	public static function can_finish(): bool {
		$can = 'cli' !== PHP_SAPI && ! wp_doing_cron()
			&& ( function_exists( 'fastcgi_finish_request' ) || function_exists( 'litespeed_finish_request' ) );
		/**
		 * Whether Cartback may finish the response early and write its cart snapshot afterwards.
		 *
		 * @param bool $can Whether the server can.
		 */
		return (bool) apply_filters( 'cartback_finish_response_early', $can );
	}

	/**
	 * Runs $work on shutdown once the response has been finished (call it when can_finish()).
	 *
	 * @param callable $work What to run.
	 */
	public static function defer( callable $work ): void {
		if ( ! self::$work ) {
			add_action( 'shutdown', array( self::class, 'run' ), self::PRIORITY, 0 );
		}
		self::$work[] = $work;
	}

	/** Whether work is waiting for the response to finish. */
	public static function pending(): bool {
		return (bool) self::$work;
	}

	/** On shutdown: finishes the response, then runs what waited for it. */
	public static function run(): void {
		$work       = self::$work;
		self::$work = array();
		remove_action( 'shutdown', array( self::class, 'run' ), self::PRIORITY );
		if ( ! $work ) {
			return;
		}
		self::finish_response();
		foreach ( $work as $callback ) {
			$callback();
		}
	}

	/** Sends the response to the shopper and closes the connection; the process goes on. */
	public static function finish_response(): void {
		ignore_user_abort( true );
		if ( function_exists( 'fastcgi_finish_request' ) ) {
			fastcgi_finish_request();
		} elseif ( function_exists( 'litespeed_finish_request' ) ) {
			litespeed_finish_request();
		}
	}
}
