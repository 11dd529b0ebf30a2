<?php
/**
 * WordPress's privacy tools for Cartback: a personal-data exporter and an eraser keyed by email
 * (this site's outbox, the customer's opt-in, the known-browser reference, and what the sidecar
 * holds), and suggested text for the privacy policy.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Exporter, eraser and privacy-policy text. */
final class Privacy {
	/** Hooks. */
	public static function register(): void {
		add_filter( 'wp_privacy_personal_data_exporters', array( self::class, 'register_exporter' ) );
		add_filter( 'wp_privacy_personal_data_erasers', array( self::class, 'register_eraser' ) );
		add_action( 'admin_init', array( self::class, 'add_policy_content' ) );
	}

	/**
	 * Adds the exporter.
	 *
	 * @param array $exporters Exporters by id.
	 * @return array
	 */
	public static function register_exporter( $exporters ) {
		$exporters['cartback'] = array(
			'exporter_friendly_name' => __( 'Cartback (WhatsApp cart recovery)', 'cartback' ),
			'callback'               => array( self::class, 'export' ),
		);
		return $exporters;
	}

	/**
	 * Adds the eraser.
	 *
	 * @param array $erasers Erasers by id.
	 * @return array
	 */
	public static function register_eraser( $erasers ) {
		$erasers['cartback'] = array(
			'eraser_friendly_name' => __( 'Cartback (WhatsApp cart recovery)', 'cartback' ),
			'callback'             => array( self::class, 'erase' ),
		);
		return $erasers;
	}

	/**
	 * Everything about the person, in one page: this site's queued events, their known-browser
	 * reference, then the sidecar's items as it sends them. When the sidecar cannot be reached,
	 * the local part is still exported.
	 *
	 * @param string $email Email address.
	 * @param int    $page  Page (1-based); everything comes on page 1.
	 * @return array{data: array, done: bool}
	 */
	public static function export( $email, $page = 1 ): array {
		if ( (int) $page > 1 ) {
			return array(
				'data' => array(),
				'done' => true,
			);
		}
		$found = Privacy_Outbox::find( (string) $email, self::account_phones( (string) $email ) );
		$items = array_map( array( Privacy_Outbox::class, 'export_item' ), $found['rows'] );
		foreach ( Known_Contacts::find( $found['phones'], (string) $email ) as $known ) {
			$items[] = array(
				'group_id'    => 'cartback-known-browser',
				'group_label' => __( 'Cartback known browser', 'cartback' ),
				'item_id'     => 'cartback-known-' . $known['ref'],
				'data'        => array(
					array(
						'name'  => __( 'Reference in the cartback_known cookie', 'cartback' ),
						'value' => $known['ref'],
					),
					array(
						'name'  => __( 'Since (UTC)', 'cartback' ),
						'value' => $known['created_at'],
					),
				),
			);
		}
		$reply = self::sidecar( '/v1/admin/privacy/export', (string) $email, $found['phones'] );
		if ( $reply['ok'] && is_array( $reply['body']['items'] ?? null ) ) {
			foreach ( $reply['body']['items'] as $item ) {
				$item = self::sidecar_item( $item );
				if ( $item ) {
					$items[] = $item;
				}
			}
		}
		return array(
			'data' => $items,
			'done' => true,
		);
	}

	/**
	 * Erases the person: this site's events about them first (so delivery cannot bring anything
	 * back), their saved opt-in, their known-browser reference (an old cookie then ties nothing to
	 * them), then everything the sidecar holds.
	 *
	 * @param string $email Email address.
	 * @param int    $page  Page (1-based); everything goes on page 1.
	 * @return array{items_removed: bool, items_retained: bool, messages: string[], done: bool}
	 */
	public static function erase( $email, $page = 1 ): array {
		$result = array(
			'items_removed'  => false,
			'items_retained' => false,
			'messages'       => array(),
			'done'           => true,
		);
		if ( (int) $page > 1 ) {
			return $result;
		}
		$email   = (string) $email;
		$found   = Privacy_Outbox::find( $email, self::account_phones( $email ) );
		$deleted = Privacy_Outbox::delete( wp_list_pluck( $found['rows'], 'id' ) );
		if ( $deleted > 0 ) {
			$result['items_removed'] = true;
			/* translators: %d: number of events. */
			$result['messages'][] = sprintf( _n( 'Cartback deleted %d event waiting on this site.', 'Cartback deleted %d events waiting on this site.', $deleted, 'cartback' ), $deleted );
		}
		$user = get_user_by( 'email', $email );
		foreach ( $user ? array( Consent_Recorder::USER_META, Consent::BLOCK_CUSTOMER_META ) : array() as $key ) {
			if ( metadata_exists( 'user', $user->ID, $key ) ) {
				delete_user_meta( $user->ID, $key );
				$result['items_removed'] = true;
				$result['messages'][]    = __( 'Cartback deleted the WhatsApp opt-in saved on the customer account.', 'cartback' );
			}
		}
		if ( Known_Contacts::forget( $found['phones'], $email ) > 0 ) {
			// Their known-browser reference is gone: a cookie still carrying it ties nothing to anyone.
			$result['items_removed'] = true;
			$result['messages'][]    = __( 'Cartback unlinked the browsers it recognised as this person’s: their cookie no longer identifies anyone.', 'cartback' );
		}
		$result['messages'] = array_values( array_unique( $result['messages'] ) );
		$reply = self::sidecar( '/v1/admin/privacy/erase', $email, $found['phones'] );
		if ( ! $reply['ok'] || ! is_array( $reply['body'] ) ) {
			$result['items_retained'] = true;
			/* translators: %s: why the sidecar could not be reached. */
			$result['messages'][] = sprintf( __( 'The Cartback server could not be reached, so the data it holds about this person is not erased yet (%s). Run the erasure again once it is back.', 'cartback' ), $reply['message'] );
			return $result;
		}
		$result['items_removed']  = $result['items_removed'] || ! empty( $reply['body']['items_removed'] );
		$result['items_retained'] = ! empty( $reply['body']['items_retained'] );
		foreach ( (array) ( $reply['body']['messages'] ?? array() ) as $message ) {
			if ( is_string( $message ) && '' !== $message ) {
				$result['messages'][] = $message;
			}
		}
		return $result;
	}

	/** Suggested privacy-policy text (Settings → Privacy). */
	public static function add_policy_content(): void {
		if ( function_exists( 'wp_add_privacy_policy_content' ) ) {
			wp_add_privacy_policy_content( __( 'Cartback (WhatsApp cart recovery)', 'cartback' ), wp_kses_post( self::policy_text() ) );
		}
	}

	/** The suggested text, as HTML. */
	public static function policy_text(): string {
		$paragraphs = array(
			__( 'If you tick the WhatsApp box at checkout or in your account, we may send you messages on WhatsApp about your cart and orders, and occasional offers. Ticking the box is optional; we only message you after you have ticked it.', 'cartback' ),
			__( 'What we collect: your name, phone number, email address and the billing and shipping addresses you type at checkout (as you type them, even if you do not complete your order, so that a link in our message can fill the checkout in again), the contents of your cart, the products you view, your orders, and your WhatsApp choice with the exact wording you agreed to and when.', 'cartback' ),
			__( 'Where it goes: this information is sent to our own Cartback server, which we run for this shop; it is not shared with other businesses. WhatsApp messages are delivered by WhatsApp (Meta Platforms) through our WhatsApp Business account, so WhatsApp receives your phone number and the messages we send you.', 'cartback' ),
			__( 'How long we keep it: events wait on this website only until our Cartback server has received them and are deleted 7 days later. Links in our messages expire after 7 days and never sign you in. The Cartback server keeps your data while we use it to help you with your carts and orders, or until you ask us to erase it.', 'cartback' ),
			__( 'Cookie: when you tick the WhatsApp box, or open a link from one of our WhatsApp messages, we put a cookie named cartback_known in your browser. It holds a random code, not your phone number, so that this shop recognises the browser as yours for up to a year and can remind you on WhatsApp about products you looked at. It is only set after you have opted in, only this shop reads it, and it is not used by or shared with anyone else (no advertising or social-media tracking). Unticking the WhatsApp box deletes it; if you ask us to erase your data, it stops identifying you.', 'cartback' ),
			__( 'How to stop: reply STOP to any of our WhatsApp messages, untick the WhatsApp box under My Account → Account details, or ask us to export or erase your data.', 'cartback' ),
		);
		return '<p>' . implode( '</p><p>', array_map( 'esc_html', $paragraphs ) ) . '</p>';
	}

	/**
	 * A sidecar export item, as WordPress expects it, or null when it is not one.
	 *
	 * @param mixed $item {group_id, group_label, item_id, data: [{name, value}]}.
	 */
	private static function sidecar_item( $item ): ?array {
		if ( ! is_array( $item ) || ! is_string( $item['group_id'] ?? null ) || ! is_string( $item['group_label'] ?? null ) || ! is_scalar( $item['item_id'] ?? null ) || ! is_array( $item['data'] ?? null ) ) {
			return null;
		}
		$data = array();
		foreach ( $item['data'] as $pair ) {
			if ( is_array( $pair ) && is_scalar( $pair['name'] ?? null ) && is_scalar( $pair['value'] ?? null ) ) {
				$data[] = array(
					'name'  => (string) $pair['name'],
					'value' => (string) $pair['value'],
				);
			}
		}
		return array(
			'group_id'    => $item['group_id'],
			'group_label' => $item['group_label'],
			'item_id'     => (string) $item['item_id'],
			'data'        => $data,
		);
	}

	/**
	 * Calls the sidecar's privacy route for the person: their email and, when one is known, a phone.
	 *
	 * @param string   $path   Route.
	 * @param string   $email  Email address.
	 * @param string[] $phones Their phones (E.164).
	 * @return array The client's answer.
	 */
	private static function sidecar( string $path, string $email, array $phones ): array {
		$body  = array();
		$email = strtolower( trim( $email ) );
		if ( is_email( $email ) ) {
			$body['email'] = $email;
		}
		if ( $phones ) {
			$body['phone'] = $phones[0];
		}
		if ( ! $body ) {
			return array(
				'ok'      => true,
				'status'  => 200,
				'body'    => array(),
				'code'    => '',
				'message' => '',
			);
		}
		$answer = Sidecar_Client::request( 'POST', $path, $body, 15 );
		if ( ! $answer['ok'] && 400 === $answer['status'] && isset( $body['email'], $body['phone'] ) ) {
			// A phone the sidecar does not take as valid: ask again by email alone.
			unset( $body['phone'] );
			$answer = Sidecar_Client::request( 'POST', $path, $body, 15 );
		}
		return $answer;
	}

	/**
	 * The billing phone on the account with this email, if any (E.164).
	 *
	 * @param string $email Email address.
	 * @return string[]
	 */
	private static function account_phones( string $email ): array {
		$user  = get_user_by( 'email', $email );
		$phone = $user ? Phone::to_e164( (string) get_user_meta( $user->ID, 'billing_phone', true ), (string) get_user_meta( $user->ID, 'billing_country', true ) ) : null;
		return null === $phone ? array() : array( $phone );
	}
}
