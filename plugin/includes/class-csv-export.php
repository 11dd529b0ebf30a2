<?php
/**
 * The Dashboard's CSV downloads: `admin-post.php?action=cartback_export&kind=messages|orders
 * &from&to&_wpnonce`, for an admin with manage_woocommerce and the nonce the Dashboard printed.
 * The sidecar's signed `GET /v1/admin/export/<kind>.csv` is read in chunks and passed on as it
 * arrives (the file is never held whole), as an attachment. Only `from` and `to` are passed on.
 * When the sidecar refuses (its 400 naming the parameter) or cannot be reached, the admin reads
 * why on a wp-admin error page with a link back, never a blank page.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The CSV download relay. */
final class Csv_Export {
	const ACTION = 'cartback_export';
	const KINDS  = array( 'messages', 'orders' );
	const CHUNK  = 8192;

	/** Hooks. */
	public static function register(): void {
		add_action( 'admin_post_' . self::ACTION, array( self::class, 'handle' ) );
	}

	/** The nonce the Dashboard puts on its download links. */
	public static function nonce(): string {
		return wp_create_nonce( self::ACTION );
	}

	/** Checks the admin, then streams the file (or shows why not) and ends the request. */
	public static function handle(): void {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			self::fail( 403, __( 'Sorry, you are not allowed to export Cartback data.', 'cartback' ) );
		}
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- verified right here.
		$nonce = isset( $_GET['_wpnonce'] ) && is_string( $_GET['_wpnonce'] ) ? sanitize_text_field( wp_unslash( $_GET['_wpnonce'] ) ) : '';
		if ( ! wp_verify_nonce( $nonce, self::ACTION ) ) {
			self::fail( 403, __( 'The export link has expired. Reload the Cartback Dashboard and try again.', 'cartback' ) );
		}
		$kind = isset( $_GET['kind'] ) && is_string( $_GET['kind'] ) ? sanitize_key( wp_unslash( $_GET['kind'] ) ) : '';
		if ( ! in_array( $kind, self::KINDS, true ) ) {
			self::fail( 400, __( 'Choose what to export: messages or orders.', 'cartback' ) );
		}
		$params = array();
		foreach ( array( 'from', 'to' ) as $name ) {
			if ( isset( $_GET[ $name ] ) ) {
				$params[ $name ] = is_string( $_GET[ $name ] ) ? sanitize_text_field( wp_unslash( $_GET[ $name ] ) ) : array();
			}
		}
		// phpcs:enable WordPress.Security.NonceVerification.Recommended
		$query = Rest_Dashboard::query( $params, array( 'from', 'to' ) );
		if ( is_string( $query['error'] ) ) {
			self::fail( 400, $query['error'] );
		}
		self::relay( '/v1/admin/export/' . $kind . '.csv' . $query['query'], 'cartback-' . $kind . '.csv' );
		exit;
	}

	/**
	 * Opens the sidecar's signed GET as a stream: `{stream, status, body}` — body only when the
	 * answer is not a 200 (its first 64 KiB), or `{stream: null, status: 0, body: why}`.
	 *
	 * @param string $path Path with query.
	 * @return array{stream: resource|null, status: int, body: string}
	 */
	public static function open( string $path ): array {
		$base = Settings::sidecar_url();
		if ( '' === $base || '' === Settings::secret() ) {
			return array(
				'stream' => null,
				'status' => 0,
				'body'   => __( 'Cartback is not connected yet: enter the sidecar URL and the shared secret.', 'cartback' ),
			);
		}
		$signed  = rtrim( (string) wp_parse_url( $base, PHP_URL_PATH ), '/' ) . $path;
		$headers = array( 'Accept: text/csv' );
		foreach ( Signer::headers( Settings::secret(), 'GET', $signed, '' ) as $name => $value ) {
			$headers[] = $name . ': ' . $value;
		}
		$context = stream_context_create(
			array(
				'http' => array(
					'method'          => 'GET',
					'header'          => implode( "\r\n", $headers ),
					'user_agent'      => 'Cartback/' . CARTBACK_VERSION,
					'ignore_errors'   => true,
					'follow_location' => 0,
					'timeout'         => 60,
				),
			)
		);
		// phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fopen,WordPress.PHP.NoSilencedErrors.Discouraged -- a stream read in chunks, not a file; its failure is reported below.
		$stream = @fopen( $base . $path, 'rb', false, $context );
		if ( false === $stream ) {
			$last = error_get_last();
			return array(
				'stream' => null,
				'status' => 0,
				'body'   => sprintf(
					/* translators: %s: the error, e.g. "Connection refused". */
					__( 'The sidecar could not be reached: %s. Check the URL and that the sidecar is running.', 'cartback' ),
					is_array( $last ) ? preg_replace( '/^.*?: /', '', (string) $last['message'] ) : 'fopen'
				),
			);
		}
		$meta   = stream_get_meta_data( $stream );
		$lines  = isset( $meta['wrapper_data'] ) && is_array( $meta['wrapper_data'] ) ? $meta['wrapper_data'] : array();
		$status = 0;
		foreach ( $lines as $line ) {
			if ( preg_match( '#^HTTP/\S+\s+(\d{3})#', (string) $line, $match ) ) {
				$status = (int) $match[1]; // The last one counts.
			}
		}
		if ( 200 === $status ) {
			return array(
				'stream' => $stream,
				'status' => 200,
				'body'   => '',
			);
		}
		$body = (string) stream_get_contents( $stream, 65536 );
		fclose( $stream ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose
		return array(
			'stream' => null,
			'status' => $status,
			'body'   => $body,
		);
	}

	/**
	 * Streams the sidecar's CSV to the browser as an attachment, or fails readably.
	 *
	 * @param string $path     The sidecar's path with query.
	 * @param string $filename The download's name.
	 */
	private static function relay( string $path, string $filename ): void {
		$answer = self::open( $path );
		if ( null === $answer['stream'] ) {
			self::fail_with_answer( $answer['status'], $answer['body'] );
		}
		while ( ob_get_level() > 0 ) {
			ob_end_clean();
		}
		nocache_headers();
		header( 'Content-Type: text/csv; charset=utf-8' );
		header( 'Content-Disposition: attachment; filename="' . $filename . '"' );
		header( 'X-Content-Type-Options: nosniff' );
		header( 'Cache-Control: no-store' );
		$stream = $answer['stream'];
		while ( ! feof( $stream ) ) {
			$chunk = fread( $stream, self::CHUNK ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fread
			if ( false === $chunk ) {
				break;
			}
			echo $chunk; // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- a CSV download, not HTML.
			flush();
		}
		fclose( $stream ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose
	}

	/**
	 * The sidecar's refusal in words: its own message for a 400 (which names the parameter),
	 * else what the admin can do.
	 *
	 * @param int    $status The sidecar's status, 0 when it did not answer.
	 * @param string $body   Its answer, or why there was none.
	 */
	private static function fail_with_answer( int $status, string $body ): void {
		if ( 0 === $status ) {
			self::fail( 503, $body );
		}
		$decoded = json_decode( $body, true );
		$error   = is_array( $decoded ) && isset( $decoded['error'] ) && is_array( $decoded['error'] ) ? $decoded['error'] : array();
		$message = isset( $error['message'] ) && is_string( $error['message'] ) ? $error['message'] : '';
		if ( 400 === $status && '' !== $message ) {
			/* translators: %s: the sidecar's explanation, e.g. "from must be before to". */
			self::fail( 400, sprintf( __( 'The export was refused: %s.', 'cartback' ), $message ) );
		}
		if ( 401 === $status ) {
			self::fail( 503, __( 'The sidecar refused the shared secret. Check the connection on the Cartback screen.', 'cartback' ) );
		}
		self::fail(
			503,
			'' !== $message
				/* translators: 1: HTTP status code, 2: the sidecar's explanation. */
				? sprintf( __( 'The sidecar answered %1$d: %2$s', 'cartback' ), $status, $message )
				/* translators: %d: HTTP status code. */
				: sprintf( __( 'The sidecar answered %d. Is the URL the Cartback sidecar?', 'cartback' ), $status )
		);
	}

	/**
	 * Ends the request with a wp-admin error page and a link back.
	 *
	 * @param int    $status  HTTP status.
	 * @param string $message What the admin reads.
	 */
	private static function fail( int $status, string $message ): void {
		wp_die(
			esc_html( $message ),
			esc_html__( 'Cartback export', 'cartback' ),
			array(
				'response'  => $status,
				'back_link' => true,
			)
		);
	}
}
