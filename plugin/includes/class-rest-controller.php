<?php
/**
 * The admin screen's REST API (namespace cartback/v1): the connection and opt-in settings, the
 * outbox's state, and a connection test. Lanes are proxied to the sidecar by Rest_Lanes.
 *
 * Every route needs `manage_woocommerce`; WordPress's cookie authentication additionally needs a
 * valid `X-WP-Nonce` (wp-api-fetch sends it). The shared secret never leaves the server: replies
 * say only whether one is set.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Routes for the Cartback admin screen. */
final class Rest_Controller {
	const NAMESPACE          = 'cartback/v1';
	const MIN_SECRET_LENGTH  = 32; // The sidecar refuses a shorter CARTBACK_SECRET.
	const MAX_SECRET_LENGTH  = 512;
	const MAX_CONSENT_LENGTH = 1000;

	/** Hooks. */
	public static function register(): void {
		add_action( 'rest_api_init', array( self::class, 'routes' ) );
	}

	/** Registers the routes. */
	public static function routes(): void {
		register_rest_route(
			self::NAMESPACE,
			'/settings',
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( self::class, 'get_settings' ),
					'permission_callback' => array( self::class, 'can_manage' ),
				),
				array(
					'methods'             => \WP_REST_Server::CREATABLE,
					'callback'            => array( self::class, 'save_settings' ),
					'permission_callback' => array( self::class, 'can_manage' ),
					'args'                => self::connection_args() + array(
						'consent_text' => array(
							'type'              => 'string',
							'validate_callback' => array( self::class, 'validate_consent_text' ),
							'sanitize_callback' => array( self::class, 'sanitize_consent_text' ),
						),
					),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/connection/test',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( self::class, 'test_connection' ),
				'permission_callback' => array( self::class, 'can_manage' ),
				'args'                => self::connection_args(),
			)
		);
		Rest_Lanes::routes();
		Rest_Outbox::routes();
		Rest_Sidecar::routes();
	}

	/** The permission check of every Cartback route. */
	public static function can_manage(): bool {
		return current_user_can( 'manage_woocommerce' );
	}

	/**
	 * The connection fields, as both /settings and /connection/test take them.
	 *
	 * @return array<string, array>
	 */
	private static function connection_args(): array {
		return array(
			'sidecar_url' => array(
				'type'              => 'string',
				'validate_callback' => array( self::class, 'validate_sidecar_url' ),
				'sanitize_callback' => array( self::class, 'sanitize_sidecar_url' ),
			),
			'secret'      => array(
				'type'              => 'string',
				'validate_callback' => array( self::class, 'validate_secret' ),
				'sanitize_callback' => array( self::class, 'sanitize_secret' ),
			),
		);
	}

	/**
	 * `GET /settings`: what the admin screen shows. Never the secret itself.
	 *
	 * @return \WP_REST_Response
	 */
	public static function get_settings() {
		return self::no_store(
			array(
				'sidecar_url' => Settings::sidecar_url(),
				'secret_set'  => '' !== Settings::secret(),
				'consent'     => Settings::consent(),
				'outbox'      => Outbox::counts(),
				'delivery'    => Delivery::state(),
			)
		);
	}

	/**
	 * `POST /settings`: saves whichever of sidecar_url, secret and consent_text are given (an
	 * empty or missing secret keeps the stored one) and replies as `GET /settings`.
	 *
	 * @param \WP_REST_Request $request The request, already validated and sanitized.
	 * @return \WP_REST_Response
	 */
	public static function save_settings( \WP_REST_Request $request ) {
		$url    = $request->get_param( 'sidecar_url' );
		$secret = $request->get_param( 'secret' );
		$secret = is_string( $secret ) && '' !== $secret ? $secret : null;
		if ( is_string( $url ) || null !== $secret ) {
			Settings::save_connection( is_string( $url ) ? $url : Settings::sidecar_url(), $secret );
		}
		$text = $request->get_param( 'consent_text' );
		if ( is_string( $text ) ) {
			Settings::save_consent_text( $text );
		}
		return self::get_settings();
	}

	/**
	 * `POST /connection/test`: calls the sidecar's signed `GET /v1/admin/status`, with the URL and
	 * secret from the form when given (so an admin can test before saving), else the stored ones.
	 * Always 200: `{connected: true, status}` or `{connected: false, code, message}`.
	 *
	 * @param \WP_REST_Request $request The request.
	 * @return \WP_REST_Response
	 */
	public static function test_connection( \WP_REST_Request $request ) {
		$url    = $request->get_param( 'sidecar_url' );
		$secret = $request->get_param( 'secret' );
		$answer = self::with_connection(
			is_string( $url ) ? $url : Settings::sidecar_url(),
			is_string( $secret ) && '' !== $secret ? $secret : Settings::secret(),
			static function () {
				return Sidecar_Client::request( 'GET', '/v1/admin/status', null, 8 );
			}
		);
		if ( $answer['ok'] ) {
			$status = $answer['body'];
			if ( is_array( $status ) && isset( $status['paused'], $status['lanes'] ) && is_bool( $status['paused'] ) && is_array( $status['lanes'] ) ) {
				return self::no_store(
					array(
						'connected' => true,
						'status'    => $status,
					)
				);
			}
			return self::not_connected( 'not_cartback', __( 'That address answered, but not as a Cartback sidecar. Enter the sidecar\'s base URL, such as http://127.0.0.1:8787.', 'cartback' ) );
		}
		if ( 404 === $answer['status'] || ( $answer['status'] > 0 && ! is_array( $answer['body'] ) ) ) {
			return self::not_connected(
				'not_cartback',
				/* translators: %d: HTTP status code. */
				sprintf( __( 'That address answered %d, not as a Cartback sidecar would. Enter the sidecar\'s base URL, such as http://127.0.0.1:8787.', 'cartback' ), $answer['status'] )
			);
		}
		return self::not_connected( $answer['code'], $answer['message'] );
	}

	/**
	 * Runs $call with the connection settings temporarily replaced (nothing is stored).
	 *
	 * @param string   $url    Sidecar URL.
	 * @param string   $secret Shared secret.
	 * @param callable $call   What to run.
	 * @return mixed What $call returned.
	 */
	private static function with_connection( string $url, string $secret, callable $call ) {
		$override = static function () use ( $url, $secret ) {
			return array(
				'sidecar_url' => rtrim( $url, '/' ),
				'secret'      => $secret,
			);
		};
		add_filter( 'pre_option_' . Settings::CONNECTION_OPTION, $override );
		try {
			return $call();
		} finally {
			remove_filter( 'pre_option_' . Settings::CONNECTION_OPTION, $override );
		}
	}

	/**
	 * A failed connection test.
	 *
	 * @param string $code    Machine-readable reason.
	 * @param string $message What the admin reads.
	 */
	private static function not_connected( string $code, string $message ): \WP_REST_Response {
		return self::no_store(
			array(
				'connected' => false,
				'code'      => $code,
				'message'   => $message,
			)
		);
	}

	/**
	 * A 200 reply that no cache keeps.
	 *
	 * @param array $data The body.
	 */
	private static function no_store( array $data ): \WP_REST_Response {
		$response = new \WP_REST_Response( $data, 200 );
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * `sidecar_url` must be an absolute http(s) URL with a host.
	 *
	 * @param mixed $value The value.
	 * @return true|\WP_Error
	 */
	public static function validate_sidecar_url( $value ) {
		$value = is_string( $value ) ? trim( $value ) : $value;
		$parts = is_string( $value ) ? wp_parse_url( $value ) : false;
		if ( ! is_array( $parts ) || ! in_array( strtolower( $parts['scheme'] ?? '' ), array( 'http', 'https' ), true ) || empty( $parts['host'] ) || isset( $parts['user'] ) || isset( $parts['query'] ) || isset( $parts['fragment'] ) ) {
			return new \WP_Error( 'rest_invalid_param', __( 'Enter the sidecar\'s URL starting with http:// or https://, such as http://127.0.0.1:8787.', 'cartback' ) );
		}
		return true;
	}

	/**
	 * Trims the URL and drops a trailing slash.
	 *
	 * @param string $value The value.
	 */
	public static function sanitize_sidecar_url( $value ): string {
		return rtrim( esc_url_raw( trim( (string) $value ), array( 'http', 'https' ) ), '/' );
	}

	/**
	 * `secret`: empty (keep the stored one), or 32–512 visible ASCII characters.
	 *
	 * @param mixed $value The value.
	 * @return true|\WP_Error
	 */
	public static function validate_secret( $value ) {
		$value = is_string( $value ) ? trim( $value ) : $value;
		if ( '' === $value ) {
			return true;
		}
		if ( ! is_string( $value ) || ! preg_match( '/^[\x21-\x7e]+$/', $value ) ) {
			return new \WP_Error( 'rest_invalid_param', __( 'The shared secret is letters, digits and punctuation, without spaces: paste the sidecar\'s CARTBACK_SECRET.', 'cartback' ) );
		}
		if ( strlen( $value ) < self::MIN_SECRET_LENGTH || strlen( $value ) > self::MAX_SECRET_LENGTH ) {
			/* translators: %d: the minimum length. */
			return new \WP_Error( 'rest_invalid_param', sprintf( __( 'The shared secret must be at least %d characters long, like the sidecar\'s CARTBACK_SECRET.', 'cartback' ), self::MIN_SECRET_LENGTH ) );
		}
		return true;
	}

	/**
	 * Trims the secret (pasted values often carry a newline). Nothing else: every byte counts.
	 *
	 * @param string $value The value.
	 */
	public static function sanitize_secret( $value ): string {
		return trim( (string) $value );
	}

	/**
	 * `consent_text`: not empty once sanitized, at most 1000 characters.
	 *
	 * @param mixed $value The value.
	 * @return true|\WP_Error
	 */
	public static function validate_consent_text( $value ) {
		$text = is_string( $value ) ? self::sanitize_consent_text( $value ) : '';
		if ( '' === $text ) {
			return new \WP_Error( 'rest_invalid_param', __( 'The opt-in text cannot be empty: shoppers must see what they agree to.', 'cartback' ) );
		}
		if ( mb_strlen( $text ) > self::MAX_CONSENT_LENGTH ) {
			/* translators: %d: the maximum length. */
			return new \WP_Error( 'rest_invalid_param', sprintf( __( 'The opt-in text can be at most %d characters long.', 'cartback' ), self::MAX_CONSENT_LENGTH ) );
		}
		return true;
	}

	/**
	 * Plain text, line breaks kept, surrounding space trimmed.
	 *
	 * @param string $value The value.
	 */
	public static function sanitize_consent_text( $value ): string {
		return trim( sanitize_textarea_field( (string) $value ) );
	}
}
