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

	/**
	 * A user with one role, or with one capability only.
	 *
	 * @param string $role_or_cap A role, or "cap:<capability>".
	 */
	private function user_who( string $role_or_cap ): WP_User {
		$login = 'staff_' . wp_generate_password( 8, false );
		$id    = wp_insert_user(
			array(
				'user_login' => $login,
				'user_pass'  => wp_generate_password(),
				'user_email' => $login . '@example.com',
				'role'       => 0 === strpos( $role_or_cap, 'cap:' ) ? 'subscriber' : $role_or_cap,
			)
		);
		$user = get_user_by( 'id', $id );
		if ( 0 === strpos( $role_or_cap, 'cap:' ) ) {
			$user->add_cap( substr( $role_or_cap, 4 ) );
		}
		return $user;
	}

	public function test_people_who_run_the_store_are_never_reported_as_customers(): void {
		$staff = array( 'administrator', 'editor', 'author', 'contributor', 'cap:manage_woocommerce', 'cap:view_admin_dashboard' );
		foreach ( $staff as $who ) {
			$user = $this->user_who( $who );
			WC()->reset_shopper( 0 );
			do_action( 'wp_login', $user->user_login, $user );
			$this->assertSame( array(), $this->queued( 'customer.identified' ), $who );
		}
		$shopper = $this->user_who( 'subscriber' );
		do_action( 'wp_login', $shopper->user_login, $shopper );
		$this->assertCount( 1, $this->queued( 'customer.identified' ), 'a shopper is' );
	}

	public function test_a_session_is_identified_with_a_customer_once(): void {
		$user = $this->customer( array( 'billing_phone' => '98123 45678', 'billing_country' => 'IN' ) );
		do_action( 'wp_login', $user->user_login, $user );
		do_action( 'wp_login', $user->user_login, $user ); // wp_login fired again for the same session.
		$this->assertCount( 1, $this->queued( 'customer.identified' ) );

		$other = $this->customer();
		do_action( 'wp_login', $other->user_login, $other ); // Another account signs in on the same browser.
		$this->assertCount( 2, $this->queued( 'customer.identified' ) );

		WC()->reset_shopper( 0 ); // A new session (WooCommerce ends the old one at logout).
		do_action( 'wp_login', $user->user_login, $user );
		$this->assertCount( 3, $this->queued( 'customer.identified' ) );
	}
}
