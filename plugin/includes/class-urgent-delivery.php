<?php
/**
 * Facts that end a journey (an order placed, paid, failed, changed or refunded; an opt-in given or
 * withdrawn; a cart emptied) must reach the sidecar within seconds, whatever the store's traffic,
 * or a shopper who just paid may get the next reminder. A request that queued one delivers the
 * outbox at its very end, never making the shopper wait on the network:
 *
 * - PHP-FPM or LiteSpeed: the response is finished first (fastcgi_finish_request() /
 *   litespeed_finish_request()), then the outbox is delivered in the same process;
 * - elsewhere (mod_php, the built-in server): a non-blocking, signed POST to the plugin's own
 *   /sidecar/deliver, as WordPress's spawn_cron() starts WP-Cron, sent with the socket transport
 *   (written, then hung up); that request delivers;
 * - with no one waiting for an answer (WP-CLI, WP-Cron): the outbox is delivered inline.
 *
 * It runs on shutdown after Capture_Cart's and Capture_Orders' flushes (5, 6) and after
 * WooCommerce saves its session (20), so the shopper's state is stored before anything else.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Delivery at the end of a request that queued a journey-ending fact. */
final class Urgent_Delivery {
	/** Event types that end (or may end) a journey. */
	const TYPES = array(
		'order.created',
		'order.paid',
		'order.payment_failed',
		'order.status_changed',
		'order.refunded',
		'consent.granted',
		'consent.withdrawn',
		'cart.emptied',
		// Not journey-ending, but rare (an admin's change) and it sets the time of quiet hours.
		'store.updated',
	);

	/** Shutdown priority: after WooCommerce's session save (20). */
	const PRIORITY = 100;

	/** At most this long delivering after the response (seconds). */
	const RUN_SECONDS = 10;

	/** @var bool This request queued an urgent fact. */
	private static $urgent = false;

	/** Hooks. */
	public static function register(): void {
		add_action( 'cartback_event_queued', array( self::class, 'on_queued' ) );
		add_action( 'shutdown', array( self::class, 'at_shutdown' ), self::PRIORITY, 0 );
	}

	/**
	 * An event was queued: note it when it is urgent.
	 *
	 * @param array $event The event.
	 */
	public static function on_queued( $event ): void {
		if ( is_array( $event ) && in_array( $event['type'] ?? '', self::TYPES, true ) ) {
			self::$urgent = true;
		}
	}

	/** Whether this request queued an urgent fact that is not delivered yet. */
	public static function pending(): bool {
		return self::$urgent;
	}

	/** Forgets this request's urgent fact (tests end a "request" with it). */
	public static function forget(): void {
		self::$urgent = false;
	}

	/**
	 * How to deliver at the end of this request. Pure: a function of these facts only.
	 *
	 * @param bool $urgent     An urgent fact was queued.
	 * @param bool $connected  The sidecar's URL and secret are set.
	 * @param bool $unattended Nobody waits for this request's answer (CLI, cron).
	 * @param bool $can_finish The server can finish the response early (FPM, LiteSpeed).
	 * @return string none | inline | finish_then_inline | loopback
	 */
	public static function mode( bool $urgent, bool $connected, bool $unattended, bool $can_finish ): string {
		if ( ! $urgent || ! $connected ) {
			return 'none';
		}
		if ( $unattended ) {
			return 'inline';
		}
		return $can_finish ? 'finish_then_inline' : 'loopback';
	}

	/** Runs on shutdown. */
	public static function at_shutdown(): void {
		if ( ! self::$urgent ) {
			return; // Most requests: not even the connection is read (it is not autoloaded).
		}
		$mode = self::mode(
			self::$urgent,
			Settings::connected(),
			'cli' === PHP_SAPI || wp_doing_cron(),
			function_exists( 'fastcgi_finish_request' ) || function_exists( 'litespeed_finish_request' )
		);
		self::$urgent = false;
		if ( 'finish_then_inline' === $mode ) {
			After_Response::finish_response();
		}
		if ( 'inline' === $mode || 'finish_then_inline' === $mode ) {
			Delivery::run( true, self::RUN_SECONDS );
		} elseif ( 'loopback' === $mode ) {
			self::loopback();
		}
	}

	/**
	 * A signed POST to this site's /sidecar/deliver that does not wait for the answer, with the
	 * arguments wp-includes/cron.php's spawn_cron() uses for its own loopback. WordPress's cURL
	 * transport waits up to a second for an answer even when not blocking; its socket transport
	 * writes the request and hangs up, so this one request is sent with that one.
	 */
	public static function loopback(): void {
		$url   = rest_url( Rest_Controller::NAMESPACE . '/sidecar/deliver' );
		$parts = wp_parse_url( $url );
		$path  = ( $parts['path'] ?? '/' ) . ( isset( $parts['query'] ) ? '?' . $parts['query'] : '' );
		$body  = '{"async":true}'; // Answered before the delivery runs, should anything wait for it.
		add_action( 'requests-requests.before_request', array( self::class, 'use_socket_transport' ), 10, 5 );
		try {
			wp_remote_post(
				$url,
				array(
					'timeout'   => 0.01,
					'blocking'  => false,
					/** This filter is documented in wp-includes/class-wp-http-streams.php */
					'sslverify' => apply_filters( 'https_local_ssl_verify', false ),
					'headers'   => Signer::headers( Settings::secret(), 'POST', $path, $body ) + array( 'Content-Type' => 'application/json' ),
					'body'      => $body,
				)
			);
		} finally {
			remove_action( 'requests-requests.before_request', array( self::class, 'use_socket_transport' ), 10 );
		}
	}

	/**
	 * Picks the Requests library's socket transport for the loopback (Requests 2 in WordPress 6.2+,
	 * Requests 1 before). On requests-requests.before_request, whose arguments are references.
	 *
	 * @param string $url     URL (unused).
	 * @param array  $headers Headers (unused).
	 * @param mixed  $data    Body (unused).
	 * @param string $type    Method (unused).
	 * @param array  $options Requests options.
	 */
	public static function use_socket_transport( &$url, &$headers, &$data, &$type, &$options ): void {
		if ( class_exists( '\WpOrg\Requests\Transport\Fsockopen' ) ) {
			$options['transport'] = '\WpOrg\Requests\Transport\Fsockopen';
		} elseif ( class_exists( 'Requests_Transport_fsockopen' ) ) {
			$options['transport'] = 'Requests_Transport_fsockopen';
		}
	}
}
