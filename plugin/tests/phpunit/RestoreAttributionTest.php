<?php
/**
 * Orders that come through a restore link, against a real sidecar: the redirect carries
 * utm_source=whatsapp, utm_medium=cartback and utm_campaign=<lane> (WooCommerce's Order
 * Attribution reads them), and the order placed from that session gets a note naming the message
 * and the message id in its meta — once; an order without a restore gets neither.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/trait-restore-helpers.php';

use Cartback\Restore;
use Cartback\Restore_Attribution;

/** UTM parameters and the order note of a restore. */
final class RestoreAttributionTest extends Cartback_Test_Case {
	use Restore_Test_Helpers;

	const BILLING = array(
		'billing_email'      => 'anna@example.com',
		'billing_phone'      => '098123 45678',
		'billing_country'    => 'IN',
		'billing_first_name' => 'Anna',
	);

	protected function setUp(): void {
		parent::setUp();
		self::$sidecar->connect_plugin();
		wc_test_double_product( array( 'id' => 501, 'name' => 'Blue Kurta', 'price' => '1299.00' ) );
		wc_test_double_product( array( 'id' => 502, 'name' => 'Silk Scarf', 'price' => '450.00' ) );
	}

	/** The query parameters of a URL. */
	private function query_of( string $url ): array {
		parse_str( (string) wp_parse_url( $url, PHP_URL_QUERY ), $query );
		return $query;
	}

	/** The order's notes' texts, read back as WooCommerce keeps them. */
	private function notes_of( int $order_id ): array {
		return array_map(
			static function ( $note ) {
				return $note->content;
			},
			wc_get_order_notes( array( 'order_id' => $order_id ) )
		);
	}

	public function test_the_restore_sends_the_shopper_on_with_the_lanes_utm_parameters(): void {
		$link = $this->seed_cart_message( 'cart-attr-1', array( array( 501, 1 ) ), 1 );

		$url = Restore::handle( $link['token'] );

		$this->assertSame(
			add_query_arg(
				array(
					'utm_source'   => 'whatsapp',
					'utm_medium'   => 'cartback',
					'utm_campaign' => 'abandoned_cart',
				),
				wc_get_checkout_url()
			),
			$url
		);
		$this->assertSame(
			array(
				'utm_source'   => 'whatsapp',
				'utm_medium'   => 'cartback',
				'utm_campaign' => 'abandoned_cart',
			),
			array_intersect_key( $this->query_of( $url ), array_flip( array( 'utm_source', 'utm_medium', 'utm_campaign' ) ) )
		);
		$this->assertSame( array( 501 ), array_values( wp_list_pluck( WC()->cart->get_cart(), 'product_id' ) ), 'the cart is restored as before' );
	}

	public function test_the_link_itself_redirects_with_the_utm_parameters_over_http(): void {
		$link = $this->seed_cart_message( 'cart-attr-2', array( array( 501, 1 ) ) );
		$site = Cartback_Test_Site::serve();

		$location = $this->location( $site . '/?cartback_restore=' . $link['token'] );

		$this->assertStringStartsWith( wc_get_checkout_url(), $location );
		$this->assertSame( 'whatsapp', $this->query_of( $location )['utm_source'] ?? null );
		$this->assertSame( 'cartback', $this->query_of( $location )['utm_medium'] ?? null );
		$this->assertSame( 'abandoned_cart', $this->query_of( $location )['utm_campaign'] ?? null );
	}

	public function test_the_order_placed_after_the_restore_gets_the_note_and_the_message_id_once(): void {
		$link = $this->seed_cart_message( 'cart-attr-3', array( array( 501, 2 ) ), 1 );
		Restore::handle( $link['token'] );

		$order = wc_test_double_checkout( 'classic', 'card', self::BILLING );
		// A resumed checkout fires the hook again for the same order: still one note.
		do_action( 'woocommerce_checkout_order_created', $order );

		$this->assertSame( array( 'Recovered by Cartback: abandoned cart, message 2' ), $this->notes_of( $order->get_id() ) );
		$this->assertSame( (string) $link['message_id'], wc_get_order( $order->get_id() )->get_meta( Restore_Attribution::META_MESSAGE_ID ) );

		// The restore is spent: the next order of the session is not the message's.
		WC()->cart->add_to_cart( 502, 1 );
		$next = wc_test_double_checkout( 'classic', 'card', self::BILLING );
		$this->assertSame( array(), $this->notes_of( $next->get_id() ) );
		$this->assertSame( '', wc_get_order( $next->get_id() )->get_meta( Restore_Attribution::META_MESSAGE_ID ) );
	}

	public function test_the_block_checkout_order_gets_the_note_too(): void {
		$link = $this->seed_cart_message( 'cart-attr-4', array( array( 501, 1 ) ) );
		Restore::handle( $link['token'] );

		$order = wc_test_double_checkout( 'store_api', 'card', self::BILLING );

		$this->assertSame( array( 'Recovered by Cartback: abandoned cart, message 1' ), $this->notes_of( $order->get_id() ) );
		$this->assertSame( (string) $link['message_id'], wc_get_order( $order->get_id() )->get_meta( Restore_Attribution::META_MESSAGE_ID ) );
	}

	public function test_an_order_without_a_restore_gets_no_note_and_no_meta(): void {
		WC()->cart->add_to_cart( 501, 1 );

		$order = wc_test_double_checkout( 'classic', 'card', self::BILLING );

		$this->assertSame( array(), $this->notes_of( $order->get_id() ) );
		$this->assertSame( '', wc_get_order( $order->get_id() )->get_meta( Restore_Attribution::META_MESSAGE_ID ) );
	}

	public function test_a_restore_whose_token_names_no_message_tags_nothing(): void {
		$token = $this->seed_cart( 'cart-attr-5', array( array( 501, 1 ) ) ); // A token minted without a link.

		$this->assertSame( wc_get_checkout_url(), Restore::handle( $token ) );

		$order = wc_test_double_checkout( 'classic', 'card', self::BILLING );
		$this->assertSame( array(), $this->notes_of( $order->get_id() ) );
	}

	/**
	 * Opens a URL without following redirects; returns the Location of its 302.
	 *
	 * @param string $url The URL.
	 */
	private function location( string $url ): string {
		$context = stream_context_create(
			array(
				'http' => array(
					'follow_location' => 0,
					'ignore_errors'   => true,
					'timeout'         => 20,
				),
			)
		);
		file_get_contents( $url, false, $context );
		$this->assertMatchesRegularExpression( '#^HTTP/\S+ 302#', $http_response_header[0] );
		foreach ( $http_response_header as $header ) {
			if ( 0 === stripos( $header, 'Location:' ) ) {
				return trim( substr( $header, 9 ) );
			}
		}
		return '';
	}
}
