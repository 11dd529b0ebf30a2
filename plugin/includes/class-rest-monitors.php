<?php
/**
 * `GET /cartback/v1/monitors`, `PUT /cartback/v1/monitors/settings` and
 * `POST /cartback/v1/monitors/resume` `{target}`: the admin screen's view of the sidecar's
 * monitors, passed on to its signed admin API (manage_woocommerce and the REST nonce, as every
 * cartback/v1 route). A read or a Resume also refreshes the cached state the wp-admin notice
 * reads, so the notice goes the moment sending resumes. Resume records the admin's login as
 * who resumed.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The monitors proxy. */
final class Rest_Monitors {
	/** Registers the routes (called from Rest_Controller::routes on rest_api_init). */
	public static function routes(): void {
		register_rest_route(
			Rest_Controller::NAMESPACE,
			'/monitors',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( self::class, 'get_monitors' ),
				'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
			)
		);
		register_rest_route(
			Rest_Controller::NAMESPACE,
			'/monitors/settings',
			array(
				'methods'             => 'PUT',
				'callback'            => array( self::class, 'put_settings' ),
				'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
			)
		);
		register_rest_route(
			Rest_Controller::NAMESPACE,
			'/monitors/resume',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'resume' ),
				'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
			)
		);
	}

	/** `GET /monitors` → the sidecar's `{paused, active, recent, thresholds}`. */
	public static function get_monitors(): \WP_REST_Response {
		$answer = Sidecar_Client::request( 'GET', '/v1/admin/monitors' );
		if ( $answer['ok'] && is_array( $answer['body'] ) ) {
			Monitor_Watch::remember( $answer['body'] );
		}
		return Rest_Lanes::reply( $answer );
	}

	/**
	 * `PUT /monitors/settings` with thresholds (JSON object) → the sidecar's answer (its 400 names the field).
	 *
	 * @param \WP_REST_Request $request The request.
	 */
	public static function put_settings( \WP_REST_Request $request ): \WP_REST_Response {
		$body = (string) $request->get_body();
		if ( strlen( $body ) > 8192 || ! is_array( json_decode( $body, true ) ) || '{' !== substr( ltrim( $body ), 0, 1 ) ) {
			return new \WP_REST_Response(
				array(
					'error' => array(
						'code'    => 'invalid_json',
						'message' => __( 'The thresholds must be a JSON object.', 'cartback' ),
					),
				),
				400
			);
		}
		return Rest_Lanes::reply( Sidecar_Client::request( 'PUT', '/v1/admin/monitors/settings', $body ) );
	}

	/**
	 * `POST /monitors/resume` `{target}` (a lane or `all`) → `{resumed, paused}`.
	 *
	 * @param \WP_REST_Request $request The request.
	 */
	public static function resume( \WP_REST_Request $request ): \WP_REST_Response {
		$params = $request->get_json_params();
		$target = is_array( $params ) && is_string( $params['target'] ?? null ) ? $params['target'] : '';
		$user   = wp_get_current_user();
		$answer = Sidecar_Client::request(
			'POST',
			'/v1/admin/monitors/resume',
			array(
				'target' => $target,
				'by'     => substr( '' !== $user->user_login ? $user->user_login : 'admin', 0, 128 ),
			)
		);
		if ( $answer['ok'] && is_array( $answer['body'] ) ) {
			// The active firings are those still paused: keep only theirs from the cache.
			$cached = Monitor_Watch::cached();
			Monitor_Watch::remember(
				array(
					'paused' => $answer['body']['paused'] ?? array(),
					'active' => $cached['active'],
				)
			);
		}
		return Rest_Lanes::reply( $answer );
	}
}
