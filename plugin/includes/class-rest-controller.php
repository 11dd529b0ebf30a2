<?php
/**
 * The admin screen's REST API (namespace cartback/v1): the connection and opt-in settings, the
 * outbox's state, and a connection test. Lanes are proxied to the sidecar by Rest_Lanes, the
 * outbox's "Send now" is Rest_Outbox; the sidecar's own signed routes are Rest_Sidecar's.
 *
 * Every admin route needs `manage_woocommerce`; WordPress's cookie authentication additionally
 * needs a valid `X-WP-Nonce` (wp-api-fetch sends it). The shared secret never leaves the server:
 * replies say only whether one is set.
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
		Rest_Incentives::routes();
		Rest_Monitors::routes();
		Rest_Dashboard::routes();
		Rest_Outbox::routes();
		Rest_Store_Access::routes();
		Rest_Sidecar::routes();
	}

	/** The store's currency (ISO 4217), WooCommerce's setting. */
	private static function store_currency(): string {
		return function_exists( 'get_woocommerce_currency' ) ? (string) get_woocommerce_currency() : 'USD';
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
				'sidecar_url'            => Settings::sidecar_url(),
				'secret_set'             => '' !== Settings::secret(),
				'consent'                => Settings::consent(),
				'outbox'                 => Outbox::counts(),
				'delivery'               => Delivery::state(),
				// WooCommerce 10.9+/11 reminds about unpaid orders itself: the screen says so.
				'wc_pending_order_email' => Store_Profile::wc_pending_order_email_enabled(),
				// WooCommerce's own email to the shopper when an order fails: the payment-recovery
				// section says who sends what.
				'wc_failed_order_email'  => Store_Profile::wc_failed_order_email_enabled(),
				// The lanes the screen shows a section for, in order of precedence.
				'lanes'                  => Rest_Lanes::LANES,
				// The store's currency and its minor-unit digits (as Money converts amounts), so the
				// screen turns ₹100 into 10000 and back as the sidecar counts money.
				'currency'               => array(
					'code'     => self::store_currency(),
					'decimals' => Money::exponent( self::store_currency() ),
				),
			)
		);
	}

	/**
	 * `POST /settings`: saves whichever of sidecar_url, secret and consent_text are given (an
	 * empty or missing secret keeps the stored one) and replies as `GET /settings`. A new URL or
	 * secret is checked against the sidecar first: when the check fails nothing at all is stored
	 * and the reply is a 400 naming the field at fault (`secret` when the sidecar refused it,
	 * `sidecar_url` when nothing, or no Cartback sidecar, answered there) with the reason. Once a
	 * connection is saved, the sidecar gets the store's profile at once (and whatever waits), and
 * the first time ever, store access (Store_Access::grant): the reply then says how that went in
 * `store_access` — `{granted: true, key_ending}` or `{granted: false, code, message}` — while the
 * connection stays saved either way.
	 *
	 * @param \WP_REST_Request $request The request, already validated and sanitized.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public static function save_settings( \WP_REST_Request $request ) {
		$url        = $request->get_param( 'sidecar_url' );
		$secret     = $request->get_param( 'secret' );
		$secret     = is_string( $secret ) && '' !== $secret ? $secret : null;
		$connection = is_string( $url ) || null !== $secret;
		if ( $connection ) {
			$url   = is_string( $url ) ? $url : Settings::sidecar_url();
			$check = Connection_Check::run( $url, $secret ?? Settings::secret() );
			if ( ! $check['connected'] ) {
				return new \WP_Error(
					$check['code'],
					$check['message'],
					array(
						'status' => 400,
						'params' => array( $check['field'] => $check['message'] ),
					)
				);
			}
		}
		$text = $request->get_param( 'consent_text' );
		if ( is_string( $text ) ) {
			Settings::save_consent_text( $text );
		}
		$granted = null;
		if ( $connection ) {
			Settings::save_connection( $url, $secret );
			if ( ! Store_Access::ever_decided() ) {
				$granted = Store_Access::grant();
			}
			Store_Profile::queue( true );
			Delivery::run( true );
		}
		$reply = self::get_settings();
		if ( null !== $granted ) {
			$reply->set_data(
				$reply->get_data() + array(
					'store_access' => $granted['ok']
						? array(
							'granted'    => true,
							'key_ending' => $granted['key_ending'],
						)
						: array(
							'granted' => false,
							'code'    => $granted['code'],
							'message' => $granted['message'],
						),
				)
			);
		}
		return $reply;
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
		$check  = Connection_Check::run(
			is_string( $url ) ? $url : Settings::sidecar_url(),
			is_string( $secret ) && '' !== $secret ? $secret : Settings::secret()
		);
		if ( $check['connected'] ) {
			return self::no_store(
				array(
					'connected' => true,
					'status'    => $check['status'],
				)
			);
		}
		return self::not_connected( $check['code'], $check['message'] );
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
