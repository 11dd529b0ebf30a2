<?php
/**
 * The known-browser cookie (README, "The known-browser cookie"): when a shopper ticks the WhatsApp
 * opt-in, or opens a Cartback link while their consent stands, this browser gets a first-party
 * cookie that ties it to the contact, so that later product views from it are theirs (browse
 * abandonment). It holds the contact's opaque reference (Known_Contacts: random, never the phone),
 * signed with HMAC-SHA256 under a key derived from this site's salts and checked in constant time;
 * HttpOnly, SameSite=Lax, Secure when the site is https, for 365 days (filter
 * `cartback_known_browser_days`). Never set before consent; no third party ever sees it. The
 * sidecar learns which contact a reference is from the browser.linked event queued when it is set.
 *
 * Cost on a storefront request: nothing without the cookie; with it, one HMAC and one primary-key
 * lookup (the reference must still exist: erasure deletes it).
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Sets, reads and clears the cookie. */
final class Known_Browser {
	/** The cookie's name. */
	const COOKIE = 'cartback_known';

	/** The cookie format's version: "<version>.<reference>.<signature>". */
	const VERSION = '1';

	/** How long the cookie lasts by default (days). */
	const DEFAULT_DAYS = 365;

	/**
	 * How long the cookie lasts, in days (1 to 730).
	 */
	public static function days(): int {
		/**
		 * How many days the known-browser cookie lasts.
		 *
		 * @param int $days Days (default 365).
		 */
		$days = (int) apply_filters( 'cartback_known_browser_days', self::DEFAULT_DAYS );
		return max( 1, min( 730, $days ) );
	}

	/**
	 * Ties this browser to the contact: queues browser.linked and sets the cookie. Call only once
	 * the contact has consented (the opt-in ticked, or a restore link whose contact's consent is
	 * current). Nothing happens while capture is switched off, or when the browser already
	 * carries this contact's reference.
	 *
	 * @param string      $phone E.164.
	 * @param string|null $email A valid email, or null.
	 * @param string      $via   consent | restore.
	 * @return string|null The reference, or null when nothing was linked.
	 */
	public static function link( string $phone, ?string $email, string $via ): ?string {
		if ( Events::suppressed() ) {
			return null;
		}
		$ref = Known_Contacts::ref_for( $phone, $email );
		if ( null === $ref || self::verify( self::raw_cookie() ) === $ref ) {
			return $ref;
		}
		$data = array(
			'contact_ref' => $ref,
			'phone'       => $phone,
		);
		if ( null !== $email && '' !== $email ) {
			$data['email'] = $email;
		}
		$data['via'] = $via;
		Events::emit( 'browser.linked', $data );
		self::send( self::VERSION . '.' . $ref . '.' . self::signature( $ref ), time() + self::days() * DAY_IN_SECONDS );
		return $ref;
	}

	/** Unties this browser (the shopper unticked the box): the cookie is deleted. */
	public static function unlink(): void {
		if ( '' !== self::raw_cookie() ) {
			self::send( '', time() - YEAR_IN_SECONDS );
		}
	}

	/**
	 * The contact reference this browser carries: a well-formed cookie with a valid signature whose
	 * reference still belongs to a contact; otherwise null (no cookie, tampered, or erased).
	 */
	public static function contact_ref(): ?string {
		$ref = self::verify( self::raw_cookie() );
		return null !== $ref && Known_Contacts::exists( $ref ) ? $ref : null;
	}

	/**
	 * The reference in a cookie value, when its signature is right (compared in constant time).
	 *
	 * @param string $value The cookie's value.
	 * @return string|null The reference, or null.
	 */
	public static function verify( string $value ): ?string {
		if ( ! preg_match( '/^' . self::VERSION . '\.([0-9a-f]{32})\.([0-9a-f]{64})$/', $value, $parts ) ) {
			return null;
		}
		return hash_equals( self::signature( $parts[1] ), $parts[2] ) ? $parts[1] : null;
	}

	/**
	 * HMAC-SHA256 of "<version>.<reference>" under this site's cookie key.
	 *
	 * @param string $ref The reference.
	 */
	private static function signature( string $ref ): string {
		$key = hash_hmac( 'sha256', 'cartback/known-browser', wp_salt( 'auth' ) );
		return hash_hmac( 'sha256', self::VERSION . '.' . $ref, $key );
	}

	/** The cookie as the browser sent it (or as this request set it), or ''. */
	private static function raw_cookie(): string {
		// phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- checked by verify(): hex and dots only.
		$value = isset( $_COOKIE[ self::COOKIE ] ) && is_string( $_COOKIE[ self::COOKIE ] ) ? wp_unslash( $_COOKIE[ self::COOKIE ] ) : '';
		return is_string( $value ) ? $value : '';
	}

	/**
	 * Sends the cookie (an empty value and a past time delete it). This request's $_COOKIE follows,
	 * so what runs later in it sees the browser as it will be.
	 *
	 * @param string $value   The value.
	 * @param int    $expires Unix time.
	 */
	private static function send( string $value, int $expires ): void {
		$options = array(
			'expires'  => $expires,
			'path'     => COOKIEPATH ? COOKIEPATH : '/',
			'domain'   => COOKIE_DOMAIN ? COOKIE_DOMAIN : '',
			'secure'   => is_ssl() || 'https' === wp_parse_url( home_url(), PHP_URL_SCHEME ),
			'httponly' => true,
			'samesite' => 'Lax',
		);
		if ( '' === $value ) {
			unset( $_COOKIE[ self::COOKIE ] );
		} else {
			$_COOKIE[ self::COOKIE ] = $value;
		}
		/**
		 * Fires when Cartback sets (or, with an empty value, deletes) the known-browser cookie.
		 *
		 * @param string $value   The cookie's value.
		 * @param array  $options setcookie() options: expires, path, domain, secure, httponly, samesite.
		 */
		do_action( 'cartback_known_browser_cookie', $value, $options );
		if ( ! headers_sent() ) {
			setcookie( self::COOKIE, $value, $options );
		}
	}
}
