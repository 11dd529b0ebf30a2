<?php
/**
 * Turns a shopper's opt-in choice into consent events (DESIGN.md, "Consent"), the moment it is
 * made, without repeating itself: what was already sent is remembered in the WooCommerce
 * session (and, for a signed-in customer, in their user meta).
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** The one place that decides whether a tick or an untick becomes consent.granted / consent.withdrawn. */
final class Consent_Recorder {
	/** Session key: ['wants' => null|bool, 'source' => string, 'granted' => string[] (E.164)]. */
	const SESSION_KEY = 'cartback_consent';

	/** User meta holding a signed-in customer's choice: "yes" or "no". The uninstaller deletes it. */
	const USER_META = 'cartback_whatsapp_optin';

	/** The single default box grants both scopes; the schema takes one scope per event. */
	const SCOPES = array( 'marketing', 'utility' );

	/**
	 * Records the state of the box as the shopper just left it.
	 *
	 * Ticked: consent.granted (both scopes) for the phone typed so far, unless this session already
	 * granted that phone, and the browser becomes known (Known_Browser); with no usable phone yet,
	 * the tick waits (see contact_known()).
	 * Unticked: consent.withdrawn (both scopes) for every phone granted before (this session, or a
	 * signed-in customer's saved consent); nothing when nothing was granted, since an untouched,
	 * unticked box withdraws nothing. A withdrawal also deletes the known-browser cookie.
	 *
	 * @param bool   $ticked  The box's state.
	 * @param string $source  checkout_block | checkout_classic | my_account.
	 * @param array  $contact phone (as typed), country (ISO alpha-2, for the phone), email.
	 * @return array The events queued (empty when nothing changed).
	 */
	public static function record( bool $ticked, string $source, array $contact ): array {
		$state           = self::state();
		$state['wants']  = $ticked;
		$state['source'] = $source;
		$phone           = self::phone( $contact );
		$email           = self::email( $contact );
		$events          = array();
		if ( $ticked ) {
			if ( null !== $phone && ! in_array( $phone, $state['granted'], true ) ) {
				$events             = self::emit( 'consent.granted', $phone, $email, $source );
				$state['granted'][] = $phone;
				if ( $events ) {
					Known_Browser::link( $phone, $email, 'consent' ); // Consent given: this browser is theirs.
				}
			}
		} else {
			if ( $state['granted'] ) {
				Known_Browser::unlink(); // Withdrawn: this browser no longer ties views to them.
			}
			foreach ( $state['granted'] as $granted ) {
				$events = array_merge( $events, self::emit( 'consent.withdrawn', $granted, $email, $source ) );
			}
			$state['granted'] = array();
		}
		self::save( $state );
		self::remember_for_user( $state );
		return $events;
	}

	/**
	 * A phone or email became known (the shopper typed it after ticking the box): a tick that was
	 * waiting for a phone is granted now, with the source it was ticked on.
	 *
	 * @param array $contact phone, country, email.
	 * @return array The events queued.
	 */
	public static function contact_known( array $contact ): array {
		$state = self::state();
		if ( true !== $state['wants'] ) {
			return array();
		}
		return self::record( true, $state['source'], $contact );
	}

	/**
	 * The sidecar's ledger says whether this phone's consent is current (a restore link): the
	 * session takes it as its own memory, queuing nothing. Current: the box shows ticked, and the
	 * phone counts as granted, so a ticked box sends nothing again and an untick withdraws. Not
	 * current: the phone no longer counts as granted, and a tick this session remembered for it is
	 * undone; a tick still waiting for a phone stays.
	 *
	 * @param string $phone   E.164.
	 * @param bool   $current Whether consent is current.
	 */
	public static function current( string $phone, bool $current ): void {
		$state   = self::state();
		$had     = in_array( $phone, $state['granted'], true );
		$granted = array_values( array_diff( $state['granted'], array( $phone ) ) );
		if ( $current ) {
			$granted[]      = $phone;
			$state['wants'] = true;
		} elseif ( $had ) {
			$state['wants'] = false;
		}
		$state['granted'] = $granted;
		self::save( $state );
	}

	/**
	 * Whether the shopper's latest choice (this session, else a signed-in customer's saved one)
	 * is a tick: decides how the box is shown.
	 */
	public static function wants(): bool {
		$state = self::state();
		if ( null !== $state['wants'] ) {
			return $state['wants'];
		}
		return is_user_logged_in() && 'yes' === get_user_meta( get_current_user_id(), self::USER_META, true );
	}

	/**
	 * This session's memory, seeded for a signed-in customer from the consent saved on their account.
	 *
	 * @return array{wants: bool|null, source: string, granted: string[]}
	 */
	private static function state(): array {
		$session = self::session();
		$stored  = $session ? $session->get( self::SESSION_KEY ) : null;
		if ( is_array( $stored ) ) {
			return array(
				'wants'   => isset( $stored['wants'] ) ? (bool) $stored['wants'] : null,
				'source'  => (string) ( $stored['source'] ?? '' ),
				'granted' => array_values( array_filter( (array) ( $stored['granted'] ?? array() ), 'is_string' ) ),
			);
		}
		$state = array(
			'wants'   => null,
			'source'  => '',
			'granted' => array(),
		);
		$user  = get_current_user_id();
		if ( $user && 'yes' === get_user_meta( $user, self::USER_META, true ) ) {
			$phone = self::phone(
				array(
					'phone'   => (string) get_user_meta( $user, 'billing_phone', true ),
					'country' => (string) get_user_meta( $user, 'billing_country', true ),
				)
			);
			if ( null !== $phone ) {
				$state['granted'][] = $phone;
			}
		}
		return $state;
	}

	/**
	 * Stores the memory in the session (kept for the session's life; a new visit starts afresh).
	 *
	 * @param array $state The state.
	 */
	private static function save( array $state ): void {
		$session = self::session();
		if ( $session ) {
			$session->set( self::SESSION_KEY, $state );
		}
	}

	/**
	 * A signed-in customer's choice follows them to My Account and to the next checkout: "yes" once
	 * a grant went out, "no" after an untick.
	 *
	 * @param array $state The state just saved.
	 */
	private static function remember_for_user( array $state ): void {
		$user = get_current_user_id();
		if ( ! $user ) {
			return;
		}
		if ( false === $state['wants'] ) {
			$choice = 'no';
		} elseif ( $state['granted'] ) {
			$choice = 'yes';
		} else {
			return;
		}
		update_user_meta( $user, self::USER_META, $choice );
		// The blocks checkout shows the box from the customer's own copy: keep it the same.
		update_user_meta( $user, Consent::BLOCK_CUSTOMER_META, 'yes' === $choice ? '1' : '0' );
	}

	/**
	 * Queues one event per scope.
	 *
	 * @param string      $type   consent.granted | consent.withdrawn.
	 * @param string      $phone  E.164.
	 * @param string|null $email  A valid email, or null.
	 * @param string      $source Where the box was.
	 * @return array The events queued.
	 */
	private static function emit( string $type, string $phone, ?string $email, string $source ): array {
		$consent = Settings::consent();
		$events  = array();
		foreach ( self::SCOPES as $scope ) {
			$data = array( 'phone' => $phone );
			if ( null !== $email ) {
				$data['email'] = $email;
			}
			$data['scope']        = $scope;
			$data['source']       = $source;
			$data['text']         = $consent['text'];
			$data['text_version'] = $consent['version'];
			$event                = Events::emit( $type, $data );
			if ( $event ) {
				$events[] = $event;
			}
		}
		return $events;
	}

	/**
	 * The contact's phone as E.164, or null.
	 *
	 * @param array $contact phone, country.
	 */
	private static function phone( array $contact ): ?string {
		$raw = isset( $contact['phone'] ) && is_string( $contact['phone'] ) ? $contact['phone'] : '';
		return Phone::to_e164( $raw, isset( $contact['country'] ) && is_string( $contact['country'] ) ? $contact['country'] : '' );
	}

	/**
	 * The contact's email when it is a valid one (lower-cased), or null.
	 *
	 * @param array $contact email.
	 */
	private static function email( array $contact ): ?string {
		$email = isset( $contact['email'] ) && is_string( $contact['email'] ) ? strtolower( trim( $contact['email'] ) ) : '';
		return '' !== $email && is_email( $email ) && strlen( $email ) <= 254 ? $email : null;
	}

	/** The WooCommerce session, when there is one. */
	private static function session() {
		return function_exists( 'WC' ) && WC()->session ? WC()->session : null;
	}
}
