<?php
/**
 * The admin screen's store-access routes (Store_Access does the work):
 *
 * - GET  /cartback/v1/store-access        → `{state, key_ending, granted_at, code, message}`
 * - POST /cartback/v1/store-access/grant  → 200 as GET, or `{error: {code, message}}`
 * - POST /cartback/v1/store-access/revoke → 200 as GET, or `{error: {code, message}}`
 *
 * Like every admin route: `manage_woocommerce`, and over cookies the REST nonce. No reply ever
 * carries the consumer key or secret — only the key's last 7 characters, as WooCommerce lists it.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Store access for the admin screen. */
final class Rest_Store_Access {
	/** Registers the routes (called from Rest_Controller::routes on rest_api_init). */
	public static function routes(): void {
		register_rest_route(
			Rest_Controller::NAMESPACE,
			'/store-access',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( self::class, 'status' ),
				'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
			)
		);
		register_rest_route(
			Rest_Controller::NAMESPACE,
			'/store-access/grant',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( self::class, 'grant' ),
				'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
			)
		);
		register_rest_route(
			Rest_Controller::NAMESPACE,
			'/store-access/revoke',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( self::class, 'revoke' ),
				'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
			)
		);
	}

	/** `GET /store-access`. */
	public static function status(): \WP_REST_Response {
		return self::reply( Store_Access::status(), 200 );
	}

	/** `POST /store-access/grant`: a new key for the sidecar (the old one is deleted). */
	public static function grant(): \WP_REST_Response {
		$result = Store_Access::grant();
		if ( ! $result['ok'] ) {
			return self::error( $result );
		}
		return self::reply(
			array(
				'state'      => 'granted',
				'key_ending' => $result['key_ending'],
				'granted_at' => $result['granted_at'],
				'code'       => '',
				'message'    => '',
			),
			200
		);
	}

	/** `POST /store-access/revoke`: the key is deleted and the sidecar told to forget it. */
	public static function revoke(): \WP_REST_Response {
		$result = Store_Access::revoke();
		if ( ! $result['ok'] ) {
			return self::error( $result );
		}
		return self::reply(
			array(
				'state'      => 'not_granted',
				'key_ending' => '',
				'granted_at' => '',
				'code'       => '',
				'message'    => '',
			),
			200
		);
	}

	/**
	 * A failed grant or revoke, in the shape the screen reads errors in.
	 *
	 * @param array $result Store_Access's failure.
	 */
	private static function error( array $result ): \WP_REST_Response {
		return self::reply(
			array(
				'error' => array(
					'code'    => $result['code'],
					'message' => $result['message'],
				),
			),
			$result['status']
		);
	}

	/**
	 * A reply no cache keeps.
	 *
	 * @param array $data   The body.
	 * @param int   $status HTTP status.
	 */
	private static function reply( array $data, int $status ): \WP_REST_Response {
		$response = new \WP_REST_Response( $data, $status );
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}
}
