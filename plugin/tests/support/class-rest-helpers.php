<?php
/**
 * Helpers for the REST tests: in-process calls through rest_do_request, and a logged-in admin's
 * browser cookies for real HTTP calls to the php -S site.
 *
 * @package Cartback\Tests
 */

/** REST calls, in process and over HTTP. */
final class Cartback_Rest_Helpers {
	/**
	 * Runs one REST request in this process, as the current user.
	 *
	 * @param string     $method HTTP method.
	 * @param string     $route  Route, e.g. "/cartback/v1/settings".
	 * @param array|null $body   JSON body.
	 * @return array{status: int, data: mixed, json: string, headers: array}
	 */
	public static function call( string $method, string $route, ?array $body = null ): array {
		$request = new WP_REST_Request( $method, $route );
		if ( null !== $body ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( (string) wp_json_encode( $body ) );
		}
		$response = rest_do_request( $request );
		$data     = rest_get_server()->response_to_data( $response, false );
		return array(
			'status'  => $response->get_status(),
			'data'    => $data,
			'json'    => (string) wp_json_encode( $data ),
			'headers' => $response->get_headers(),
		);
	}

	/**
	 * Signs in as $login for the in-process calls.
	 *
	 * @param string $login A user made by install-site.php (admin, subscriber).
	 */
	public static function become( string $login ): int {
		$user = get_user_by( 'login', $login );
		if ( ! $user ) {
			throw new RuntimeException( "no user $login" );
		}
		wp_set_current_user( $user->ID );
		return $user->ID;
	}

	/**
	 * What a browser holds after $login signs in: the logged-in and admin cookies of one fresh
	 * session, and a REST nonce made for that session.
	 *
	 * @param string $login  The user.
	 * @param string $action The nonce's action (the REST API's by default).
	 * @return array{cookies: array<string, string>, nonce: string}
	 */
	public static function browser_session( string $login, string $action = 'wp_rest' ): array {
		$user_id = self::become( $login );
		$expires = time() + HOUR_IN_SECONDS;
		$token   = WP_Session_Tokens::get_instance( $user_id )->create( $expires );
		$cookies = array(
			LOGGED_IN_COOKIE => wp_generate_auth_cookie( $user_id, $expires, 'logged_in', $token ),
			AUTH_COOKIE      => wp_generate_auth_cookie( $user_id, $expires, 'auth', $token ),
		);
		// wp_create_nonce() binds the nonce to the session token it reads from this cookie.
		$saved                       = $_COOKIE[ LOGGED_IN_COOKIE ] ?? null;
		$_COOKIE[ LOGGED_IN_COOKIE ] = $cookies[ LOGGED_IN_COOKIE ];
		$nonce                       = wp_create_nonce( $action );
		if ( null === $saved ) {
			unset( $_COOKIE[ LOGGED_IN_COOKIE ] );
		} else {
			$_COOKIE[ LOGGED_IN_COOKIE ] = $saved;
		}
		wp_set_current_user( 0 );
		return array(
			'cookies' => $cookies,
			'nonce'   => $nonce,
		);
	}

	/**
	 * A real HTTP request to the served site.
	 *
	 * @param string      $method  HTTP method.
	 * @param string      $url     Absolute URL.
	 * @param array       $cookies Cookie name → value.
	 * @param array       $headers More headers.
	 * @param string|null $body    Raw body.
	 * @return array{status: int, body: string, data: mixed, headers: array<string, string>}
	 */
	public static function http( string $method, string $url, array $cookies = array(), array $headers = array(), ?string $body = null ): array {
		$pairs = array();
		foreach ( $cookies as $name => $value ) {
			$pairs[] = $name . '=' . rawurlencode( $value );
		}
		if ( $pairs ) {
			$headers['Cookie'] = implode( '; ', $pairs );
		}
		$response = wp_remote_request(
			$url,
			array(
				'method'      => $method,
				'headers'     => $headers,
				'body'        => $body,
				'timeout'     => 30,
				'redirection' => 0,
			)
		);
		if ( is_wp_error( $response ) ) {
			throw new RuntimeException( $response->get_error_message() );
		}
		$text = (string) wp_remote_retrieve_body( $response );
		return array(
			'status'  => (int) wp_remote_retrieve_response_code( $response ),
			'body'    => $text,
			'data'    => json_decode( $text, true ),
			'headers' => array_map(
				function ( $value ) {
					return is_array( $value ) ? implode( ', ', $value ) : (string) $value;
				},
				(array) wp_remote_retrieve_headers( $response )->getAll()
			),
		);
	}
}
