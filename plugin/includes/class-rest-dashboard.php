<?php
/**
 * The Dashboard screen's reads, passed on to the sidecar's signed admin API (manage_woocommerce
 * and the REST nonce, as every cartback/v1 route):
 *
 * - `GET /cartback/v1/dashboard/summary?from&to&period` → `/v1/admin/dashboard/summary`;
 * - `GET /cartback/v1/dashboard/funnel?lane&period&from&to` → `/v1/admin/dashboard/funnel`;
 * - `GET /cartback/v1/dashboard/messages?limit&before` → `/v1/admin/dashboard/messages`;
 * - `GET /cartback/v1/contacts/timeline?q` → `/v1/admin/contacts/timeline`;
 * - `GET, PUT /cartback/v1/rate-card` → `/v1/admin/rate-card`.
 *
 * Only the parameters listed in QUERY are passed on, and only as text: the sidecar checks their
 * values and its 400 `{error: {code, message, path}}` comes back unchanged (Rest_Lanes::reply).
 * The CSV downloads are Csv_Export's (admin-post.php: a download is not a JSON answer).
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The dashboard proxy. */
final class Rest_Dashboard {
	/** Route (under cartback/v1) → the sidecar's path and the query parameters it takes. */
	const QUERY = array(
		'/dashboard/summary'  => array( '/v1/admin/dashboard/summary', array( 'from', 'to', 'period' ) ),
		'/dashboard/funnel'   => array( '/v1/admin/dashboard/funnel', array( 'lane', 'period', 'from', 'to' ) ),
		'/dashboard/messages' => array( '/v1/admin/dashboard/messages', array( 'limit', 'before' ) ),
		'/contacts/timeline'  => array( '/v1/admin/contacts/timeline', array( 'q' ) ),
	);

	/** Longest query value passed on (an email is at most 254 characters). */
	const MAX_VALUE = 320;

	/** Max rate card body passed on. */
	const MAX_BODY = 65536;

	/** Registers the routes (called from Rest_Controller::routes on rest_api_init). */
	public static function routes(): void {
		foreach ( array_keys( self::QUERY ) as $route ) {
			register_rest_route(
				Rest_Controller::NAMESPACE,
				$route,
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( self::class, 'read' ),
					'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
				)
			);
		}
		register_rest_route(
			Rest_Controller::NAMESPACE,
			'/rate-card',
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( self::class, 'get_rate_card' ),
					'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
				),
				array(
					'methods'             => 'PUT',
					'callback'            => array( self::class, 'put_rate_card' ),
					'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
				),
			)
		);
	}

	/**
	 * A dashboard read: the route's whitelisted query parameters passed on, signed.
	 *
	 * @param \WP_REST_Request $request The request.
	 */
	public static function read( \WP_REST_Request $request ): \WP_REST_Response {
		$route = substr( $request->get_route(), strlen( '/' . Rest_Controller::NAMESPACE ) );
		if ( ! isset( self::QUERY[ $route ] ) ) {
			return self::error( 404, 'rest_no_route', __( 'No such dashboard route.', 'cartback' ) );
		}
		list( $path, $names ) = self::QUERY[ $route ];
		$query                = self::query( $request->get_query_params(), $names );
		if ( is_string( $query['error'] ) ) {
			return self::error( 400, 'invalid_query', $query['error'], $query['path'] );
		}
		return Rest_Lanes::reply( Sidecar_Client::request( 'GET', $path . $query['query'] ) );
	}

	/**
	 * The query string to pass on: only `$names`, in that order, each given once as text.
	 *
	 * @param array    $params The request's query parameters.
	 * @param string[] $names  The parameters the sidecar's route takes.
	 * @return array{query: string, error: string|null, path: string}
	 */
	public static function query( array $params, array $names ): array {
		$pairs = array();
		foreach ( $names as $name ) {
			if ( ! array_key_exists( $name, $params ) ) {
				continue;
			}
			$value = $params[ $name ];
			if ( ! is_string( $value ) && ! is_int( $value ) ) {
				return array(
					'query' => '',
					/* translators: %s: a query parameter's name, such as "from". */
					'error' => sprintf( __( '%s must be given once, as text', 'cartback' ), $name ),
					'path'  => $name,
				);
			}
			$value = (string) $value;
			if ( strlen( $value ) > self::MAX_VALUE ) {
				return array(
					'query' => '',
					/* translators: %s: a query parameter's name, such as "q". */
					'error' => sprintf( __( '%s is too long', 'cartback' ), $name ),
					'path'  => $name,
				);
			}
			$pairs[] = rawurlencode( $name ) . '=' . rawurlencode( $value );
		}
		return array(
			'query' => $pairs ? '?' . implode( '&', $pairs ) : '',
			'error' => null,
			'path'  => '',
		);
	}

	/** `GET /rate-card` → `{rate_card, source}`. */
	public static function get_rate_card(): \WP_REST_Response {
		return Rest_Lanes::reply( Sidecar_Client::request( 'GET', '/v1/admin/rate-card' ) );
	}

	/**
	 * `PUT /rate-card` with the card (a JSON object), passed on byte for byte.
	 *
	 * @param \WP_REST_Request $request The request.
	 */
	public static function put_rate_card( \WP_REST_Request $request ): \WP_REST_Response {
		$body = (string) $request->get_body();
		if ( strlen( $body ) > self::MAX_BODY ) {
			return self::error( 413, 'too_large', __( 'The rate card is too large.', 'cartback' ) );
		}
		if ( ! is_array( json_decode( $body, true ) ) || '{' !== substr( ltrim( $body ), 0, 1 ) ) {
			return self::error( 400, 'invalid_json', __( 'The rate card must be a JSON object.', 'cartback' ) );
		}
		return Rest_Lanes::reply( Sidecar_Client::request( 'PUT', '/v1/admin/rate-card', $body ) );
	}

	/**
	 * An error reply in the sidecar's shape.
	 *
	 * @param int    $status  HTTP status.
	 * @param string $code    Machine-readable code.
	 * @param string $message What the admin reads.
	 * @param string $path    The parameter it is about ('' for none).
	 */
	private static function error( int $status, string $code, string $message, string $path = '' ): \WP_REST_Response {
		$error = array(
			'code'    => $code,
			'message' => $message,
		);
		if ( '' !== $path ) {
			$error['path'] = $path;
		}
		return new \WP_REST_Response( array( 'error' => $error ), $status );
	}
}
