<?php
/**
 * Login capture: customer.identified ties the session the shopper browsed with to the customer.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/trait-capture-helpers.php';

use Cartback\Events;

/** Capture_Customer. */
final class CaptureCustomerTest extends Cartback_Test_Case {
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

	public function test_logging_in_identifies_the_session_with_the_customer_s_email_and_phone(): void {
		$this->catalogue();
		WC()->cart->add_to_cart( 42 ); // Browsing anonymously.
		$this->end_request();
		$user = $this->customer( array( 'billing_phone' => '98123 45678', 'billing_country' => 'IN' ) );

		do_action( 'wp_login', $user->user_login, $user ); // As wp_signon() fires it.

		$events = $this->queued( 'customer.identified' );
		$this->assertCount( 1, $events );
		$this->assertValidCaptured( $events );
		$this->assertSame(
			array(
				'session_id'  => $this->queued( 'cart.updated' )[0]['data']['session_id'],
				'customer_id' => $user->ID,
				'phone'       => '+919812345678',
				'email'       => $user->user_email,
			),
			$events[0]['data']
		);
	}

	public function test_a_customer_without_a_billing_phone_is_identified_by_email(): void {
		$user = $this->customer();
		do_action( 'wp_login', $user->user_login, $user );
		$events = $this->queued( 'customer.identified' );
		$this->assertCount( 1, $events );
		$this->assertArrayNotHasKey( 'phone', $events[0]['data'] );
		$this->assertSame( $user->user_email, $events[0]['data']['email'] );
		$this->assertValidCaptured( $events );
	}

	public function test_nothing_is_captured_while_capture_is_switched_off(): void {
		$user = $this->customer( array( 'billing_phone' => '+44 7700 900123' ) );
		Events::without_capture(
			static function () use ( $user ) {
				do_action( 'wp_login', $user->user_login, $user );
			}
		);
		$this->assertSame( array(), $this->queued() );
	}
}
