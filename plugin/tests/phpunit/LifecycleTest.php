<?php
/**
 * Installing, running without WooCommerce, and uninstalling — each on a throwaway site of its
 * own, so the shared test site stays intact.
 *
 * @package Cartback\Tests
 */

/** The plugin's life cycle on real WordPress. */
final class LifecycleTest extends Cartback_Test_Case {
	/** @var array<int, array{db: string, dir: string}> */
	private $sites = array();

	protected function tearDown(): void {
		$mysql = new mysqli( '127.0.0.1', 'root', '', '', 3306 );
		foreach ( $this->sites as $site ) {
			$mysql->query( 'DROP DATABASE IF EXISTS `' . $site['db'] . '`' );
			exec( 'rm -rf ' . escapeshellarg( $site['dir'] ) );
		}
		parent::tearDown();
	}

	/**
	 * Creates another site and returns a function that runs PHP inside it.
	 *
	 * @param string[] $flags Extra install-site.php flags.
	 */
	private function other_site( array $flags = array() ): callable {
		$db    = 'cartback_wp_life_' . getmypid() . '_' . bin2hex( random_bytes( 3 ) );
		$dir   = sys_get_temp_dir() . '/' . $db;
		$cmd   = array_merge( array( PHP_BINARY, __DIR__ . '/../env/install-site.php', "--dir=$dir", "--db=$db", '--url=http://127.0.0.1:9' ), $flags );
		$proc  = proc_open( $cmd, array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		$out   = stream_get_contents( $pipes[1] );
		$err   = stream_get_contents( $pipes[2] );
		$this->assertSame( 0, proc_close( $proc ), $err );
		$this->sites[] = array( 'db' => $db, 'dir' => $dir );
		$env           = array_merge( getenv(), json_decode( $out, true ) );
		return function ( string $steps_or_code ) use ( $env, $dir ) {
			$steps = array( $steps_or_code );
			if ( 0 === strpos( $steps_or_code, '<?php' ) ) {
				$file = $dir . '/step-' . bin2hex( random_bytes( 4 ) ) . '.php';
				file_put_contents( $file, $steps_or_code );
				$steps = array( 'eval', $file );
			}
			$proc = proc_open( array_merge( array( PHP_BINARY, __DIR__ . '/../env/wp-run.php' ), $steps ), array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes, null, $env );
			$out  = stream_get_contents( $pipes[1] );
			$err  = stream_get_contents( $pipes[2] );
			$this->assertSame( 0, proc_close( $proc ), $err . $out );
			return $out;
		};
	}

	public function test_the_header_declares_what_wordpress_and_woocommerce_read(): void {
		$headers = get_file_data(
			CARTBACK_FILE,
			array( 'name' => 'Plugin Name', 'php' => 'Requires PHP', 'wp' => 'Requires at least', 'wc_min' => 'WC requires at least', 'wc_tested' => 'WC tested up to', 'domain' => 'Text Domain', 'license' => 'License' )
		);
		$this->assertSame( '7.4', $headers['php'] );
		$this->assertSame( 'cartback', $headers['domain'] );
		$this->assertMatchesRegularExpression( '/^\d+\.\d+/', $headers['wc_min'] );
		$this->assertMatchesRegularExpression( '/^\d+\.\d+/', $headers['wc_tested'] );
		$this->assertNotSame( '', $headers['license'] );
		$this->assertSame( '10.5', $headers['wc_tested'], 'the newest WooCommerce verified in a real store' );
		$this->assertMatchesRegularExpression( '/^WC tested up to: 10\.5$/m', (string) file_get_contents( CARTBACK_DIR . '/readme.txt' ) );
	}

	public function test_woocommerce_features_cartback_works_with_are_declared_compatible(): void {
		$util     = \Automattic\WooCommerce\Utilities\FeaturesUtil::class;
		$declared = $util::$declared;
		foreach ( array( 'custom_order_tables', 'cart_checkout_blocks', 'product_instance_caching', 'destroy-empty-sessions' ) as $feature ) {
			$this->assertTrue( $declared[ $feature ][ CARTBACK_FILE ] ?? false, "$feature declared compatible" );
		}
		// Every feature WooCommerce 10.5 treats as incompatible unless a plugin says otherwise
		// ("Cache Product Objects" listed Cartback as incompatible): none is left undeclared.
		foreach ( $util::FEATURES as $feature => list( $asks, $default ) ) {
			if ( $asks && 'incompatible' === $default ) {
				$this->assertArrayHasKey( $feature, $declared, "$feature declared" );
			}
		}
		$this->assertSame( array(), $util::$doing_it_wrong, 'declared inside before_woocommerce_init' );
		$this->assertSame( array_keys( \Cartback\Woo_Features::COMPATIBLE ), array_keys( array_intersect_key( $declared, \Cartback\Woo_Features::COMPATIBLE ) ), 'every id is one WooCommerce knows' );
	}

	public function test_without_woocommerce_it_captures_nothing_and_tells_the_admin(): void {
		$run = $this->other_site( array( '--no-woocommerce' ) );
		$out = $run(
			'<?php
			global $wpdb;
			wp_set_current_user( 1 );
			ob_start();
			do_action( "admin_notices" );
			$notice = ob_get_clean();
			do_action( "woocommerce_add_to_cart", "k", 1, 1, 0, array(), array() );
			do_action( "shutdown" );
			echo json_encode( array(
				"notice"  => $notice,
				"queued"  => (int) $wpdb->get_var( "SELECT COUNT(*) FROM " . \Cartback\Outbox::table() ),
				"capture" => (bool) has_action( "woocommerce_add_to_cart" ),
				"cron"    => (bool) wp_next_scheduled( \Cartback\Delivery::HOOK ),
			) );'
		);
		$result = json_decode( substr( $out, strpos( $out, '{' ) ), true );
		$this->assertStringContainsString( 'Cartback needs WooCommerce', $result['notice'] );
		$this->assertSame( 0, $result['queued'] );
		$this->assertFalse( $result['capture'], 'no capture hooks without WooCommerce' );
		$this->assertTrue( $result['cron'], 'without Action Scheduler, WP-Cron delivers what is already queued' );
	}

	public function test_uninstall_leaves_no_table_option_user_meta_or_scheduled_action_behind(): void {
		$run = $this->other_site();
		$run(
			'<?php
			\Cartback\Settings::save_connection( "http://127.0.0.1:9", str_repeat( "s", 40 ) );
			\Cartback\Settings::save_consent_text( "Changed wording" );
			\Cartback\Events::emit( "cart.emptied", array( "cart_key" => str_repeat( "a", 32 ) ) );
			update_user_meta( 1, "cartback_whatsapp_optin", "yes" );
			update_user_meta( 1, "_wc_other/cartback/whatsapp-optin", "1" );
			update_option( \Cartback\Delivery::STATE_OPTION, array( "failures" => 2 ) );
			\Cartback\Delivery::ensure_scheduled();
			// The REST API key store access made (as Store_Access::grant() writes it; no sidecar here).
			$GLOBALS["wpdb"]->insert( \Cartback\Store_Access::table(), array( "user_id" => 1, "description" => "Cartback (sidecar at 127.0.0.1:9)", "permissions" => "read_write", "consumer_key" => wc_api_hash( "ck_" . wc_rand_hash() ), "consumer_secret" => "cs_" . wc_rand_hash(), "truncated_key" => "abc1234" ) );
			update_option( \Cartback\Store_Access::OPTION, array( "key_id" => $GLOBALS["wpdb"]->insert_id ) );'
		);
		$before = $this->leftovers( $run );
		$this->assertNotEmpty( $before['tables'], 'the outbox existed' );
		$this->assertNotEmpty( $before['options'] );
		$this->assertTrue( $before['actions'], 'with WooCommerce, Action Scheduler runs the delivery' );
		$this->assertFalse( $before['cron'], 'and WP-Cron does not, too' );
		$this->assertSame( 2, $before['user_meta'] );
		$this->assertSame( 1, $before['api_keys'] );

		$run( 'uninstall' );
		$after = $this->leftovers( $run );
		$this->assertSame( array(), $after['tables'] );
		$this->assertSame( array(), $after['options'] );
		$this->assertFalse( $after['actions'] );
		$this->assertFalse( $after['cron'] );
		$this->assertSame( 0, $after['user_meta'] );
		$this->assertSame( 0, $after['api_keys'], 'the REST API key Cartback made is revoked' );
	}

	public function test_the_built_zip_installs_through_upload_plugin_and_activates(): void {
		$zip = realpath( __DIR__ . '/../../../cartback.zip' );
		$this->assertNotFalse( $zip, 'cartback.zip is missing: `npm test` builds it with `npm run plugin:zip` first' );
		$run = $this->other_site( array( '--no-plugin' ) );
		// What wp-admin's Plugins → Add New → Upload Plugin runs on the server.
		$out    = $run(
			'<?php
			require_once ABSPATH . "wp-admin/includes/file.php";
			require_once ABSPATH . "wp-admin/includes/misc.php";
			require_once ABSPATH . "wp-admin/includes/class-wp-upgrader.php";
			require_once ABSPATH . "wp-admin/includes/plugin.php";
			wp_set_current_user( 1 );
			$skin   = new WP_Ajax_Upgrader_Skin();
			$result = ( new Plugin_Upgrader( $skin ) )->install( ' . var_export( $zip, true ) . ' );
			$dir    = WP_PLUGIN_DIR . "/cartback";
			$files  = array();
			$walk   = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $dir, FilesystemIterator::SKIP_DOTS ) );
			foreach ( $walk as $file ) {
				$files[] = substr( $file->getPathname(), strlen( $dir ) + 1 );
			}
			$activated = activate_plugin( "cartback/cartback.php" );
			global $wpdb;
			echo json_encode( array(
				"installed" => true === $result,
				"errors"    => $skin->get_error_messages(),
				"files"     => $files,
				"activated" => null === $activated,
				"outbox"    => (bool) $wpdb->get_var( "SHOW TABLES LIKE \'%cartback_outbox\'" ),
			) );'
		);
		$result = json_decode( substr( $out, strpos( $out, '{' ) ), true );
		$this->assertTrue( $result['installed'], implode( '; ', (array) $result['errors'] ) );
		$this->assertTrue( $result['activated'] );
		$this->assertTrue( $result['outbox'], 'activation created the outbox table' );
		$files = $result['files'];
		foreach ( array( 'cartback.php', 'uninstall.php', 'readme.txt', 'includes/class-outbox.php', 'build/admin.js', 'build/admin.asset.php', 'languages/cartback.pot' ) as $needed ) {
			$this->assertContains( $needed, $files );
		}
		foreach ( $files as $file ) {
			$this->assertDoesNotMatchRegularExpression( '#^(src|tests|bin|node_modules)/|package(-lock)?\.json$|phpunit|\.tsx?$#', $file, "$file does not belong in the zip" );
		}
	}

	/** What the plugin owns in a site's database. */
	private function leftovers( callable $run ): array {
		$out = $run(
			'<?php
			global $wpdb;
			echo json_encode( array(
				"tables"    => $wpdb->get_col( "SHOW TABLES LIKE \'%cartback%\'" ),
				"options"   => $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE \'%cartback%\'" ),
				"user_meta" => (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->usermeta} WHERE meta_key LIKE \'%cartback%\'" ),
				"api_keys"  => (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_api_keys WHERE description LIKE \'Cartback%\'" ),
				"cron"      => false !== strpos( (string) wp_json_encode( _get_cron_array() ), "cartback" ),
				"actions"   => false !== strpos( (string) wp_json_encode( get_option( "wc_test_double_action_scheduler", array() ) ), "cartback" ),
			) );'
		);
		return json_decode( substr( $out, strpos( $out, '{' ) ), true );
	}
}
