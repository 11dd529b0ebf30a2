<?php
/**
 * store.updated: the store's name, URLs, time zone, currency, locale, placeholder image and
 * versions, queued on activation and whenever one of them changes — once per change, never for
 * an unrelated setting, and never by a storefront request that changed nothing.
 *
 * @package Cartback\Tests
 */

require_once __DIR__ . '/../support/class-rest-helpers.php';

use Cartback\Installer;
use Cartback\Store_Profile;

/** Store_Profile. */
final class StoreProfileTest extends Cartback_Test_Case {
	/** @var array<string, mixed> Options this test changes, as they were. */
	private $saved = array();

	protected function setUp(): void {
		parent::setUp();
		foreach ( array( 'blogname', 'timezone_string', 'gmt_offset', 'woocommerce_currency', 'woocommerce_placeholder_image', 'WPLANG', 'blogdescription', Store_Profile::WC_RECOVERY_FEATURE, Store_Profile::WC_RECOVERY_EMAIL, Store_Profile::WC_FAILED_ORDER_EMAIL ) as $option ) {
			$this->saved[ $option ] = get_option( $option, null );
		}
		update_option( 'timezone_string', 'Asia/Kolkata' );
		update_option( 'woocommerce_currency', 'INR' );
		delete_option( Store_Profile::WC_FAILED_ORDER_EMAIL ); // As on a new store: the email is on.
		Store_Profile::flush();
		Store_Profile::queue( false );
		$this->clear_outbox();
	}

	protected function tearDown(): void {
		foreach ( $this->saved as $option => $value ) {
			null === $value ? delete_option( $option ) : update_option( $option, $value );
		}
		Store_Profile::flush();
		WC()->version = '10.3.0-test-double';
		parent::tearDown();
	}

	public function test_woocommerces_own_pending_order_email_is_reported_as_woocommerce_sets_it(): void {
		// WooCommerce 10.9+/11: the email exists only while its experimental feature is on, is sent
		// unless its own "enabled" setting is off (it defaults to on), and goes by itself only when
		// its "automated" setting is on (it defaults to off: then only the admin sends it, by hand).
		update_option( Store_Profile::WC_RECOVERY_FEATURE, 'yes' );
		Store_Profile::flush();
		$this->assertSame( array(), $this->profiles(), 'not automated: WooCommerce reminds nobody by itself, nothing changed' );
		$this->assertFalse( Store_Profile::data()['wc_pending_order_email'] );

		$this->clear_outbox();
		update_option(
			Store_Profile::WC_RECOVERY_EMAIL,
			array(
				'enabled'   => 'yes',
				'automated' => 'yes',
			)
		);
		Store_Profile::flush();
		$on = $this->profiles();
		$this->assertCount( 1, $on );
		$this->assertTrue( $on[0]['data']['wc_pending_order_email'] );
		$this->assertValidEvents( $on );

		$this->clear_outbox();
		update_option(
			Store_Profile::WC_RECOVERY_EMAIL,
			array(
				'enabled'   => 'no',
				'automated' => 'yes',
			)
		);
		Store_Profile::flush();
		$this->assertFalse( $this->profiles()[0]['data']['wc_pending_order_email'] );

		$this->clear_outbox();
		update_option( Store_Profile::WC_RECOVERY_EMAIL, array( 'automated' => 'yes' ) );
		Store_Profile::flush();
		$this->assertTrue( $this->profiles()[0]['data']['wc_pending_order_email'], 'enabled defaults to yes' );

		// The feature switched off takes the email with it.
		$this->clear_outbox();
		update_option( Store_Profile::WC_RECOVERY_FEATURE, 'no' );
		Store_Profile::flush();
		$this->assertFalse( $this->profiles()[0]['data']['wc_pending_order_email'] );
	}

	public function test_woocommerces_own_failed_order_email_is_reported_on_until_the_admin_switches_it_off(): void {
		// WooCommerce's customer "Failed order" email (id customer_failed_order) is on by default:
		// its settings option does not even exist until the admin saves the email's settings.
		$this->assertFalse( get_option( Store_Profile::WC_FAILED_ORDER_EMAIL ) );
		$this->assertTrue( Store_Profile::data()['wc_failed_order_email'] );

		// As WooCommerce → Settings → Emails → Failed order stores it when the box is unticked.
		update_option(
			Store_Profile::WC_FAILED_ORDER_EMAIL,
			array(
				'enabled'    => 'no',
				'subject'    => '',
				'email_type' => 'html',
			)
		);
		Store_Profile::flush();
		$off = $this->profiles();
		$this->assertCount( 1, $off );
		$this->assertFalse( $off[0]['data']['wc_failed_order_email'] );
		$this->assertValidEvents( $off );

		$this->clear_outbox();
		update_option( Store_Profile::WC_FAILED_ORDER_EMAIL, array( 'enabled' => 'yes' ) );
		Store_Profile::flush();
		$this->assertTrue( $this->profiles()[0]['data']['wc_failed_order_email'] );

		// Another setting of that email changed: the profile did not, nothing is sent.
		$this->clear_outbox();
		update_option(
			Store_Profile::WC_FAILED_ORDER_EMAIL,
			array(
				'enabled' => 'yes',
				'subject' => 'Your order failed',
			)
		);
		Store_Profile::flush();
		$this->assertSame( array(), $this->profiles() );
	}

	private function clear_outbox(): void {
		global $wpdb;
		$wpdb->query( 'TRUNCATE TABLE ' . \Cartback\Outbox::table() );
	}

	/** The store.updated events queued so far. */
	private function profiles(): array {
		return $this->queued( 'store.updated' );
	}

	public function test_the_profile_says_what_the_sidecar_needs_in_the_shape_of_the_shared_schema(): void {
		update_option( 'blogname', 'Helivex &amp; Sons <b>Handlooms</b>' ); // As the General settings screen stores "&".
		update_option( 'woocommerce_placeholder_image', '/wp-content/uploads/woocommerce-placeholder.png' );
		Store_Profile::flush();

		$events = $this->profiles();
		$this->assertCount( 1, $events );
		$this->assertValidEvents( $events );
		$this->assertMatchesFixtureShape( $events[0] );
		$data = $events[0]['data'];
		$this->assertSame( 'Helivex & Sons Handlooms', $data['name'] );
		$this->assertSame( untrailingslashit( home_url() ), $data['url'] );
		$this->assertSame( untrailingslashit( rest_url( 'cartback/v1' ) ), $data['api_url'] );
		$this->assertStringEndsWith( 'cartback/v1', $data['api_url'], 'the sidecar appends /sidecar/deliver' );
		$this->assertSame( 'Asia/Kolkata', $data['time_zone'] );
		$this->assertSame( 'INR', $data['currency'] );
		$this->assertSame( get_locale(), $data['locale'] );
		$this->assertSame( untrailingslashit( home_url() ) . '/wp-content/uploads/woocommerce-placeholder.png', $data['placeholder_image_url'], 'made absolute' );
		$this->assertSame( array( 'wordpress' => get_bloginfo( 'version' ), 'woocommerce' => WC()->version, 'plugin' => CARTBACK_VERSION, 'php' => PHP_VERSION ), $data['versions'] );
		$this->assertFalse( $data['wc_pending_order_email'] );
		$this->assertTrue( $data['wc_failed_order_email'], 'WooCommerce\'s failed-order email is on until switched off' );
	}

	public function test_woocommerces_own_webp_placeholder_is_not_sent_for_whatsapp_cannot_show_it(): void {
		update_option( 'woocommerce_placeholder_image', 'https://shop.example/placeholder.png' );
		Store_Profile::flush();
		$this->assertSame( 'https://shop.example/placeholder.png', $this->profiles()[0]['data']['placeholder_image_url'] );
		$this->clear_outbox();
		delete_option( 'woocommerce_placeholder_image' );
		Store_Profile::flush();
		$this->assertSame( WC()->plugin_url() . '/assets/images/placeholder.webp', wc_placeholder_img_src( 'woocommerce_single' ), 'WooCommerce 10 ships WebP placeholders only' );
		$data = $this->profiles()[0]['data'];
		$this->assertArrayNotHasKey( 'placeholder_image_url', $data, 'the sidecar then forgets the PNG and sends the text-only template' );
	}

	public function test_several_settings_saved_in_one_request_queue_one_event_with_all_of_them(): void {
		update_option( 'blogname', 'Chennai Silks' );
		update_option( 'timezone_string', 'America/Sao_Paulo' );
		update_option( 'woocommerce_currency', 'BRL' );
		$this->assertSame( array(), $this->profiles(), 'nothing until the request ends' );
		Store_Profile::flush();

		$events = $this->profiles();
		$this->assertCount( 1, $events );
		$this->assertSame( array( 'Chennai Silks', 'America/Sao_Paulo', 'BRL' ), array( $events[0]['data']['name'], $events[0]['data']['time_zone'], $events[0]['data']['currency'] ) );
		$this->assertValidEvents( $events );

		Store_Profile::flush();
		$this->assertCount( 1, $this->profiles(), 'a request that changed nothing more queues nothing' );
	}

	public function test_a_utc_offset_instead_of_a_city_is_sent_as_the_offset(): void {
		update_option( 'timezone_string', '' );
		update_option( 'gmt_offset', 5.5 );
		Store_Profile::flush();
		$events = $this->profiles();
		$this->assertSame( '+05:30', $events[0]['data']['time_zone'] );
		$this->assertValidEvents( $events );
	}

	public function test_a_new_site_language_is_sent_although_wordpress_keeps_the_old_one_for_the_request(): void {
		$before    = get_locale();
		$installed = static function ( $languages ) {
			return array_merge( (array) $languages, array( 'hi_IN' ) ); // As if the Hindi language pack were installed.
		};
		add_filter( 'get_available_languages', $installed );
		update_option( 'WPLANG', 'hi_IN' );
		remove_filter( 'get_available_languages', $installed );
		Store_Profile::flush();
		$this->assertSame( 'hi_IN', $this->profiles()[0]['data']['locale'] );
		$this->assertSame( $before, get_locale(), 'the request\'s own locale is left as it was' );
	}

	public function test_settings_the_sidecar_does_not_use_and_unchanged_values_queue_nothing(): void {
		update_option( 'blogdescription', 'Just another store' );
		update_option( 'woocommerce_currency', 'INR' ); // Unchanged: WordPress does not even call it an update.
		update_option( 'timezone_string', 'Asia/Kolkata' );
		Store_Profile::flush();
		$this->assertSame( array(), $this->profiles() );

		// Changed and changed back within the request: the sidecar already has exactly this.
		update_option( 'woocommerce_currency', 'EUR' );
		update_option( 'woocommerce_currency', 'INR' );
		Store_Profile::flush();
		$this->assertSame( array(), $this->profiles() );
	}

	public function test_an_upgrade_is_noticed_in_wp_admin(): void {
		$this->assertNotFalse( has_action( 'admin_init', array( Store_Profile::class, 'check_versions' ) ) );
		Store_Profile::check_versions();
		$this->assertSame( array(), $this->profiles(), 'same versions: nothing' );

		WC()->version = '10.5.0';
		Store_Profile::check_versions();
		$events = $this->profiles();
		$this->assertCount( 1, $events );
		$this->assertSame( '10.5.0', $events[0]['data']['versions']['woocommerce'] );
		Store_Profile::check_versions();
		$this->assertCount( 1, $this->profiles() );
	}

	public function test_activation_queues_it_even_when_nothing_changed(): void {
		Installer::activate();
		$events = $this->profiles();
		$this->assertCount( 1, $events );
		$this->assertValidEvents( $events );
	}

	public function test_a_storefront_page_queues_no_store_profile(): void {
		Cartback_Test_Site::serve();
		$page = Cartback_Rest_Helpers::http( 'GET', home_url( '/?add-to-cart=42' ) );
		$this->assertSame( 200, $page['status'] );
		$this->assertNotEmpty( $this->queued( 'cart.updated' ), 'the request ran the plugin' );
		$this->assertSame( array(), $this->profiles() );
	}
}
