<?php
/**
 * Signing in through wp-login.php over real HTTP (php -S): a shopper's sign-in is reported once,
 * and the pages and REST calls their cookie authenticates afterwards report nothing more; an
 * admin's sign-in and visit report nothing at all.
 *
 * @package Cartback\Tests
 */

/** customer.identified from real sign-ins. */
final class SignInTest extends Cartback_Test_Case {
	/** @var array<string, string> The browser's cookies. */
	private $cookies = array();

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		Cartback_Test_Site::serve();
	}

	protected function setUp(): void {
		parent::setUp();
		$this->cookies = array( 'wordpress_test_cookie' => 'WP Cookie check' ); // wp-login.php's own cookie check.
	}

	/**
	 * One browser request; cookies kept.
	 *
	 * @param string     $method HTTP method.
	 * @param string     $url    URL.
	 * @param array|null $form   Form fields to post.
	 * @param array      $headers More headers.
	 */
	private function browse( string $method, string $url, ?array $form = null, array $headers = array() ): int {
		$pairs = array();
		foreach ( $this->cookies as $name => $value ) {
			$pairs[] = $name . '=' . rawurlencode( $value );
		}
		$response = wp_remote_request(
			$url,
			array(
				'method'      => $method,
				'headers'     => $headers + array( 'Cookie' => implode( '; ', $pairs ) ),
				'body'        => $form,
				'timeout'     => 30,
				'redirection' => 0,
			)
		);
		$this->assertFalse( is_wp_error( $response ), is_wp_error( $response ) ? $response->get_error_message() : '' );
		foreach ( wp_remote_retrieve_cookies( $response ) as $cookie ) {
			$this->cookies[ $cookie->name ] = $cookie->value;
		}
		return (int) wp_remote_retrieve_response_code( $response );
	}

	/**
	 * Signs in on wp-login.php as a browser does.
	 *
	 * @param string $login    User.
	 * @param string $password Password.
	 */
	private function sign_in( string $login, string $password ): void {
		$status = $this->browse(
			'POST',
			site_url( 'wp-login.php' ),
			array(
				'log'        => $login,
				'pwd'        => $password,
				'wp-submit'  => 'Log In',
				'testcookie' => '1',
			)
		);
		$this->assertSame( 302, $status, 'signed in and sent on' );
		$this->assertNotEmpty( preg_grep( '/^wordpress_logged_in_/', array_keys( $this->cookies ) ) );
	}

	/** Pages and REST calls a signed-in visitor makes. */
	private function look_around(): void {
		$this->assertSame( 200, $this->browse( 'GET', home_url( '/' ) ) );
		$this->assertSame( 200, $this->browse( 'GET', home_url( '/?add-to-cart=42' ) ) );
		$this->assertSame( 200, $this->browse( 'GET', admin_url( 'profile.php' ) ) );
		$this->assertSame( 200, $this->browse( 'GET', rest_url( 'wp/v2/types/post' ) ) );
	}

	public function test_a_shopper_s_sign_in_is_reported_once_and_what_they_do_next_reports_nothing_more(): void {
		$this->sign_in( 'shopper', 'shopper-password' );
		$events = $this->queued( 'customer.identified' );
		$this->assertCount( 1, $events );
		$this->assertSame( get_user_by( 'login', 'shopper' )->ID, $events[0]['data']['customer_id'] );
		$this->assertValidEvents( $events );

		$this->look_around();
		$this->assertCount( 1, $this->queued( 'customer.identified' ), 'cookie-authenticated requests are no sign-in' );
	}

	public function test_an_admin_s_sign_in_and_visit_report_no_customer(): void {
		$this->sign_in( 'admin', 'admin-password' );
		$this->look_around();
		$this->assertSame( 200, $this->browse( 'GET', admin_url( 'admin.php?page=cartback' ) ) );
		$this->assertSame( array(), $this->queued( 'customer.identified' ) );
	}
}
