<?php
/**
 * The Dashboard's proxy against a real sidecar: the summary, funnel, messages, timeline and rate
 * card read through the plugin, signed; only the whitelisted query parameters passed on; the
 * sidecar's 400 naming the parameter passed back (never a 5xx from bad input); manage_woocommerce
 * and the REST nonce; and the CSV downloads through admin-post.php — an attachment with the
 * sidecar's header row, refused without the nonce or the capability, and a readable error page
 * when the sidecar refuses the range.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/../support/class-rest-helpers.php';
require_once __DIR__ . '/trait-rest-sidecar-fixture.php';

use Cartback_Rest_Helpers as Rest;

/** Rest_Dashboard and Csv_Export. */
final class DashboardProxyTest extends Cartback_Test_Case {
	use Cartback_Rest_Sidecar_Fixture {
		setUp as fixture_set_up;
		tearDown as fixture_tear_down;
	}

	/** @var string[] The URLs the plugin asked the sidecar for. */
	private $asked = array();

	/** @var callable */
	private $spy;

	protected function setUp(): void {
		$this->fixture_set_up();
		$this->spy = function ( $pre, $args, $url ) {
			$this->asked[] = $url;
			return $pre;
		};
		add_filter( 'pre_http_request', $this->spy, 10, 3 );
	}

	protected function tearDown(): void {
		remove_filter( 'pre_http_request', $this->spy, 10 );
		// The test classes after this one find the plugin not connected, as it starts.
		delete_option( \Cartback\Settings::CONNECTION_OPTION );
		$this->fixture_tear_down();
	}

	/** A GET through the plugin's REST API, in process, with a query. */
	private function get( string $route, array $query = array() ): array {
		$request = new WP_REST_Request( 'GET', $route );
		$request->set_query_params( $query );
		$response = rest_do_request( $request );
		$data     = rest_get_server()->response_to_data( $response, false );
		return array(
			'status'  => $response->get_status(),
			'data'    => $data,
			'json'    => (string) wp_json_encode( $data ),
			'headers' => $response->get_headers(),
		);
	}

	public function test_the_summary_is_read_through_the_plugin_with_only_its_own_parameters(): void {
		Rest::become( 'admin' );
		self::$sidecar->connect_plugin();
		$reply = $this->get(
			'/cartback/v1/dashboard/summary',
			array(
				'from'    => '2026-11-01',
				'to'      => '2026-12-01',
				'period'  => 'week',
				'evil'    => '1',
				'_locale' => 'user',
			)
		);
		$this->assertSame( 200, $reply['status'], $reply['json'] );
		$this->assertSame( 'no-store', $reply['headers']['Cache-Control'] );
		$this->assertSame( 'week', $reply['data']['period'] );
		$this->assertSame( 0, $reply['data']['headline']['recovered_revenue'] );
		$this->assertSame( array(), $reply['data']['lanes'], 'a new store has no journeys' );
		$this->assertSame(
			array( self::$sidecar->url . '/v1/admin/dashboard/summary?from=2026-11-01&to=2026-12-01&period=week' ),
			$this->asked,
			'only from, to and period are passed on'
		);

		$this->asked = array();
		$messages    = $this->get( '/cartback/v1/dashboard/messages', array( 'limit' => '5', 'q' => 'x' ) );
		$this->assertSame( 200, $messages['status'], $messages['json'] );
		$this->assertSame( array( 'messages' => array(), 'next_before' => null ), $messages['data'] );
		$this->assertSame( array( self::$sidecar->url . '/v1/admin/dashboard/messages?limit=5' ), $this->asked );

		$funnel = $this->get( '/cartback/v1/dashboard/funnel', array( 'lane' => 'abandoned_cart' ) );
		$this->assertSame( 200, $funnel['status'], $funnel['json'] );
		$this->assertSame( 'abandoned_cart', $funnel['data']['lane'] );

		$card = $this->get( '/cartback/v1/rate-card' );
		$this->assertSame( 200, $card['status'], $card['json'] );
		$this->assertSame( 'default', $card['data']['source'] );
	}

	public function test_the_sidecars_400_comes_back_naming_the_parameter(): void {
		Rest::become( 'admin' );
		self::$sidecar->connect_plugin();
		$period = $this->get( '/cartback/v1/dashboard/summary', array( 'period' => 'year' ) );
		$this->assertSame( 400, $period['status'], $period['json'] );
		$this->assertSame( 'invalid_query', $period['data']['error']['code'] );
		$this->assertSame( 'period', $period['data']['error']['path'] );

		$q = $this->get( '/cartback/v1/contacts/timeline', array( 'q' => 'not a phone' ) );
		$this->assertSame( 400, $q['status'], $q['json'] );
		$this->assertSame( 'q', $q['data']['error']['path'] );

		$this->asked = array();
		$twice       = $this->get( '/cartback/v1/dashboard/summary', array( 'from' => array( 'a', 'b' ) ) );
		$this->assertSame( 400, $twice['status'], $twice['json'] );
		$this->assertSame( 'from', $twice['data']['error']['path'] );
		$this->assertSame( array(), $this->asked, 'refused before the sidecar is asked' );

		$found = $this->get( '/cartback/v1/contacts/timeline', array( 'q' => '+49 151 000000 01' ) );
		$this->assertSame( 200, $found['status'], $found['json'] );
		$this->assertSame( array( 'contacts' => array() ), $found['data'] );

		$bad_card = Rest::call( 'PUT', '/cartback/v1/rate-card', array( 'rates' => 'cheap' ) );
		$this->assertSame( 400, $bad_card['status'], $bad_card['json'] );
		$this->assertSame( 'invalid_rate_card', $bad_card['data']['error']['code'] );
	}

	public function test_not_connected_is_a_503_in_words_and_only_managers_may_read(): void {
		Rest::become( 'admin' );
		$reply = $this->get( '/cartback/v1/dashboard/summary' );
		$this->assertSame( 503, $reply['status'] );
		$this->assertSame( 'not_configured', $reply['data']['error']['code'] );

		self::$sidecar->connect_plugin();
		Rest::become( 'subscriber' );
		foreach ( array( '/dashboard/summary', '/dashboard/funnel', '/dashboard/messages', '/contacts/timeline', '/rate-card' ) as $route ) {
			$this->assertSame( 403, $this->get( '/cartback/v1' . $route )['status'], $route );
		}
		wp_set_current_user( 0 );
		$this->assertSame( 401, $this->get( '/cartback/v1/dashboard/summary' )['status'] );

		Cartback_Test_Site::serve();
		$session = Rest::browser_session( 'admin' );
		$url     = rest_url( 'cartback/v1/dashboard/summary' );
		$this->assertSame( 401, Rest::http( 'GET', $url, $session['cookies'] )['status'], 'no nonce: not signed in for the REST API' );
		$read = Rest::http( 'GET', $url, $session['cookies'], array( 'X-WP-Nonce' => $session['nonce'] ) );
		$this->assertSame( 200, $read['status'], $read['body'] );
	}

	public function test_the_messages_csv_downloads_as_an_attachment_with_its_header_row(): void {
		self::$sidecar->connect_plugin();
		Cartback_Test_Site::serve();
		$session = Rest::browser_session( 'admin', 'cartback_export' );
		$base    = admin_url( 'admin-post.php' ) . '?action=cartback_export&kind=messages';

		$csv = Rest::http( 'GET', $base . '&from=2026-11-01&to=2026-12-01&_wpnonce=' . $session['nonce'], $session['cookies'] );
		$this->assertSame( 200, $csv['status'], $csv['body'] );
		$this->assertStringStartsWith( 'text/csv', $csv['headers']['content-type'] );
		$this->assertSame( 'attachment; filename="cartback-messages.csv"', $csv['headers']['content-disposition'] );
		$this->assertStringStartsWith( 'message_id,created_at,lane,step,template,category,state,contact_id,phone,', $csv['body'] );

		$orders = Rest::http( 'GET', str_replace( 'kind=messages', 'kind=orders', $base ) . '&_wpnonce=' . $session['nonce'], $session['cookies'] );
		$this->assertSame( 200, $orders['status'], $orders['body'] );
		$this->assertStringStartsWith( 'order_id,kind,lane,step,message_id,', $orders['body'] );

		$refused = Rest::http( 'GET', $base . '&from=2026-12-01&to=2026-11-01&_wpnonce=' . $session['nonce'], $session['cookies'] );
		$this->assertSame( 400, $refused['status'] );
		$this->assertStringContainsString( 'The export was refused: from must be before to.', $refused['body'], 'a readable page, not a blank one' );

		$forged = Rest::http( 'GET', $base . '&_wpnonce=nope', $session['cookies'] );
		$this->assertSame( 403, $forged['status'] );
		$this->assertStringContainsString( 'The export link has expired', $forged['body'] );
		$this->assertStringNotContainsString( 'message_id', $forged['body'] );

		$subscriber = Rest::browser_session( 'subscriber', 'cartback_export' );
		$denied     = Rest::http( 'GET', $base . '&_wpnonce=' . $subscriber['nonce'], $subscriber['cookies'] );
		$this->assertSame( 403, $denied['status'] );
		$this->assertStringNotContainsString( 'message_id', $denied['body'] );
	}

	public function test_an_unreachable_sidecar_gives_a_readable_export_error(): void {
		\Cartback\Settings::save_connection( 'http://127.0.0.1:' . Cartback_Test_Site::free_port(), Cartback_Sidecar::SECRET );
		Cartback_Test_Site::serve();
		$session = Rest::browser_session( 'admin', 'cartback_export' );
		$reply   = Rest::http( 'GET', admin_url( 'admin-post.php' ) . '?action=cartback_export&kind=orders&_wpnonce=' . $session['nonce'], $session['cookies'] );
		$this->assertSame( 503, $reply['status'] );
		$this->assertStringContainsString( 'The sidecar could not be reached', $reply['body'] );
	}
}
