<?php
/**
 * WordPress's privacy tools: Cartback's exporter and eraser (this site's outbox, the saved opt-in,
 * and the sidecar's own data through its signed privacy routes), and the suggested policy text.
 *
 * @package Cartback\Tests
 */

use Cartback\Consent_Recorder;
use Cartback\Events;
use Cartback\Privacy;
use Cartback\Settings;
use Cartback\Sidecar_Client;

/** Export and erasure. */
final class PrivacyTest extends Cartback_Test_Case {
	/** @var mixed */
	private $connection;

	protected function setUp(): void {
		parent::setUp();
		$this->connection = get_option( Settings::CONNECTION_OPTION );
		delete_option( Settings::CONNECTION_OPTION ); // Not connected unless a test says so.
	}

	protected function tearDown(): void {
		update_option( Settings::CONNECTION_OPTION, $this->connection );
		$user = get_user_by( 'login', 'shopper' );
		delete_user_meta( $user->ID, Consent_Recorder::USER_META );
		delete_user_meta( $user->ID, 'billing_phone' );
		parent::tearDown();
	}

	public function test_the_exporter_and_the_eraser_are_registered(): void {
		$exporters = apply_filters( 'wp_privacy_personal_data_exporters', array() );
		$erasers   = apply_filters( 'wp_privacy_personal_data_erasers', array() );
		$this->assertTrue( is_callable( $exporters['cartback']['callback'] ?? null ) );
		$this->assertNotEmpty( $exporters['cartback']['exporter_friendly_name'] );
		$this->assertTrue( is_callable( $erasers['cartback']['callback'] ?? null ) );
		$this->assertNotEmpty( $erasers['cartback']['eraser_friendly_name'] );
	}

	public function test_the_export_holds_the_outbox_events_naming_the_email_and_its_phones_even_without_the_sidecar(): void {
		$ids = $this->seed_outbox();

		$export = Privacy::export( 'Anna@Example.com', 1 );

		$this->assertTrue( $export['done'] );
		$this->assertSame( array( 'cartback-outbox' ), array_values( array_unique( array_column( $export['data'], 'group_id' ) ) ) );
		$this->assertSame(
			array_map(
				static function ( $id ) {
					return 'cartback-outbox-' . $id;
				},
				$ids['anna']
			),
			array_column( $export['data'], 'item_id' ),
			'her events, including the one that names only her phone; nobody else\'s'
		);
		$first = array_column( $export['data'][0]['data'], 'value', 'name' );
		$this->assertSame( 'checkout.contact_captured', $first['Event'] );
		$this->assertSame( '+919812345678', $first['Phone'] );
		$this->assertSame( 'anna@example.com', $first['Email'] );
		$this->assertSame( 'Not yet', $first['Sent to the Cartback server'] );
		$consent = array_column( $export['data'][1]['data'], 'value', 'name' );
		$this->assertSame( Settings::consent()['text'], $consent['Checkbox text'] );
		$this->assertSame( array( 'data' => array(), 'done' => true ), Privacy::export( 'anna@example.com', 2 ) );
	}

	public function test_the_erasure_deletes_her_outbox_rows_and_saved_opt_in_and_says_what_the_sidecar_could_not_do(): void {
		$ids  = $this->seed_outbox();
		$user = get_user_by( 'login', 'shopper' );
		update_user_meta( $user->ID, Consent_Recorder::USER_META, 'yes' );

		$anna = Privacy::erase( 'anna@example.com', 1 );

		$this->assertTrue( $anna['items_removed'] );
		$this->assertTrue( $anna['items_retained'], 'the sidecar could not be reached' );
		$this->assertTrue( $anna['done'] );
		$this->assertNotEmpty( preg_grep( '/could not be reached/', $anna['messages'] ) );
		$remaining = array_map( 'intval', $GLOBALS['wpdb']->get_col( 'SELECT id FROM ' . \Cartback\Outbox::table() . ' ORDER BY id' ) );
		$this->assertSame( $ids['others'], $remaining, 'only her rows are gone' );

		$shopper = Privacy::erase( 'shopper@example.com', 1 );
		$this->assertTrue( $shopper['items_removed'] );
		$this->assertFalse( metadata_exists( 'user', $user->ID, Consent_Recorder::USER_META ) );
	}

	public function test_export_and_erasure_go_through_the_sidecar_when_it_is_there(): void {
		$sidecar = ( new Cartback_Sidecar() )->start();
		try {
			$sidecar->connect_plugin();
			$now    = gmdate( 'Y-m-d\TH:i:s\Z' );
			$answer = Sidecar_Client::request(
				'POST',
				'/v1/events',
				array(
					'events' => array(
						array(
							'id'          => wp_generate_uuid4(),
							'type'        => 'consent.granted',
							'occurred_at' => $now,
							'data'        => array(
								'phone'        => '+919812345678',
								'email'        => 'anna@example.com',
								'scope'        => 'marketing',
								'source'       => 'checkout_block',
								'text'         => Settings::consent()['text'],
								'text_version' => Settings::consent()['version'],
							),
						),
					),
				)
			);
			$this->assertTrue( $answer['ok'], $answer['message'] );
			$this->seed_outbox();

			$export  = Privacy::export( 'anna@example.com', 1 );
			$remote  = array_values(
				array_filter(
					$export['data'],
					static function ( $item ) {
						return 'cartback-outbox' !== $item['group_id'];
					}
				)
			);
			$this->assertNotEmpty( $remote, 'the sidecar\'s items are in the export' );
			$values = array_merge( ...array_map( static function ( $item ) { return array_column( $item['data'], 'value' ); }, $remote ) );
			$this->assertContains( '+919812345678', $values );
			$this->assertNotEmpty( array_filter( $export['data'], static function ( $item ) { return 'cartback-outbox' === $item['group_id']; } ), 'and the local ones' );

			$erased = Privacy::erase( 'anna@example.com', 1 );
			$this->assertTrue( $erased['items_removed'] );
			$this->assertFalse( $erased['items_retained'] );
			$this->assertNotEmpty( preg_grep( '/^Cartback erased /', $erased['messages'] ), implode( ' | ', $erased['messages'] ) );
			$this->assertSame( array(), $sidecar->query( "SELECT id FROM contacts WHERE phone = '+919812345678'" ) );
			$this->assertSame( array(), Privacy::export( 'anna@example.com', 1 )['data'] );
		} finally {
			$sidecar->drop();
		}
	}

	public function test_the_suggested_policy_text_says_what_where_how_long_and_how_to_stop(): void {
		$text = Privacy::policy_text();
		foreach ( array( 'phone number', 'Cartback server', 'WhatsApp (Meta Platforms)', '7 days', 'reply STOP', 'My Account' ) as $needle ) {
			$this->assertStringContainsString( $needle, $text );
		}
		$this->assertSame( 10, has_action( 'admin_init', array( Privacy::class, 'add_policy_content' ) ) );

		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		require_once ABSPATH . 'wp-admin/includes/class-wp-privacy-policy-content.php';
		require_once ABSPATH . 'wp-admin/includes/class-wp-screen.php';
		require_once ABSPATH . 'wp-admin/includes/screen.php';
		$screen                    = $GLOBALS['current_screen'] ?? null;
		$GLOBALS['current_screen'] = WP_Screen::get( 'dashboard' ); // is_admin().
		global $wp_actions;
		$wp_actions['admin_init'] = ( $wp_actions['admin_init'] ?? 0 ) + 1; // As if admin_init had run.
		Privacy::add_policy_content();
		$GLOBALS['current_screen'] = $screen;
		$wp_actions['admin_init']--;

		$content = ( new ReflectionProperty( WP_Privacy_Policy_Content::class, 'policy_content' ) );
		$content->setAccessible( true );
		$this->assertContains( 'Cartback (WhatsApp cart recovery)', array_column( $content->getValue(), 'plugin_name' ) );
	}

	/**
	 * Queues events for Anna (by email, and one by her phone alone), for Hanna (whose email
	 * contains hers), and for someone else.
	 *
	 * @return array{anna: int[], others: int[]} Row ids.
	 */
	private function seed_outbox(): array {
		global $wpdb;
		$consent = Settings::consent();
		Events::emit( 'checkout.contact_captured', array( 'cart_key' => 'k1', 'phone' => '+919812345678', 'email' => 'anna@example.com', 'first_name' => 'Anna', 'country' => 'IN' ) );
		Events::emit( 'consent.granted', array( 'phone' => '+919812345678', 'email' => 'anna@example.com', 'scope' => 'marketing', 'source' => 'checkout_block', 'text' => $consent['text'], 'text_version' => $consent['version'] ) );
		Events::emit( 'checkout.contact_captured', array( 'cart_key' => 'k2', 'email' => 'hanna@example.com' ) );
		Events::emit( 'checkout.contact_captured', array( 'cart_key' => 'k3', 'phone' => '+919812345678' ) );
		Events::emit( 'checkout.contact_captured', array( 'cart_key' => 'k4', 'phone' => '+919876543210', 'email' => 'ravi@example.com' ) );
		Events::emit( 'cart.emptied', array( 'cart_key' => 'k1' ) );
		$ids = array_map( 'intval', $wpdb->get_col( 'SELECT id FROM ' . \Cartback\Outbox::table() . ' ORDER BY id' ) );
		return array(
			'anna'   => array( $ids[0], $ids[1], $ids[3] ),
			'others' => array( $ids[2], $ids[4], $ids[5] ),
		);
	}
}
