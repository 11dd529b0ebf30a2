<?php
/**
 * Store access: granting makes a WooCommerce REST API key exactly as WooCommerce does (owned by
 * the admin, listed under WooCommerce → Settings → Advanced → REST API) and hands it to the
 * sidecar signed; the key never reaches a browser or an option; a refused grant leaves no key;
 * revoking deletes it; a key deleted in WooCommerce is reported as revoked there; the first saved
 * connection grants it; only store managers may do any of it.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/../support/class-rest-helpers.php';
require_once __DIR__ . '/../support/class-fake-store-access-sidecar.php';

use Cartback\Store_Access;
use Cartback_Rest_Helpers as Rest;

/** Store_Access and its admin routes, against a fake sidecar. */
final class StoreAccessTest extends Cartback_Test_Case {
	/** @var Cartback_Fake_Store_Access_Sidecar */
	private $sidecar;

	/** @var string[] Every REST reply's JSON, to check none carries a key. */
	private $replies = array();

	protected function setUp(): void {
		global $wpdb;
		parent::setUp();
		$wpdb->query( 'TRUNCATE TABLE ' . Store_Access::table() );
		delete_option( Store_Access::OPTION );
		delete_option( \Cartback\Settings::CONNECTION_OPTION );
		$this->sidecar = new Cartback_Fake_Store_Access_Sidecar();
	}

	protected function tearDown(): void {
		$this->sidecar->remove();
		// Whatever a test sent, no browser saw a consumer key or secret.
		foreach ( $this->replies as $json ) {
			$this->assertDoesNotMatchRegularExpression( '/c[ks]_[0-9a-f]{8}/i', $json );
			if ( $this->sidecar->held ) {
				$this->assertStringNotContainsString( substr( $this->sidecar->held['consumer_secret'], 3 ), $json );
			}
		}
		wp_set_current_user( 0 );
		parent::tearDown();
	}

	/** A REST call, remembered for the tearDown check. */
	private function call( string $method, string $route, ?array $body = null ): array {
		$reply           = Rest::call( $method, $route, $body );
		$this->replies[] = $reply['json'];
		return $reply;
	}

	/** The key rows, as WooCommerce's REST API settings list them. */
	private function keys(): array {
		global $wpdb;
		return $wpdb->get_results( 'SELECT * FROM ' . Store_Access::table() . ' ORDER BY key_id', ARRAY_A );
	}

	public function test_granting_makes_a_woocommerce_key_owned_by_the_admin_and_hands_it_to_the_sidecar_signed(): void {
		global $wpdb;
		$admin = Rest::become( 'admin' );
		$this->sidecar->connect_plugin();

		$reply = $this->call( 'POST', '/cartback/v1/store-access/grant' );
		$this->assertSame( 200, $reply['status'], $reply['json'] );
		$this->assertSame( 'no-store', $reply['headers']['Cache-Control'] );

		$puts = $this->sidecar->calls_to_store_access( 'PUT' );
		$this->assertCount( 1, $puts );
		$this->assertTrue( $puts[0]['signed'], 'signed with the shared secret' );
		$sent = $puts[0]['body'];
		$this->assertSame( array( 'url', 'consumer_key', 'consumer_secret', 'key_id' ), array_keys( $sent ) );
		$this->assertSame( home_url(), $sent['url'] );
		$this->assertMatchesRegularExpression( '/^ck_[0-9a-f]{40}$/', $sent['consumer_key'] );
		$this->assertMatchesRegularExpression( '/^cs_[0-9a-f]{40}$/', $sent['consumer_secret'] );

		// The row WooCommerce's REST API authentication looks the key up by, and lists.
		$keys = $this->keys();
		$this->assertCount( 1, $keys );
		$key = $keys[0];
		$this->assertSame( $sent['key_id'], (int) $key['key_id'] );
		$this->assertSame( $admin, (int) $key['user_id'], 'owned by the admin who granted it' );
		$this->assertSame( 'Cartback (sidecar at ' . wp_parse_url( $this->sidecar->url, PHP_URL_HOST ) . ':' . wp_parse_url( $this->sidecar->url, PHP_URL_PORT ) . ')', $key['description'] );
		$this->assertSame( 'read_write', $key['permissions'] );
		$this->assertSame( hash_hmac( 'sha256', $sent['consumer_key'], 'wc-api' ), $key['consumer_key'], 'only the hash, as WooCommerce stores it' );
		$this->assertSame( $sent['consumer_secret'], $key['consumer_secret'] );
		$this->assertSame( substr( $sent['consumer_key'], -7 ), $key['truncated_key'] );
		$this->assertNull( $key['nonces'] );
		$this->assertNull( $key['last_access'] );

		$this->assertSame( 'granted', $reply['data']['state'] );
		$this->assertSame( $key['truncated_key'], $reply['data']['key_ending'] );
		$this->assertSame( array( 'key_id' => (int) $key['key_id'] ), get_option( Store_Access::OPTION ) );
		$stored = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->options} WHERE option_value LIKE %s OR option_value LIKE %s", '%' . $sent['consumer_key'] . '%', '%' . $sent['consumer_secret'] . '%' ) );
		$this->assertSame( 0, $stored, 'neither the key nor the secret is kept in an option' );

		$status = $this->call( 'GET', '/cartback/v1/store-access' );
		$this->assertSame( 200, $status['status'] );
		$this->assertSame( 'granted', $status['data']['state'] );
		$this->assertSame( $key['truncated_key'], $status['data']['key_ending'] );
		$this->assertNotSame( '', $status['data']['granted_at'] );
		$this->assertTrue( $this->sidecar->calls_to_store_access( 'GET' )[0]['signed'] );
	}

	public function test_granting_again_replaces_the_old_key_and_a_refused_grant_leaves_no_new_key(): void {
		Rest::become( 'admin' );
		$this->sidecar->connect_plugin();
		$this->assertSame( 200, $this->call( 'POST', '/cartback/v1/store-access/grant' )['status'] );
		$first = $this->sidecar->held;
		$this->assertSame( 200, $this->call( 'POST', '/cartback/v1/store-access/grant' )['status'] );
		$second = $this->sidecar->held;
		$this->assertNotSame( $first['consumer_key'], $second['consumer_key'] );
		$this->assertSame( array( (string) $second['key_id'] ), array_column( $this->keys(), 'key_id' ), 'the old key is deleted' );

		$this->sidecar->mode = 'refuse';
		$refused             = $this->call( 'POST', '/cartback/v1/store-access/grant' );
		$this->assertSame( 422, $refused['status'], $refused['json'] );
		$this->assertSame( 'store_unreachable', $refused['data']['error']['code'] );
		$this->assertStringContainsString( 'did not accept the key', $refused['data']['error']['message'], 'says why' );
		$this->assertStringContainsString( 'deleted again', $refused['data']['error']['message'] );
		$this->assertSame( array( (string) $second['key_id'] ), array_column( $this->keys(), 'key_id' ), 'no orphan key; the granted one stays' );
		$this->assertSame( $second['key_id'], Store_Access::key_id() );

		$this->sidecar->mode = 'down';
		$down                = $this->call( 'POST', '/cartback/v1/store-access/grant' );
		$this->assertSame( 503, $down['status'] );
		$this->assertSame( 'cartback_sidecar_unreachable', $down['data']['error']['code'] );
		$this->assertStringContainsString( 'could not be reached', $down['data']['error']['message'] );
		$this->assertCount( 1, $this->keys() );
	}

	public function test_a_grant_on_a_store_without_access_yet_that_is_refused_leaves_no_key_row_at_all(): void {
		Rest::become( 'admin' );
		$this->sidecar->connect_plugin();
		$this->sidecar->mode = 'refuse';
		$this->assertSame( 422, $this->call( 'POST', '/cartback/v1/store-access/grant' )['status'] );
		$this->assertSame( array(), $this->keys() );
		$this->assertSame( 0, Store_Access::key_id() );
		$this->assertSame( 'not_granted', $this->call( 'GET', '/cartback/v1/store-access' )['data']['state'] );
	}

	public function test_a_sidecar_without_store_access_yet_is_told_apart_and_leaves_no_key(): void {
		Rest::become( 'admin' );
		$this->sidecar->connect_plugin();
		$this->sidecar->mode = 'old';
		$grant               = $this->call( 'POST', '/cartback/v1/store-access/grant' );
		$this->assertSame( 404, $grant['status'] );
		$this->assertStringContainsString( 'does not offer store access yet', $grant['data']['error']['message'] );
		$this->assertSame( array(), $this->keys() );
		$status = $this->call( 'GET', '/cartback/v1/store-access' );
		$this->assertSame( 'unknown', $status['data']['state'] );
		$this->assertStringContainsString( 'does not offer store access yet', $status['data']['message'] );
	}

	public function test_revoking_deletes_the_key_and_tells_the_sidecar(): void {
		Rest::become( 'admin' );
		$this->sidecar->connect_plugin();
		$this->call( 'POST', '/cartback/v1/store-access/grant' );
		$this->assertCount( 1, $this->keys() );

		$revoked = $this->call( 'POST', '/cartback/v1/store-access/revoke' );
		$this->assertSame( 200, $revoked['status'], $revoked['json'] );
		$this->assertSame( 'not_granted', $revoked['data']['state'] );
		$this->assertSame( array(), $this->keys(), 'the key no longer works in WooCommerce' );
		$deletes = $this->sidecar->calls_to_store_access( 'DELETE' );
		$this->assertCount( 1, $deletes );
		$this->assertTrue( $deletes[0]['signed'] );
		$this->assertNull( $this->sidecar->held );
		$this->assertSame( 'not_granted', $this->call( 'GET', '/cartback/v1/store-access' )['data']['state'] );

		// A sidecar that is down cannot be told, but the key is deleted all the same.
		$this->call( 'POST', '/cartback/v1/store-access/grant' );
		$this->sidecar->mode = 'down';
		$down                = $this->call( 'POST', '/cartback/v1/store-access/revoke' );
		$this->assertSame( 503, $down['status'] );
		$this->assertStringContainsString( 'no longer works', $down['data']['error']['message'] );
		$this->assertSame( array(), $this->keys() );
	}

	public function test_a_sidecar_on_environment_credentials_is_reported_and_cannot_be_revoked_from_here(): void {
		Rest::become( 'admin' );
		$this->sidecar->connect_plugin();
		$this->sidecar->mode = 'environment';
		$status              = $this->call( 'GET', '/cartback/v1/store-access' );
		$this->assertSame( 'environment', $status['data']['state'] );
		$revoke = $this->call( 'POST', '/cartback/v1/store-access/revoke' );
		$this->assertSame( 409, $revoke['status'] );
		$this->assertSame( 'environment_credentials', $revoke['data']['error']['code'] );
		$this->assertStringContainsString( 'WOOCOMMERCE_CONSUMER_KEY', $revoke['data']['error']['message'] );
	}

	public function test_a_key_the_admin_deleted_in_woocommerce_shows_as_revoked_there(): void {
		global $wpdb;
		Rest::become( 'admin' );
		$this->sidecar->connect_plugin();
		$this->call( 'POST', '/cartback/v1/store-access/grant' );
		// WooCommerce → Settings → Advanced → REST API → Revoke deletes the row.
		$wpdb->delete( Store_Access::table(), array( 'key_id' => Store_Access::key_id() ) );

		$status = $this->call( 'GET', '/cartback/v1/store-access' );
		$this->assertSame( 'revoked_in_woocommerce', $status['data']['state'] );
		$this->assertSame( '', $status['data']['key_ending'] );

		// A key the sidecar holds that is not the one this store keeps is no key of this store's.
		$this->call( 'POST', '/cartback/v1/store-access/grant' );
		$this->assertSame( 'granted', $this->call( 'GET', '/cartback/v1/store-access' )['data']['state'] );
		$this->sidecar->held['consumer_key'] = 'ck_' . str_repeat( '0', 40 );
		$this->assertSame( 'revoked_in_woocommerce', $this->call( 'GET', '/cartback/v1/store-access' )['data']['state'] );

		$this->sidecar->mode = 'down';
		$unknown             = $this->call( 'GET', '/cartback/v1/store-access' );
		$this->assertSame( 200, $unknown['status'] );
		$this->assertSame( 'unknown', $unknown['data']['state'] );
		$this->assertStringContainsString( 'could not be reached', $unknown['data']['message'] );
	}

	public function test_the_first_saved_connection_grants_store_access_and_later_saves_leave_it_as_the_admin_left_it(): void {
		Rest::become( 'admin' );
		$form = array(
			'sidecar_url' => $this->sidecar->url,
			'secret'      => Cartback_Sidecar::SECRET,
		);

		$saved = $this->call( 'POST', '/cartback/v1/settings', $form );
		$this->assertSame( 200, $saved['status'], $saved['json'] );
		$this->assertTrue( $saved['data']['store_access']['granted'] );
		$this->assertCount( 1, $this->sidecar->calls_to_store_access( 'PUT' ) );
		$this->assertCount( 1, $this->keys() );
		$this->assertSame( substr( $this->sidecar->held['consumer_key'], -7 ), $saved['data']['store_access']['key_ending'] );

		$this->call( 'POST', '/cartback/v1/store-access/revoke' );
		$again = $this->call( 'POST', '/cartback/v1/settings', $form );
		$this->assertSame( 200, $again['status'] );
		$this->assertArrayNotHasKey( 'store_access', $again['data'], 'a revoked grant is not made again behind the admin\'s back' );
		$this->assertCount( 1, $this->sidecar->calls_to_store_access( 'PUT' ) );
		$this->assertSame( array(), $this->keys() );
	}

	public function test_a_first_connection_whose_grant_is_refused_is_saved_and_says_why(): void {
		Rest::become( 'admin' );
		$this->sidecar->mode = 'refuse';
		$saved               = $this->call(
			'POST',
			'/cartback/v1/settings',
			array(
				'sidecar_url' => $this->sidecar->url,
				'secret'      => Cartback_Sidecar::SECRET,
			)
		);
		$this->assertSame( 200, $saved['status'] );
		$this->assertSame( $this->sidecar->url, $saved['data']['sidecar_url'], 'the connection is saved' );
		$this->assertFalse( $saved['data']['store_access']['granted'] );
		$this->assertStringContainsString( 'did not accept the key', $saved['data']['store_access']['message'] );
		$this->assertSame( array(), $this->keys() );
	}

	public function test_store_access_needs_manage_woocommerce_and_over_http_the_rest_nonce(): void {
		$this->sidecar->connect_plugin();
		Rest::become( 'subscriber' );
		foreach ( array( array( 'GET', '' ), array( 'POST', '/grant' ), array( 'POST', '/revoke' ) ) as list( $method, $route ) ) {
			$this->assertSame( 403, $this->call( $method, '/cartback/v1/store-access' . $route )['status'], $route );
		}
		wp_set_current_user( 0 );
		$this->assertSame( 401, $this->call( 'POST', '/cartback/v1/store-access/grant' )['status'] );
		$this->assertSame( array(), $this->sidecar->calls, 'the sidecar was not asked' );
		$this->assertSame( array(), $this->keys() );

		Cartback_Test_Site::serve();
		$session = Rest::browser_session( 'admin' );
		$forged  = Rest::http( 'POST', rest_url( 'cartback/v1/store-access/grant' ), $session['cookies'] );
		$this->assertSame( 401, $forged['status'], 'a cross-site POST without the nonce makes no key' );
		$this->assertSame( array(), $this->keys() );
	}
}
