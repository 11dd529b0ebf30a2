<?php
/**
 * POST /cartback/v1/outbox/deliver: the admin screen's "Send now". Runs the delivery job at once,
 * ignoring the backoff, and answers with what happened and the outbox's state.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The outbox's admin action. */
final class Rest_Outbox {
	/** Registers the route (called from Rest_Controller::routes). */
	public static function routes(): void {
		register_rest_route(
			Rest_Controller::NAMESPACE,
			'/outbox/deliver',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( self::class, 'deliver' ),
				'permission_callback' => array( Rest_Controller::class, 'can_manage' ),
			)
		);
	}

	/**
	 * Delivers now.
	 *
	 * @return \WP_REST_Response `{sent, rejected, error, outbox, delivery}`.
	 */
	public static function deliver(): \WP_REST_Response {
		if ( ! Settings::connected() ) {
			return new \WP_REST_Response(
				array(
					'code'    => 'not_configured',
					'message' => __( 'Cartback is not connected yet: enter the sidecar URL and the shared secret.', 'cartback' ),
				),
				409
			);
		}
		$result = Delivery::run( true );
		return new \WP_REST_Response(
			array(
				'sent'     => $result['sent'],
				'rejected' => $result['rejected'],
				'error'    => $result['error'],
				'outbox'   => Outbox::counts(),
				'delivery' => Delivery::state(),
			)
		);
	}
}
