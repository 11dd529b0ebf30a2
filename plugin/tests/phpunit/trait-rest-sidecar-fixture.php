<?php
/**
 * One real sidecar for a REST test class: started once, its lanes and the plugin's connection
 * and consent settings reset before each test.
 *
 * @package Cartback\Tests
 */

use Cartback\Settings;
use Cartback_Rest_Helpers as Rest;

/** The sidecar the admin screen's routes talk to. */
trait Cartback_Rest_Sidecar_Fixture {
	/** @var Cartback_Sidecar|null One sidecar for the class (its lanes are reset per test). */
	private static $sidecar;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$sidecar = ( new Cartback_Sidecar() )->start();
	}

	public static function tearDownAfterClass(): void {
		if ( self::$sidecar ) {
			self::$sidecar->drop();
			self::$sidecar = null;
		}
		parent::tearDownAfterClass();
	}

	protected function setUp(): void {
		parent::setUp();
		delete_option( Settings::CONNECTION_OPTION );
		delete_option( Settings::CONSENT_OPTION );
		self::$sidecar->query( 'DELETE FROM lane_settings' );
	}

	protected function tearDown(): void {
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/** The lane's settings as the sidecar holds them (a signed GET, straight to the sidecar). */
	private function sidecar_lane(): array {
		$headers = \Cartback\Signer::headers( Cartback_Sidecar::SECRET, 'GET', '/v1/admin/lanes/abandoned_cart', '' );
		$reply   = Rest::http( 'GET', self::$sidecar->url . '/v1/admin/lanes/abandoned_cart', array(), $headers );
		$this->assertSame( 200, $reply['status'], $reply['body'] );
		return $reply['data']['settings'];
	}
}
