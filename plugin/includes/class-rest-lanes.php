<?php
/**
 * `GET/PUT /cartback/v1/lanes/<lane>`: the lane settings live in the sidecar; these routes pass
 * the admin's reads and writes on to its signed admin API (`/v1/admin/lanes/<lane>`). The
 * sidecar validates: its 400 `{error: {code, message, path}}` comes back unchanged, so the
 * screen can show the message next to the field the path names.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The lane-settings proxy. */
final class Rest_Lanes {
	/**
	 * The lanes the admin screen edits, in the sidecar's order of precedence (its LANE_NAMES in
	 * service/src/engine/lane-types.ts): the one list of lanes on the plugin's side. The screen
	 * gets it from `GET /settings` and shows a section per lane, in this order.
	 */
	const LANES = array( 'payment_recovery', 'abandoned_cart', 'browse_abandonment', 'winback' );

	/** Max body passed on (the sidecar takes up to 1 MiB). */
	const MAX_BODY = 262144;

	/** Registers the routes (called from Rest_Controller::routes on rest_api_init). */
	public static function routes(): void {
		register_rest_route(
			Rest_Controller::NAMESPACE,
			// Any lane-like name is routed, so an unknown one gets a 404 saying which lanes there are
			// (after the capability check) rather than WordPress's "no route".
			'/lanes/(?P<lane>[A-Za-z0-9_-]{1,64})',
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( self::class, 'get_lane' ),
					'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
				),
				array(
					'methods'             => 'PUT',
					'callback'            => array( self::class, 'put_lane' ),
					'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
				),
			)
		);
	}

	/**
	 * `GET /lanes/<lane>` → the sidecar's `{lane, settings}`.
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response
	 */
	public static function get_lane( \WP_REST_Request $request ) {
		$lane = self::lane( $request );
		if ( null === $lane ) {
			return self::unknown_lane( $request );
		}
		return self::reply( Sidecar_Client::request( 'GET', '/v1/admin/lanes/' . $lane ) );
	}

	/**
	 * `PUT /lanes/<lane>` with the complete settings object (JSON) → the sidecar's answer. The
	 * body is passed on byte for byte, so the sidecar's strict validation (no type conversion)
	 * judges exactly what the admin sent.
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response
	 */
	public static function put_lane( \WP_REST_Request $request ) {
		$lane = self::lane( $request );
		if ( null === $lane ) {
			return self::unknown_lane( $request );
		}
		$body = (string) $request->get_body();
		if ( strlen( $body ) > self::MAX_BODY ) {
			return self::error( 413, 'too_large', __( 'The lane settings are too large.', 'cartback' ) );
		}
		if ( ! is_array( json_decode( $body, true ) ) || '{' !== substr( ltrim( $body ), 0, 1 ) ) {
			return self::error( 400, 'invalid_json', __( 'The lane settings must be a JSON object.', 'cartback' ) );
		}
		return self::reply( Sidecar_Client::request( 'PUT', '/v1/admin/lanes/' . $lane, $body ) );
	}

	/**
	 * The lane named in the route, or null when it is not one of LANES.
	 *
	 * @param \WP_REST_Request $request The request.
	 */
	private static function lane( \WP_REST_Request $request ): ?string {
		$lane = (string) $request->get_param( 'lane' );
		return in_array( $lane, self::LANES, true ) ? $lane : null;
	}

	/**
	 * The 404 for a lane that does not exist: which one was asked for and which there are.
	 *
	 * @param \WP_REST_Request $request The request.
	 */
	private static function unknown_lane( \WP_REST_Request $request ): \WP_REST_Response {
		return self::error(
			404,
			'unknown_lane',
			sprintf(
				/* translators: 1: the lane asked for, 2: the lanes there are, comma-separated. */
				__( 'There is no lane "%1$s". The lanes are: %2$s.', 'cartback' ),
				(string) $request->get_param( 'lane' ),
				implode( ', ', self::LANES )
			)
		);
	}

	/**
	 * Turns the client's answer into the route's reply (this proxy's and Rest_Incentives'): the
	 * sidecar's body on success; its own 4xx error (validation, unknown lane) with its status, as
	 * `{error: {code, message, path}}` — the flat `{error: code, message, field}` of its newer
	 * admin routes is given the same shape, so the screen reads one; otherwise — the sidecar cannot answer
	 * (not connected, unreachable, refusing the secret, failing, or not a Cartback sidecar) — a
	 * 503 with `{error: {code, message}}` in words an admin can act on. Never a bare 502.
	 *
	 * @param array $answer Sidecar_Client::request's answer.
	 */
	public static function reply( array $answer ): \WP_REST_Response {
		if ( $answer['ok'] && is_array( $answer['body'] ) ) {
			$response = new \WP_REST_Response( $answer['body'], 200 );
			$response->header( 'Cache-Control', 'no-store' );
			return $response;
		}
		if ( $answer['ok'] ) {
			return self::error( 503, 'cartback_sidecar_unavailable', __( 'The sidecar\'s answer was not what Cartback expects. Check the sidecar URL.', 'cartback' ) );
		}
		$error = is_array( $answer['body'] ) && isset( $answer['body']['error'] ) ? $answer['body']['error'] : null;
		if ( is_string( $error ) ) {
			$error = array(
				'code'    => $error,
				'message' => $answer['body']['message'] ?? null,
				'path'    => $answer['body']['field'] ?? null,
			);
		}
		$error = is_array( $error ) ? $error : null;
		if ( null !== $error && in_array( $answer['status'], array( 400, 404, 409, 413, 422 ), true ) ) {
			$passed = array(
				'code'    => (string) ( $error['code'] ?? 'http_' . $answer['status'] ),
				'message' => (string) ( $error['message'] ?? $answer['message'] ),
			);
			if ( isset( $error['path'] ) && is_string( $error['path'] ) && '' !== $error['path'] ) {
				$passed['path'] = $error['path'];
			}
			return new \WP_REST_Response( array( 'error' => $passed ), $answer['status'] );
		}
		$codes = array(
			'not_configured' => 'not_configured',
			'unreachable'    => 'cartback_sidecar_unreachable',
			'unauthorized'   => 'cartback_sidecar_unauthorized',
		);
		return self::error( 503, $codes[ $answer['code'] ] ?? 'cartback_sidecar_unavailable', $answer['message'] );
	}

	/**
	 * An error reply in the sidecar's shape.
	 *
	 * @param int    $status  HTTP status.
	 * @param string $code    Machine-readable code.
	 * @param string $message What the admin reads.
	 */
	private static function error( int $status, string $code, string $message ): \WP_REST_Response {
		return new \WP_REST_Response(
			array(
				'error' => array(
					'code'    => $code,
					'message' => $message,
				),
			),
			$status
		);
	}
}
