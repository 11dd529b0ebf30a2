<?php
/**
 * The routes the sidecar calls (and the plugin's own loopback), signed with the shared secret
 * exactly as the plugin signs its calls to the sidecar (Signer): no WordPress login, no nonce.
 *
 * - POST /cartback/v1/sidecar/deliver, body `{}`: delivers the outbox now, past any backoff
 *   (a run already in progress makes it a no-op) → `{"sent": n, "pending": m}`. The plugin's own
 *   loopback sends `{"async": true}`: answered at once, delivered after the answer.
 * - POST /cartback/v1/sidecar/orders, body `{"since", "cart_key"?, "phone"?, "email"?,
 *   "customer_id"?}`: delivers the outbox first (at most ~3 s), then says whether the contact
 *   ordered since then → `{"ordered": bool, "orders": [{order_id, status, created_at}]}`.
 *
 * A missing, wrong or stale signature is a 401 `cartback_unauthorized` before anything runs.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The sidecar → plugin routes. */
final class Rest_Sidecar {
	/** How long /sidecar/orders may spend delivering the outbox before it answers (seconds). */
	const ORDERS_DELIVERY_SECONDS = 3;

	/** Registers the routes (called from Rest_Controller::routes on rest_api_init). */
	public static function routes(): void {
		register_rest_route(
			Rest_Controller::NAMESPACE,
			'/sidecar/deliver',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( self::class, 'deliver' ),
				'permission_callback' => array( self::class, 'authorize' ),
			)
		);
		register_rest_route(
			Rest_Controller::NAMESPACE,
			'/sidecar/orders',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( self::class, 'orders' ),
				'permission_callback' => array( self::class, 'authorize' ),
			)
		);
	}

	/**
	 * The permission check: the request is signed with the shared secret over its method, the path
	 * and query it was sent to ($_SERVER['REQUEST_URI']) and its raw body, within 300 s.
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return true|\WP_Error
	 */
	public static function authorize( \WP_REST_Request $request ) {
		$path   = isset( $_SERVER['REQUEST_URI'] ) ? wp_unslash( (string) $_SERVER['REQUEST_URI'] ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- compared byte for byte, as signed.
		$reason = Signer::verify(
			Settings::secret(),
			$request->get_header( 'X-Cartback-Timestamp' ),
			$request->get_header( 'X-Cartback-Signature' ),
			$request->get_method(),
			$path,
			(string) $request->get_body(),
			time()
		);
		if ( null === $reason ) {
			return true;
		}
		$messages = array(
			'missing_signature' => __( 'X-Cartback-Timestamp and X-Cartback-Signature headers are required.', 'cartback' ),
			'stale_timestamp'   => __( 'X-Cartback-Timestamp must be unix seconds within 300 s of the store\'s clock.', 'cartback' ),
			'invalid_signature' => __( 'X-Cartback-Signature does not match the request.', 'cartback' ),
		);
		return new \WP_Error( 'cartback_unauthorized', $messages[ $reason ], array( 'status' => 401 ) );
	}

	/**
	 * `POST /sidecar/deliver`. Keeps going when the caller hangs up. With `{"async": true}` (the
	 * plugin's own loopback, which must not keep the shopper's request waiting) it answers
	 * `{"accepted": true, "pending": m}` at once and delivers after the answer has gone.
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response
	 */
	public static function deliver( \WP_REST_Request $request ): \WP_REST_Response {
		ignore_user_abort( true );
		$body = json_decode( (string) $request->get_body(), true );
		if ( is_array( $body ) && true === ( $body['async'] ?? null ) ) {
			add_filter( 'rest_pre_serve_request', array( self::class, 'answer_then_deliver' ), 10, 4 );
			return self::reply(
				array(
					'accepted' => true,
					'pending'  => Outbox::counts()['pending'],
				)
			);
		}
		$result = Delivery::run( true );
		return self::reply(
			array(
				'sent'    => $result['sent'],
				'pending' => Outbox::counts()['pending'],
			)
		);
	}

	/**
	 * Serves the reply with its length and "Connection: close", flushes it to the caller (who has
	 * then all it waits for), and only then delivers the outbox. On rest_pre_serve_request, when
	 * WordPress has sent the status and headers but not the body yet.
	 *
	 * @param bool              $served  Whether the request was served already.
	 * @param \WP_HTTP_Response $result  The reply.
	 * @param \WP_REST_Request  $request The request.
	 * @param \WP_REST_Server   $server  The server.
	 * @return bool True: served.
	 */
	public static function answer_then_deliver( $served, $result, $request, $server ) {
		remove_filter( 'rest_pre_serve_request', array( self::class, 'answer_then_deliver' ), 10 );
		if ( $served ) {
			return $served;
		}
		$json = (string) wp_json_encode( $server->response_to_data( $result, false ) );
		if ( ! headers_sent() ) {
			header( 'Content-Length: ' . strlen( $json ) );
			header( 'Connection: close' );
		}
		echo $json; // phpcs:ignore WordPress.Security.EscapingOutput.OutputNotEscaped -- JSON, as WP_REST_Server::serve_request() prints it.
		while ( ob_get_level() > 0 ) {
			ob_end_flush();
		}
		flush();
		Delivery::run( true, Urgent_Delivery::RUN_SECONDS );
		return true;
	}

	/**
	 * `POST /sidecar/orders`.
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function orders( \WP_REST_Request $request ) {
		$query = self::orders_query( (string) $request->get_body() );
		if ( $query instanceof \WP_Error ) {
			return $query;
		}
		// The events of an order placed a moment ago may still be in the outbox: send them first,
		// so what the sidecar knows and what this answer says agree.
		Delivery::run( true, self::ORDERS_DELIVERY_SECONDS );
		$orders = Order_Lookup::since( $query['since'], $query['who'] );
		return self::reply(
			array(
				'ordered' => array() !== $orders,
				'orders'  => $orders,
			)
		);
	}

	/**
	 * The body of /sidecar/orders, checked: `since` (ISO 8601 in UTC) and any of cart_key, phone
	 * (E.164), email and customer_id.
	 *
	 * @param string $body The raw body.
	 * @return array{since: int, who: array}|\WP_Error
	 */
	private static function orders_query( string $body ) {
		$data = json_decode( $body, true );
		if ( ! is_array( $data ) || '{' !== substr( ltrim( $body ), 0, 1 ) ) {
			return self::invalid( 'body', __( 'The body must be a JSON object.', 'cartback' ) );
		}
		$since = is_string( $data['since'] ?? null ) ? self::utc_seconds( $data['since'] ) : null;
		if ( null === $since ) {
			return self::invalid( 'since', __( 'since must be an ISO 8601 time in UTC, such as 2026-11-21T10:15:00Z.', 'cartback' ) );
		}
		$checks = array(
			'cart_key'    => static function ( $v ) {
				return is_string( $v ) && preg_match( '/^[A-Za-z0-9_-]{1,64}$/', $v );
			},
			'phone'       => static function ( $v ) {
				return is_string( $v ) && preg_match( '/^\+[1-9]\d{7,14}$/', $v );
			},
			'email'       => static function ( $v ) {
				return is_string( $v ) && strlen( $v ) <= 254 && is_email( $v );
			},
			'customer_id' => static function ( $v ) {
				return is_int( $v ) && $v >= 0;
			},
		);
		$who = array();
		foreach ( $checks as $field => $valid ) {
			if ( ! array_key_exists( $field, $data ) || null === $data[ $field ] ) {
				continue;
			}
			if ( ! $valid( $data[ $field ] ) ) {
				/* translators: %s: the field's name. */
				return self::invalid( $field, sprintf( __( '%s is not valid.', 'cartback' ), $field ) );
			}
			$who[ $field ] = $data[ $field ];
		}
		return array(
			'since' => $since,
			'who'   => $who,
		);
	}

	/**
	 * Unix seconds of an ISO 8601 time in UTC ("…Z" or "…+00:00"), or null.
	 *
	 * @param string $text The time.
	 */
	private static function utc_seconds( string $text ): ?int {
		if ( ! preg_match( '/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]00:?00)$/', $text ) ) {
			return null;
		}
		$time = \DateTimeImmutable::createFromFormat( '!Y-m-d\TH:i:s', substr( $text, 0, 19 ), new \DateTimeZone( 'UTC' ) );
		// A date that does not exist (2026-02-30) would roll over: refuse it instead.
		return $time && $time->format( 'Y-m-d\TH:i:s' ) === substr( $text, 0, 19 ) ? $time->getTimestamp() : null;
	}

	/**
	 * A 400 naming the field at fault.
	 *
	 * @param string $param   The field.
	 * @param string $message What is wrong.
	 */
	private static function invalid( string $param, string $message ): \WP_Error {
		return new \WP_Error(
			'cartback_invalid',
			$message,
			array(
				'status' => 400,
				'param'  => $param,
			)
		);
	}

	/**
	 * A 200 reply no cache keeps.
	 *
	 * @param array $data The body.
	 */
	private static function reply( array $data ): \WP_REST_Response {
		$response = new \WP_REST_Response( $data, 200 );
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}
}
