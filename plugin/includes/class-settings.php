<?php
/**
 * The plugin's stored settings: the sidecar connection and the opt-in text.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Reads and writes the options; one name per setting. */
final class Settings {
	const CONNECTION_OPTION = 'cartback_connection';
	const CONSENT_OPTION    = 'cartback_consent';

	/** The default opt-in wording (DESIGN.md, "Consent"): one box, both scopes, says how to stop. */
	public static function default_consent_text(): string {
		return __( 'Send me updates about my cart and orders, and occasional offers, on WhatsApp. Reply STOP any time.', 'cartback' );
	}

	/** The sidecar's base URL, without a trailing slash ('' when not connected yet). */
	public static function sidecar_url(): string {
		$connection = get_option( self::CONNECTION_OPTION, array() );
		return rtrim( (string) ( $connection['sidecar_url'] ?? '' ), '/' );
	}

	/** The shared secret. Stays on the server: never printed, never sent to a browser. */
	public static function secret(): string {
		$connection = get_option( self::CONNECTION_OPTION, array() );
		return (string) ( $connection['secret'] ?? '' );
	}

	/** Whether both halves of the connection are set. */
	public static function connected(): bool {
		return '' !== self::sidecar_url() && '' !== self::secret();
	}

	/**
	 * Saves the connection. A null secret keeps the stored one (the admin screen never sees it).
	 *
	 * @param string      $sidecar_url The sidecar's base URL.
	 * @param string|null $secret      The new secret, or null to keep the current one.
	 */
	public static function save_connection( string $sidecar_url, ?string $secret ): void {
		$next = array(
			'sidecar_url' => rtrim( $sidecar_url, '/' ),
			'secret'      => null === $secret ? self::secret() : $secret,
		);
		$changed = $next['sidecar_url'] !== self::sidecar_url() || $next['secret'] !== self::secret();
		update_option( self::CONNECTION_OPTION, $next, false );
		if ( $changed ) {
			// The backoff was earned by the old connection: the next delivery run tries the new one.
			delete_option( Delivery::STATE_OPTION );
		}
	}

	/**
	 * The current opt-in text and its version.
	 *
	 * @return array{text: string, version: int}
	 */
	public static function consent(): array {
		$consent = get_option( self::CONSENT_OPTION, array() );
		return array(
			'text'    => (string) ( $consent['text'] ?? self::default_consent_text() ),
			'version' => (int) ( $consent['version'] ?? 1 ),
		);
	}

	/**
	 * Saves the opt-in text; any change of wording bumps the version, so the ledger can tell
	 * which words each shopper agreed to.
	 *
	 * @param string $text The new wording.
	 * @return array{text: string, version: int}
	 */
	public static function save_consent_text( string $text ): array {
		$current = self::consent();
		if ( $text === $current['text'] ) {
			return $current;
		}
		$next = array(
			'text'    => $text,
			'version' => $current['version'] + 1,
		);
		update_option( self::CONSENT_OPTION, $next );
		return $next;
	}
}
