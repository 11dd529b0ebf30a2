<?php
/**
 * The monitors in wp-admin against a fake sidecar answering in process (pre_http_request): the
 * 5-minute poll caches what is paused (the notice then reads only the cache, never the
 * sidecar), the notice shows why with a link to Resume, the store admin is mailed once per
 * firing however often the poll runs, Resume through the proxy clears the notice at once, and
 * the weekly summary mails the week's figures.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/../support/class-rest-helpers.php';

use Cartback\Monitor_Notice;
use Cartback\Monitor_Watch;
use Cartback\Settings;
use Cartback\Weekly_Summary;
use Cartback_Rest_Helpers as Rest;

/** Monitor_Watch, Monitor_Notice, Rest_Monitors, Weekly_Summary. */
final class MonitorsTest extends Cartback_Test_Case {
	/** @var string */
	private $url;

	/** @var array<int, array> The sidecar's firings, newest first. */
	private $events = array();

	/** @var array<int, string> Paths the sidecar was asked for. */
	private $asked = array();

	/** @var array<int, array{to: string, subject: string, message: string}> */
	private $mails = array();

	/** @var callable */
	private $http;

	/** @var callable */
	private $mail;

	protected function setUp(): void {
		parent::setUp();
		delete_option( Monitor_Watch::MAILED_OPTION );
		delete_transient( Monitor_Watch::TRANSIENT );
		$this->url  = 'http://127.0.0.1:' . Cartback_Test_Site::free_port();
		$this->http = function ( $pre, $args, $url ) {
			return 0 === strpos( $url, $this->url . '/' ) ? $this->answer( $args, substr( $url, strlen( $this->url ) ) ) : $pre;
		};
		$this->mail = function ( $pre, $atts ) {
			$this->mails[] = array(
				'to'      => (string) $atts['to'],
				'subject' => (string) $atts['subject'],
				'message' => (string) $atts['message'],
			);
			return true;
		};
		add_filter( 'pre_http_request', $this->http, 10, 3 );
		add_filter( 'pre_wp_mail', $this->mail, 10, 2 );
		Settings::save_connection( $this->url, Cartback_Sidecar::SECRET );
	}

	protected function tearDown(): void {
		remove_filter( 'pre_http_request', $this->http, 10 );
		remove_filter( 'pre_wp_mail', $this->mail, 10 );
		delete_option( Settings::CONNECTION_OPTION );
		delete_option( Monitor_Watch::MAILED_OPTION );
		delete_transient( Monitor_Watch::TRANSIENT );
		parent::tearDown();
	}

	/** The sidecar's side of the monitors' routes. */
	private function answer( array $args, string $path ) {
		$method        = strtoupper( $args['method'] ?? 'GET' );
		$this->asked[] = "$method $path";
		$open          = array_values(
			array_filter(
				$this->events,
				static function ( $e ) {
					return $e['active'];
				}
			)
		);
		$paused        = array_values( array_unique( array_column( $open, 'target' ) ) );
		if ( 'GET /v1/admin/monitors' === "$method $path" ) {
			return $this->reply( 200, array( 'paused' => $paused, 'active' => $open, 'recent' => $this->events, 'thresholds' => array() ) );
		}
		if ( 'POST /v1/admin/monitors/resume' === "$method $path" ) {
			$target = json_decode( (string) $args['body'], true )['target'] ?? '';
			foreach ( $this->events as &$event ) {
				if ( $event['target'] === $target ) {
					$event['active'] = false;
				}
			}
			unset( $event );
			return $this->reply( 200, array( 'resumed' => $target, 'paused' => array_values( array_diff( $paused, array( $target ) ) ) ) );
		}
		if ( 'GET /v1/admin/summary/weekly' === "$method $path" ) {
			return $this->reply(
				200,
				array(
					'recovered'       => array(
						array(
							'currency' => 'INR',
							'orders'   => 3,
							'amount'   => 459900,
						),
					),
					'sent'            => 120,
					'opt_outs'        => 2,
					'monitor_firings' => 1,
					'incremental'     => null,
				)
			);
		}
		return new WP_Error( 'http_request_failed', 'cURL error 7: Failed to connect' );
	}

	private function reply( int $status, array $body ): array {
		return array(
			'headers'  => array( 'content-type' => 'application/json' ),
			'body'     => wp_json_encode( $body ),
			'response' => array(
				'code'    => $status,
				'message' => '',
			),
			'cookies'  => array(),
			'filename' => null,
		);
	}

	private function fire( int $id, string $target, string $detail ): void {
		array_unshift(
			$this->events,
			array(
				'id'       => $id,
				'monitor'  => 'opt_out_rate',
				'target'   => $target,
				'detail'   => $detail,
				'fired_at' => gmdate( 'c' ),
				'active'   => true,
			)
		);
	}

	private function notice(): string {
		ob_start();
		Monitor_Notice::render();
		return (string) ob_get_clean();
	}

	public function test_a_firing_shows_a_notice_from_the_cache_and_mails_the_admin_once(): void {
		Rest::become( 'admin' );
		$this->assertSame( '', $this->notice(), 'nothing paused, nothing shown' );

		$this->fire( 7, 'abandoned_cart', '8 opt-outs over the last 200 sends (4%; the limit is 2%).' );
		$this->assertTrue( Monitor_Watch::poll() );
		$this->asked = array();
		$html        = $this->notice();
		$this->assertStringContainsString( 'id="cartback-monitor-notice"', $html );
		$this->assertStringContainsString( 'The abandoned_cart messages are paused: 8 opt-outs over the last 200 sends', $html );
		$this->assertStringContainsString( 'page=cartback', $html );
		$this->assertSame( array(), $this->asked, 'the notice never calls the sidecar' );

		$this->assertCount( 1, $this->mails );
		$this->assertSame( get_option( 'admin_email' ), $this->mails[0]['to'] );
		$this->assertStringContainsString( 'abandoned_cart', $this->mails[0]['subject'] );
		$this->assertStringContainsString( '8 opt-outs', $this->mails[0]['message'] );

		// The next polls see the same firing: no second email.
		Monitor_Watch::poll();
		Monitor_Watch::poll();
		$this->assertCount( 1, $this->mails );

		// A new firing is mailed.
		$this->fire( 8, 'all', "WhatsApp reports the number's quality as FLAGGED." );
		Monitor_Watch::poll();
		$this->assertCount( 2, $this->mails );
		$this->assertStringContainsString( 'all WhatsApp sending', $this->mails[1]['subject'] );
	}

	public function test_the_notice_is_for_shop_managers_only(): void {
		$this->fire( 3, 'winback', 'x' );
		Monitor_Watch::poll();
		Rest::become( 'subscriber' );
		$this->assertSame( '', $this->notice() );
	}

	public function test_resume_through_the_proxy_clears_the_notice_at_once_and_names_who(): void {
		Rest::become( 'admin' );
		$this->fire( 11, 'abandoned_cart', 'Read rate 40% of 300 delivered.' );
		Monitor_Watch::poll();
		$this->assertNotSame( '', $this->notice() );

		$reply = Rest::call( 'POST', '/cartback/v1/monitors/resume', array( 'target' => 'abandoned_cart' ) );
		$this->assertSame( 200, $reply['status'], $reply['json'] );
		$this->assertSame( array(), $reply['data']['paused'] );
		$this->assertSame( '', $this->notice() );

		Rest::become( 'subscriber' );
		$this->assertSame( 403, Rest::call( 'POST', '/cartback/v1/monitors/resume', array( 'target' => 'all' ) )['status'] );
	}

	public function test_the_first_poll_mails_only_what_is_still_paused(): void {
		$this->fire( 1, 'winback', 'old' );
		$this->events[0]['active'] = false;
		$this->fire( 2, 'abandoned_cart', 'current' );
		Monitor_Watch::poll();
		$this->assertSame( array( 'current' ), array_map( static fn( $m ) => substr( $m['message'], strpos( $m['message'], "\n\n" ) + 2, 7 ), $this->mails ) );
	}

	public function test_the_weekly_summary_mails_recovered_revenue_and_opt_outs(): void {
		$this->assertTrue( Weekly_Summary::send() );
		$this->assertCount( 1, $this->mails );
		$body = $this->mails[0]['message'];
		$this->assertStringContainsString( 'Recovered: 4,599.00 INR from 3 orders.', $body );
		$this->assertStringContainsString( 'Opt-outs: 2.', $body );
		$this->assertStringContainsString( 'not measured yet', $body );
	}
}
