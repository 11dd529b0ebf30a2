<?php
/**
 * The store.updated event: what the sidecar needs to know about the store itself — its name,
 * home and API URLs, time zone (quiet hours are in the store's time), currency, locale,
 * placeholder image and versions. Sent on activation, when the connection is saved, and when one
 * of its inputs changes: a fingerprint of the last one sent is kept in an option and compared
 * only when a watched option was updated (at the end of that request, once) or, for versions,
 * on admin_init — never on a storefront request that changed nothing.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** store.updated. */
final class Store_Profile {
	/** Option: {fingerprint, versions} of the last store.updated queued. */
	const OPTION = 'cartback_store_profile';

	/**
	 * The options the profile is made from (permalink_structure decides the API URL's form;
	 * woocommerce_version and db_version change when WooCommerce or WordPress is upgraded).
	 */
	const WATCHED = array(
		'blogname',
		'home',
		'permalink_structure',
		'timezone_string',
		'gmt_offset',
		'woocommerce_currency',
		'WPLANG',
		'woocommerce_placeholder_image',
		'woocommerce_version',
		'db_version',
		self::WC_RECOVERY_FEATURE,
		self::WC_RECOVERY_EMAIL,
		self::WC_FAILED_ORDER_EMAIL,
	);

	/** WooCommerce 10.9+/11's experimental feature behind its pending-order reminder email ('yes'/'no'). */
	const WC_RECOVERY_FEATURE = 'woocommerce_feature_abandoned_cart_recovery_enabled';

	/** That email's settings (WC_Settings_API: 'woocommerce_' . 'customer_abandoned_cart_recovery' . '_settings'). */
	const WC_RECOVERY_EMAIL = 'woocommerce_customer_abandoned_cart_recovery_settings';

	/**
	 * WooCommerce's customer "Failed order" email's settings. Checked in woocommerce/woocommerce,
	 * plugins/woocommerce/ at two commits (before and after 9.8's email improvements; the same in
	 * both, and in 10.5): includes/emails/class-wc-email-customer-failed-order.php sets
	 * `$this->id = 'customer_failed_order'` and sends on `woocommerce_order_status_failed_notification`
	 * (class-wc-emails.php lists `woocommerce_order_status_failed` among its email actions) when
	 * `is_enabled()`; WC_Settings_API keeps an email's settings in the option
	 * 'woocommerce_' . $id . '_settings', and WC_Email::init_form_fields() defaults `enabled` to
	 * 'yes' — so the email is on until the admin switches it off in WooCommerce → Settings → Emails.
	 */
	const WC_FAILED_ORDER_EMAIL = 'woocommerce_customer_failed_order_settings';

	/** Shutdown priority: after capture (5, 6), before the urgent delivery (100). */
	const FLUSH_PRIORITY = 50;

	/** @var bool A watched option changed during this request. */
	private static $changed = false;

	/** Hooks. */
	public static function register(): void {
		add_action( 'updated_option', array( self::class, 'on_option' ), 10, 1 );
		add_action( 'added_option', array( self::class, 'on_option' ), 10, 1 );
		add_action( 'deleted_option', array( self::class, 'on_option' ), 10, 1 );
		add_action( 'admin_init', array( self::class, 'check_versions' ) );
		add_action( 'shutdown', array( self::class, 'flush' ), self::FLUSH_PRIORITY, 0 );
	}

	/**
	 * An option was added, updated or deleted: a watched one is looked at once the request ends.
	 *
	 * @param string $option The option's name.
	 */
	public static function on_option( $option ): void {
		if ( in_array( $option, self::WATCHED, true ) ) {
			self::$changed = true;
		}
	}

	/** At the end of a request that changed a watched option: queues store.updated if the profile changed. */
	public static function flush(): void {
		if ( self::$changed ) {
			self::$changed = false;
			self::queue( false );
		}
	}

	/** On admin_init: after an upgrade of WordPress, WooCommerce, Cartback or PHP, queues store.updated. */
	public static function check_versions(): void {
		$stored = get_option( self::OPTION, array() );
		if ( ! is_array( $stored ) || ( $stored['versions'] ?? '' ) !== self::versions_key() ) {
			self::queue( false );
		}
	}

	/**
	 * Queues store.updated when the profile differs from the last one queued, or always with $force
	 * (activation, a newly saved connection: the sidecar may never have had it).
	 *
	 * @param bool $force Queue it even when nothing changed.
	 * @return bool Whether one was queued.
	 */
	public static function queue( bool $force ): bool {
		$data = self::data();
		if ( null === $data ) {
			return false; // Without WooCommerce there is no currency to report.
		}
		$fingerprint = md5( (string) wp_json_encode( $data ) );
		$stored      = get_option( self::OPTION, array() );
		if ( ! $force && is_array( $stored ) && ( $stored['fingerprint'] ?? '' ) === $fingerprint ) {
			return false;
		}
		if ( ! Events::emit( 'store.updated', $data ) ) {
			return false;
		}
		update_option(
			self::OPTION,
			array(
				'fingerprint' => $fingerprint,
				'versions'    => self::versions_key(),
			)
		);
		return true;
	}

	/**
	 * The event's data (shared/src/schemas.ts, 'store.updated'), or null without WooCommerce.
	 *
	 * @return array|null
	 */
	public static function data(): ?array {
		if ( ! function_exists( 'get_woocommerce_currency' ) ) {
			return null;
		}
		$home = untrailingslashit( home_url() );
		$name = trim( wp_strip_all_tags( html_entity_decode( (string) get_option( 'blogname' ), ENT_QUOTES, 'UTF-8' ) ) );
		$data = array(
			'name'                   => mb_substr( '' !== $name ? $name : (string) wp_parse_url( $home, PHP_URL_HOST ), 0, 200 ),
			'url'                    => $home,
			'api_url'                => untrailingslashit( rest_url( Rest_Controller::NAMESPACE ) ),
			'time_zone'              => wp_timezone_string(),
			'currency'               => (string) get_woocommerce_currency(),
			'locale'                 => self::locale(),
			'placeholder_image_url'  => self::placeholder_image_url(),
			'versions'               => self::versions(),
			'wc_pending_order_email' => self::wc_pending_order_email_enabled(),
			'wc_failed_order_email'  => self::wc_failed_order_email_enabled(),
		);
		if ( '' === $data['placeholder_image_url'] ) {
			unset( $data['placeholder_image_url'] );
		}
		return $data;
	}

	/**
	 * Whether WooCommerce's own reminder email for pending orders (WooCommerce 10.9+/11) goes out
	 * by itself, so the sidecar never reminds about an order WooCommerce already reminds about.
	 *
	 * WooCommerce loads the email only while its experimental feature `abandoned_cart_recovery` is
	 * on. It then sends it unless the email itself is switched off (its `enabled` setting defaults
	 * to yes) — but schedules it automatically only when the email's `automated` setting is yes
	 * (default no: then it goes only when the admin sends it from an order's page). Checked in
	 * woocommerce/woocommerce, includes/emails/class-wc-email-customer-abandoned-cart-recovery.php:
	 * `is_automated()` is `'yes' === $this->get_option( 'automated', 'no' )`. Before 10.9 neither
	 * option exists: off.
	 */
	public static function wc_pending_order_email_enabled(): bool {
		if ( 'yes' !== get_option( self::WC_RECOVERY_FEATURE, 'no' ) ) {
			return false;
		}
		$email = get_option( self::WC_RECOVERY_EMAIL, array() );
		$email = is_array( $email ) ? $email : array();
		return 'no' !== ( $email['enabled'] ?? 'yes' ) && 'yes' === ( $email['automated'] ?? 'no' );
	}

	/**
	 * Whether WooCommerce emails the shopper itself when an order fails (its customer "Failed
	 * order" email, on unless switched off), so the screen can say who tells the shopper and the
	 * sidecar can keep its payment reminder from repeating that email.
	 */
	public static function wc_failed_order_email_enabled(): bool {
		if ( ! function_exists( 'WC' ) ) {
			return false; // No WooCommerce, no email.
		}
		$email = get_option( self::WC_FAILED_ORDER_EMAIL, array() );
		return 'no' !== ( is_array( $email ) ? ( $email['enabled'] ?? 'yes' ) : 'yes' );
	}

	/**
	 * The site's locale, read afresh: get_locale() keeps the value it found first in the request,
	 * so a language saved a moment ago would not show.
	 */
	private static function locale(): string {
		global $locale;
		$kept = $locale ?? null;
		$locale = null; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- restored below.
		$fresh  = (string) get_locale();
		$locale = $kept; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		return preg_match( '/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/', $fresh ) ? $fresh : 'en_US';
	}

	/**
	 * WooCommerce's placeholder image, the one the admin set or WooCommerce's own, as an absolute URL;
	 * '' when there is none or it is not a JPEG or PNG (WooCommerce's own is a WebP since 8.x:
	 * WhatsApp would refuse it; an admin who wants a picture sets a JPEG or PNG placeholder).
	 */
	private static function placeholder_image_url(): string {
		if ( ! function_exists( 'wc_placeholder_img_src' ) ) {
			return '';
		}
		$src = trim( (string) wc_placeholder_img_src( 'woocommerce_single' ) );
		if ( 0 === strpos( $src, '//' ) ) {
			$src = set_url_scheme( $src );
		} elseif ( 0 === strpos( $src, '/' ) ) {
			$src = untrailingslashit( home_url() ) . $src;
		}
		return Payloads::whatsapp_image_url( $src );
	}

	/**
	 * WordPress, WooCommerce, Cartback and PHP versions; one that is not a plain version string is left out.
	 *
	 * @return array<string, string>
	 */
	private static function versions(): array {
		$versions = array(
			'wordpress'   => (string) get_bloginfo( 'version' ),
			'woocommerce' => function_exists( 'WC' ) && isset( WC()->version ) ? (string) WC()->version : '',
			'plugin'      => CARTBACK_VERSION,
			'php'         => PHP_VERSION,
		);
		return array_filter(
			$versions,
			static function ( $version ) {
				return (bool) preg_match( '/^[0-9A-Za-z.+_-]{1,40}$/', $version );
			}
		);
	}

	/** The versions, as one string to compare on admin_init. */
	private static function versions_key(): string {
		return implode( '|', self::versions() );
	}
}
