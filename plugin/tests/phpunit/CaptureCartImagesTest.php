<?php
/**
 * The cart snapshot's product images: only a JPEG or PNG goes (WhatsApp's image headers take
 * nothing else), and where the server can finish the response early they are looked up, and the
 * snapshot written, after the shopper has the page.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/trait-capture-helpers.php';

use Cartback\After_Response;
use Cartback\Urgent_Delivery;

/** Capture_Cart's images and After_Response against the WooCommerce double. */
final class CaptureCartImagesTest extends Cartback_Test_Case {
	use Capture_Test_Helpers;

	protected function setUp(): void {
		$this->end_previous_request();
		parent::setUp();
		$this->set_up_capture();
	}

	protected function tearDown(): void {
		$this->tear_down_capture();
		parent::tearDown();
	}

	public function test_where_the_server_can_finish_the_response_early_the_snapshot_is_completed_and_written_after_it(): void {
		$this->catalogue();
		add_filter( 'cartback_finish_response_early', '__return_true' );
		try {
			WC()->cart->add_to_cart( 42 );
			$this->end_request();
			$this->assertSame( array(), $this->queued(), 'the shopper does not wait for the INSERT' );
			$this->assertTrue( After_Response::pending() );
			$this->assertSame( After_Response::PRIORITY, has_action( 'shutdown', array( After_Response::class, 'run' ) ) );
			$this->assertGreaterThan( 20, After_Response::PRIORITY, 'after WooCommerce saves its session' );
			$this->assertLessThan( Urgent_Delivery::PRIORITY, After_Response::PRIORITY, 'before an urgent delivery sends the outbox' );

			After_Response::run(); // The rest of shutdown, once the response has gone.
			$this->assertSame( array( 'cart.updated' ), $this->queued_types() );
			$this->assertSame(
				array(
					'product_id' => 42,
					'sku'        => 'KURTA-M',
					'name'       => 'Handloom cotton kurta',
					'quantity'   => 1,
					'unit_price' => 129900,
					'line_total' => 129900,
					'image_url'  => 'https://shop.example/wp-content/uploads/kurta.jpg',
					'url'        => wc_get_product( 42 )->get_permalink(),
				),
				$this->queued()[0]['data']['lines'][0],
				'the image looked up after the response, in its place'
			);
			$this->assertValidCaptured( $this->queued() );
			$this->assertFalse( After_Response::pending() );
			$this->assertFalse( has_action( 'shutdown', array( After_Response::class, 'run' ) ) );
		} finally {
			remove_filter( 'cartback_finish_response_early', '__return_true' );
			After_Response::run();
		}
	}

	public function test_a_product_photo_whatsapp_cannot_show_is_left_out_so_the_sidecar_falls_back(): void {
		$this->product( 44, array( 'name' => 'Block-print dupatta', 'price' => '899.00', 'image_url' => 'https://shop.example/wp-content/uploads/dupatta-600x600.webp' ) );
		$this->product( 45, array( 'name' => 'Jute tote', 'price' => '349.00', 'image_url' => 'https://shop.example/wp-content/uploads/tote-600x600.PNG' ) );
		WC()->cart->add_to_cart( 44 );
		WC()->cart->add_to_cart( 45 );
		$this->end_request();
		$lines = $this->queued()[0]['data']['lines'];
		$this->assertArrayNotHasKey( 'image_url', $lines[0], 'a WebP photo: WhatsApp image headers take JPEG and PNG only' );
		$this->assertSame( 'https://shop.example/wp-content/uploads/tote-600x600.PNG', $lines[1]['image_url'] );
	}
}
