<?php
/**
 * What the restore tests share: a real sidecar for the class, and carts seeded in it as the
 * plugin reports them (signed events), each with a restore token.
 *
 * @package Cartback\Tests
 */

use Cartback\Settings;
use Cartback\Sidecar_Client;

/** For Cartback_Test_Case subclasses that restore carts. */
trait Restore_Test_Helpers {
	/** @var Cartback_Sidecar */
	private static $sidecar;
	/** @var mixed */
	private static $connection;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$connection = get_option( Settings::CONNECTION_OPTION );
		self::$sidecar    = ( new Cartback_Sidecar() )->start();
	}

	public static function tearDownAfterClass(): void {
		self::$sidecar->drop();
		update_option( Settings::CONNECTION_OPTION, self::$connection );
		parent::tearDownAfterClass();
	}

	/**
	 * Puts a cart and what was typed at its checkout in the sidecar (signed events, as the plugin
	 * sends them), the contact's consent if given, and a restore token for it, stored as the
	 * sidecar stores them (SHA-256 only; see links/store.ts).
	 *
	 * @param string $cart_key Cart key.
	 * @param array  $lines    [product id, quantity] pairs.
	 * @param array  $capture  checkout.contact_captured data over the default contact (a null drops a field).
	 * @param array  $consents 'granted' or 'withdrawn' decisions (both scopes), oldest first.
	 * @return string The token.
	 */
	private function seed_cart( string $cart_key, array $lines, array $capture = array(), array $consents = array() ): string {
		$now  = gmdate( 'Y-m-d\TH:i:s\Z' );
		$wire = array();
		foreach ( $lines as list( $id, $quantity ) ) {
			$product = wc_get_product( $id );
			$price   = (int) round( (float) $product->get_price() * 100 );
			$wire[]  = array(
				'product_id' => $id,
				'name'       => $product->get_name(),
				'quantity'   => $quantity,
				'unit_price' => $price,
				'line_total' => $price * $quantity,
				'url'        => $product->get_permalink(),
			);
		}
		$total  = array_sum( array_column( $wire, 'line_total' ) );
		$data   = array_filter(
			array_merge(
				array(
					'cart_key'   => $cart_key,
					'phone'      => '+919812345678',
					'email'      => 'anna@example.com',
					'first_name' => 'Anna',
					'country'    => 'IN',
				),
				$capture
			),
			static function ( $value ) {
				return null !== $value;
			}
		);
		$events = array(
			$this->event(
				'cart.updated',
				array(
					'cart_key'   => $cart_key,
					'session_id' => 's-' . $cart_key,
					'currency'   => 'INR',
					'totals'     => array( 'subtotal' => $total, 'tax' => 0, 'shipping' => 0, 'discount' => 0, 'total' => $total ),
					'lines'      => $wire,
					'locale'     => 'en_IN',
				),
				$now
			),
			$this->event( 'checkout.contact_captured', $data, $now ),
		);
		foreach ( array_values( $consents ) as $i => $decision ) {
			foreach ( array( 'marketing', 'utility' ) as $scope ) {
				$events[] = $this->event(
					'consent.' . $decision,
					array(
						'phone'        => $data['phone'],
						'scope'        => $scope,
						'source'       => 'checkout_block',
						'text'         => Settings::consent()['text'],
						'text_version' => 1,
					),
					gmdate( 'Y-m-d\TH:i:s\Z', time() - 60 * ( count( $consents ) - $i ) )
				);
			}
		}
		$answer = Sidecar_Client::request( 'POST', '/v1/events', array( 'events' => $events ) );
		$this->assertTrue( $answer['ok'], $answer['message'] );

		$contact = self::$sidecar->query( sprintf( "SELECT id, store_id FROM contacts WHERE phone = '%s'", $data['phone'] ) )[0];
		$token   = rtrim( strtr( base64_encode( random_bytes( 32 ) ), '+/', '-_' ), '=' );
		self::$sidecar->query(
			sprintf(
				"INSERT INTO restore_tokens (token_hash, store_id, cart_key, contact_id, code, created_at, expires_at) VALUES ('%s', %d, '%s', %d, NULL, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL 7 DAY)",
				hash( 'sha256', $token ),
				(int) $contact['store_id'],
				$cart_key,
				(int) $contact['id']
			)
		);
		return $token;
	}

	/**
	 * A browse (`product`) or win-back (`winback`) journey's link for the contact, as the sidecar
	 * keeps it (links/restore-offer.ts): an enrollment whose `offer` lists the products, its
	 * message, that message's link, and a restore token for the link.
	 *
	 * @param string $subject_kind `product` or `winback`.
	 * @param array  $products     [product id, name] pairs, as offered (the id need not exist any more).
	 * @return string The token.
	 */
	private function seed_offer( string $subject_kind, array $products ): string {
		$this->seed_cart( 'offer-' . bin2hex( random_bytes( 6 ) ), array( array( 501, 1 ) ) ); // The contact.
		$contact = self::$sidecar->query( "SELECT id, store_id FROM contacts WHERE phone = '+919812345678'" )[0];
		$offered = array();
		foreach ( $products as list( $id, $name ) ) {
			$product   = wc_get_product( $id );
			$offered[] = array(
				'product_id' => $id,
				'name'       => $name,
				'price'      => $product ? (int) round( (float) $product->get_price() * 100 ) : 1000,
				'image_url'  => null,
				'url'        => 'https://shop.example/?p=' . $id,
			);
		}
		$subject = ( 'product' === $subject_kind ? $contact['id'] . ':' : 'w' ) . bin2hex( random_bytes( 6 ) );
		$lane    = 'product' === $subject_kind ? 'browse_abandonment' : 'winback';
		$offer   = (string) wp_json_encode( array( 'currency' => 'INR', 'products' => $offered ) );
		return $this->seed_message_link( $contact, $lane, $subject_kind, $subject, 0, $offer )['token'];
	}

	/**
	 * A cart's link as its abandoned-cart message carries it: the cart (seed_cart), its journey,
	 * the message of `$step`, the message's link, and a restore token for the link.
	 *
	 * @param string $cart_key Cart key.
	 * @param array  $lines    [product id, quantity] pairs.
	 * @param int    $step     The message's step (0: the first).
	 * @return array{token: string, message_id: int}
	 */
	private function seed_cart_message( string $cart_key, array $lines, int $step = 0 ): array {
		$this->seed_cart( $cart_key, $lines );
		$contact = self::$sidecar->query( "SELECT id, store_id FROM contacts WHERE phone = '+919812345678'" )[0];
		return $this->seed_message_link( $contact, 'abandoned_cart', 'cart', $cart_key, $step, null );
	}

	/**
	 * A journey of `$lane` for the contact, its message of `$step`, that message's link and a
	 * restore token for it, as the sidecar keeps them (links/store.ts, links/restore-offer.ts).
	 *
	 * @param array       $contact      {id, store_id}.
	 * @param string      $lane         Lane.
	 * @param string      $subject_kind cart, product or winback.
	 * @param string      $subject      The subject's id (a cart key for a cart).
	 * @param int         $step         The message's step.
	 * @param string|null $offer        The enrollment's offer (JSON), or null.
	 * @return array{token: string, message_id: int}
	 */
	private function seed_message_link( array $contact, string $lane, string $subject_kind, string $subject, int $step, ?string $offer ): array {
		$store = (int) $contact['store_id'];
		$offer = null === $offer ? 'NULL' : "'" . addslashes( $offer ) . "'";
		self::$sidecar->query(
			"INSERT INTO enrollments (store_id, lane, contact_id, subject_kind, subject_id, episode_at, cell, state, anchor_at, next_step, next_due_at, offer, created_at, updated_at)
			VALUES ($store, '$lane', {$contact['id']}, '$subject_kind', '$subject', UTC_TIMESTAMP(3), 'treatment', 'completed', UTC_TIMESTAMP(3), 1, NULL, $offer, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))"
		);
		$enrollment = (int) self::$sidecar->query( "SELECT id FROM enrollments WHERE subject_id = '$subject' ORDER BY id DESC LIMIT 1" )[0]['id'];
		self::$sidecar->query(
			"INSERT INTO messages (store_id, enrollment_id, step, lane, category, contact_id, phone, state, due_at, template, language, payload, created_at, updated_at)
			VALUES ($store, $enrollment, $step, '$lane', 'marketing', {$contact['id']}, '+919812345678', 'sent', UTC_TIMESTAMP(3), 'x', 'en', '[]', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))"
		);
		$message = (int) self::$sidecar->query( "SELECT id FROM messages WHERE enrollment_id = $enrollment" )[0]['id'];
		$code    = substr( bin2hex( random_bytes( 8 ) ), 0, 12 );
		self::$sidecar->query(
			"INSERT INTO links (code, store_id, message_id, subject_kind, subject_id, contact_id, created_at, expires_at)
			VALUES ('$code', $store, $message, '$subject_kind', '$subject', {$contact['id']}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL 30 DAY)"
		);
		$token = rtrim( strtr( base64_encode( random_bytes( 32 ) ), '+/', '-_' ), '=' );
		self::$sidecar->query(
			sprintf(
				"INSERT INTO restore_tokens (token_hash, store_id, cart_key, subject_kind, contact_id, code, created_at, expires_at) VALUES ('%s', %d, '%s', '%s', %d, '%s', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL 7 DAY)",
				hash( 'sha256', $token ),
				$store,
				$subject,
				$subject_kind,
				(int) $contact['id'],
				$code
			)
		);
		return array(
			'token'      => $token,
			'message_id' => $message,
		);
	}

	/**
	 * An event as the plugin queues it.
	 *
	 * @param string $type        Type.
	 * @param array  $data        Data.
	 * @param string $occurred_at ISO 8601 UTC.
	 */
	private function event( string $type, array $data, string $occurred_at ): array {
		return array(
			'id'          => wp_generate_uuid4(),
			'type'        => $type,
			'occurred_at' => $occurred_at,
			'data'        => $data,
		);
	}
}
