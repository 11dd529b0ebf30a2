<?php
/**
 * WooCommerce TEST DOUBLE: the WooCommerce singleton, WC(), FeaturesUtil, the admin menu,
 * currency and countries.
 *
 * @package Cartback\Tests
 */

namespace Automattic\WooCommerce\Utilities {
	/**
	 * Double of WooCommerce's FeaturesUtil::declare_compatibility() as FeaturesController runs it
	 * (WooCommerce 10.5): accepted only inside before_woocommerce_init (otherwise a "doing it
	 * wrong" and false), false for a feature id WooCommerce does not define, else recorded.
	 */
	class FeaturesUtil {
		/**
		 * WooCommerce 10.5's features (FeaturesController::init_feature_definitions() plus those
		 * CustomOrdersTableController and CostOfGoodsSoldController add) => whether it asks plugins
		 * (false: skip_compatibility_checks) and its default_plugin_compatibility.
		 */
		const FEATURES = array(
			'analytics'                => array( false, 'compatible' ),
			'product_block_editor'     => array( false, 'compatible' ),
			'cart_checkout_blocks'     => array( true, 'compatible' ),
			'rate_limit_checkout'      => array( false, 'compatible' ),
			'marketplace'              => array( false, 'compatible' ),
			'order_attribution'        => array( false, 'compatible' ),
			'site_visibility_badge'    => array( false, 'compatible' ),
			'hpos_fts_indexes'         => array( false, 'compatible' ),
			'hpos_datastore_caching'   => array( false, 'compatible' ),
			'remote_logging'           => array( false, 'compatible' ),
			'email_improvements'       => array( false, 'compatible' ),
			'blueprint'                => array( false, 'compatible' ),
			'block_email_editor'       => array( false, 'compatible' ),
			'point_of_sale'            => array( false, 'compatible' ),
			'fulfillments'             => array( true, 'compatible' ),
			'mcp_integration'          => array( true, 'compatible' ),
			'destroy-empty-sessions'   => array( true, 'compatible' ),
			'agentic_checkout'         => array( false, 'compatible' ),
			'push_notifications'       => array( true, 'compatible' ),
			'rest_api_caching'         => array( false, 'compatible' ),
			'product_instance_caching' => array( true, 'incompatible' ),
			'fraud_protection'         => array( false, 'compatible' ),
			'custom_order_tables'      => array( true, 'incompatible' ),
			'cost_of_goods_sold'       => array( true, 'compatible' ),
		);

		/** @var array<string, array<string, bool>> feature => plugin file => compatible */
		public static $declared = array();

		/** @var string[] Declarations refused because they came outside before_woocommerce_init. */
		public static $doing_it_wrong = array();

		/**
		 * @param string $feature_id  Feature.
		 * @param string $plugin_file Plugin main file.
		 * @param bool   $positive    Compatible or not.
		 */
		public static function declare_compatibility( $feature_id, $plugin_file, $positive = true ) {
			if ( ! doing_action( 'before_woocommerce_init' ) ) {
				self::$doing_it_wrong[] = $feature_id;
				return false;
			}
			if ( ! isset( self::FEATURES[ $feature_id ] ) ) {
				return false;
			}
			self::$declared[ $feature_id ][ $plugin_file ] = $positive;
			return true;
		}
	}
}

namespace {
	/** Double of the WooCommerce singleton: only the properties Cartback reads. */
	final class WooCommerce {
		/** @var string */
		public $version = '10.3.0-test-double';
		/** @var WC_Cart|null */
		public $cart;
		/** @var WC_Session_Handler|null */
		public $session;
		/** @var WC_Customer|null */
		public $customer;
		/** @var WC_Countries */
		public $countries;
		/** @var WooCommerce|null */
		private static $instance;

		/** The one instance. */
		public static function instance() {
			if ( null === self::$instance ) {
				self::$instance = new self();
			}
			return self::$instance;
		}

		private function __construct() {
			$this->countries = new WC_Countries();
		}

		/** As WooCommerce::plugin_url(): where WooCommerce's files are served from. */
		public function plugin_url() {
			return untrailingslashit( plugins_url( '/', WP_PLUGIN_DIR . '/woocommerce/woocommerce.php' ) );
		}

		/**
		 * Starts a fresh shopper: new session, customer and cart (tests call this between cases).
		 * The session's class comes through WooCommerce's own filter, woocommerce_session_handler.
		 */
		public function reset_shopper( $customer_id = 0 ) {
			$session_class  = apply_filters( 'woocommerce_session_handler', 'WC_Session_Handler' );
			$this->session  = new $session_class( $customer_id );
			$this->customer = new WC_Customer( $customer_id );
			$this->cart     = new WC_Cart();
		}
	}

	/** Double of WC(). */
	function WC() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName
		return WooCommerce::instance();
	}

	/** Double of WC_Countries: calling codes for a handful of countries. */
	class WC_Countries {
		/**
		 * @param string $cc ISO 3166 alpha-2.
		 * @return string e.g. "+91", or '' when unknown.
		 */
		public function get_country_calling_code( $cc ) {
			$codes = array( 'IN' => '+91', 'US' => '+1', 'GB' => '+44', 'DE' => '+49', 'BR' => '+55', 'ES' => '+34', 'MX' => '+52', 'FR' => '+33' );
			return $codes[ $cc ] ?? '';
		}

		/** The store's base country. */
		public function get_base_country() {
			return get_option( 'woocommerce_default_country', 'IN' );
		}
	}

	/** Double of get_woocommerce_currency(). */
	function get_woocommerce_currency() {
		return get_option( 'woocommerce_currency', 'INR' );
	}

	/**
	 * Double of wc_placeholder_img_src() (includes/wc-product-functions.php): WooCommerce's own
	 * placeholder, or the image the admin set in woocommerce_placeholder_image (an attachment id,
	 * or a URL), through the woocommerce_placeholder_img_src filter.
	 *
	 * @param string $size Image size.
	 */
	function wc_placeholder_img_src( $size = 'woocommerce_thumbnail' ) {
		$src               = WC()->plugin_url() . '/assets/images/placeholder.webp';
		$placeholder_image = get_option( 'woocommerce_placeholder_image', 0 );
		if ( ! empty( $placeholder_image ) ) {
			if ( is_numeric( $placeholder_image ) ) {
				$image = wp_get_attachment_image_src( $placeholder_image, $size );
				if ( ! empty( $image[0] ) ) {
					$src = $image[0];
				}
			} else {
				$src = $placeholder_image;
			}
		}
		return apply_filters( 'woocommerce_placeholder_img_src', $src );
	}

	/** Double of wc_get_price_decimals(). */
	function wc_get_price_decimals() {
		return (int) get_option( 'woocommerce_price_num_decimals', 2 );
	}

	/** Double of wc_get_checkout_url(): the checkout page (double-storefront-pages.php). */
	function wc_get_checkout_url() {
		return wc_get_page_permalink( 'checkout' );
	}

	/** Double of wc_get_cart_url(): the cart page. */
	function wc_get_cart_url() {
		return wc_get_page_permalink( 'cart' );
	}

	/** Notices, as WooCommerce keeps them in the session. */
	$GLOBALS['wc_test_double_notices'] = array();

	/**
	 * Double of wc_add_notice().
	 *
	 * @param string $message Text.
	 * @param string $type    success|error|notice.
	 */
	function wc_add_notice( $message, $type = 'success' ) {
		$GLOBALS['wc_test_double_notices'][ $type ][] = array( 'notice' => $message );
	}

	/**
	 * Double of wc_get_notices().
	 *
	 * @param string $type Only this type ('' for all).
	 */
	function wc_get_notices( $type = '' ) {
		$all = $GLOBALS['wc_test_double_notices'];
		return '' === $type ? $all : ( $all[ $type ] ?? array() );
	}

	/** Double of wc_clear_notices(). */
	function wc_clear_notices() {
		$GLOBALS['wc_test_double_notices'] = array();
	}

	// WooCommerce's own top-level menu, under which Cartback's screen lives.
	add_action(
		'admin_menu',
		static function () {
			add_menu_page( 'WooCommerce', 'WooCommerce', 'manage_woocommerce', 'woocommerce', '__return_null', 'dashicons-cart', 55 );
		},
		9
	);

	// Fires WooCommerce's lifecycle hooks in the order WooCommerce does.
	add_action(
		'plugins_loaded',
		static function () {
			do_action( 'before_woocommerce_init' );
			WC()->reset_shopper( get_current_user_id() );
			do_action( 'woocommerce_loaded' );
		},
		-10
	);
	add_action(
		'init',
		static function () {
			do_action( 'woocommerce_init' );
		},
		0
	);
}
