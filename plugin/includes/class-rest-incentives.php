<?php
/**
 * `GET/PUT /cartback/v1/incentives`: the store's monthly discount budget lives in the sidecar;
 * these routes pass the admin's reads and writes on to its signed admin API
 * (`/v1/admin/incentives`): `{monthly_budget, currency, month, committed, redeemed, remaining}`,
 * minor units, and `PUT {monthly_budget}`. The sidecar validates; its 400 comes back naming the
 * field (Rest_Lanes::reply), so the screen shows the message next to it. A sidecar from before
 * discounts has no such route (its 404 `not_found`): the read then answers `{available: false}`,
 * so the screen says to update the sidecar instead of offering what it cannot send.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The discount-budget proxy. */
final class Rest_Incentives {
	/** Max body passed on: `{"monthly_budget": n}` is tiny. */
	const MAX_BODY = 4096;

	/** Registers the routes (called from Rest_Controller::routes on rest_api_init). */
	public static function routes(): void {
		register_rest_route(
			Rest_Controller::NAMESPACE,
			'/incentives',
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( self::class, 'get_budget' ),
					'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
				),
				array(
					'methods'             => 'PUT',
					'callback'            => array( self::class, 'put_budget' ),
					'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
				),
			)
		);
	}

	/**
	 * `GET /incentives` → the sidecar's budget and this month's use of it.
	 *
	 * @return \WP_REST_Response
	 */
	public static function get_budget() {
		$answer = Sidecar_Client::request( 'GET', '/v1/admin/incentives' );
		if ( ! $answer['ok'] && 404 === $answer['status'] && 'not_found' === ( $answer['body']['error']['code'] ?? null ) ) {
			$response = new \WP_REST_Response( array( 'available' => false ), 200 );
			$response->header( 'Cache-Control', 'no-store' );
			return $response;
		}
		return Rest_Lanes::reply( $answer );
	}

	/**
	 * `PUT /incentives` with `{monthly_budget}` (JSON) → the sidecar's answer. The body is passed on
	 * byte for byte, so the sidecar's strict validation judges exactly what the admin sent.
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response
	 */
	public static function put_budget( \WP_REST_Request $request ) {
		$body = (string) $request->get_body();
		if ( strlen( $body ) > self::MAX_BODY || ! is_array( json_decode( $body, true ) ) || '{' !== substr( ltrim( $body ), 0, 1 ) ) {
			return new \WP_REST_Response(
				array(
					'error' => array(
						'code'    => 'invalid_json',
						'message' => __( 'The discount budget must be a JSON object with monthly_budget.', 'cartback' ),
						'path'    => 'monthly_budget',
					),
				),
				400
			);
		}
		return Rest_Lanes::reply( Sidecar_Client::request( 'PUT', '/v1/admin/incentives', $body ) );
	}
}
