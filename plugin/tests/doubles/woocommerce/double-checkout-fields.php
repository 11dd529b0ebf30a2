<?php
/**
 * WooCommerce TEST DOUBLE: the blocks checkout's CheckoutFields service (Additional Checkout
 * Fields, WC 8.9+), reached as WooCommerce code reaches it:
 * Automattic\WooCommerce\Blocks\Package::container()->get( CheckoutFields::class ). Only the
 * methods Cartback and the double's Store API routes call, with WooCommerce's signatures and
 * behaviour (src/Blocks/Domain/Services/CheckoutFields.php, 10.5): values live in meta keys
 * "_wc_other/<id>", "_wc_billing/<id>", "_wc_shipping/<id>"; persisting fires
 * woocommerce_set_additional_field_value and stores booleans as "1"/"0"; reading a missing value
 * asks woocommerce_get_default_value_for_<id>; the guest session keeps these meta keys
 * (woocommerce_customer_allowed_session_meta_keys). The registered fields are those of the
 * double's woocommerce_register_additional_checkout_field() (double-checkout.php).
 *
 * @package Cartback\Tests
 */

namespace Automattic\WooCommerce\Blocks\Registry {
	/** Double of the blocks' dependency container: one shared instance per class. */
	class Container {
		/** @var array<string, object> */
		private $shared = array();

		/**
		 * @param string $id A class name.
		 * @return object
		 */
		public function get( $id ) {
			if ( ! isset( $this->shared[ $id ] ) ) {
				$this->shared[ $id ] = new $id();
			}
			return $this->shared[ $id ];
		}
	}
}

namespace Automattic\WooCommerce\Blocks {
	/** Double of the blocks package: its container. */
	class Package {
		/** @var Registry\Container|null */
		private static $container;

		/**
		 * @param bool $reset A new container.
		 * @return Registry\Container
		 */
		public static function container( $reset = false ) {
			if ( null === self::$container || $reset ) {
				self::$container = new Registry\Container();
			}
			return self::$container;
		}
	}
}

namespace Automattic\WooCommerce\Blocks\Domain\Services {
	use WC_Customer;
	use WC_Data;

	/** Double of CheckoutFields. */
	class CheckoutFields {
		const BILLING_FIELDS_PREFIX  = '_wc_billing/';
		const SHIPPING_FIELDS_PREFIX = '_wc_shipping/';
		const OTHER_FIELDS_PREFIX    = '_wc_other/';

		/** Registered fields by id (woocommerce_register_additional_checkout_field()). */
		public function get_additional_fields() {
			return $GLOBALS['wc_test_double_additional_fields'];
		}

		/**
		 * As CheckoutFields::add_session_meta_keys(): the guest session keeps the fields' meta.
		 *
		 * @param array $keys Meta keys.
		 */
		public function add_session_meta_keys( $keys ) {
			foreach ( $this->get_additional_fields() as $key => $field ) {
				if ( 'address' === $field['location'] ) {
					$keys[] = self::BILLING_FIELDS_PREFIX . $key;
					$keys[] = self::SHIPPING_FIELDS_PREFIX . $key;
				} else {
					$keys[] = self::OTHER_FIELDS_PREFIX . $key;
				}
			}
			return $keys;
		}

		/**
		 * @param string      $key      Field id.
		 * @param mixed       $value    Value.
		 * @param WC_Customer $customer The customer.
		 * @param string      $group    shipping|billing|other (contact, order and additional mean other).
		 */
		public function persist_field_for_customer( string $key, $value, WC_Customer $customer, string $group = 'other' ) {
			$group = $this->prepare_group_name( $group );
			$this->set_array_meta( $key, $value, $customer, $group );
		}

		/**
		 * @param string  $key       Field id.
		 * @param WC_Data $wc_object Customer or order.
		 * @param string  $group     shipping|billing|other.
		 * @return mixed A checkbox reads as a boolean: true only for "1".
		 */
		public function get_field_from_object( string $key, WC_Data $wc_object, string $group = 'other' ) {
			$group = $this->prepare_group_name( $group );
			$value = $wc_object->get_meta( self::get_group_key( $group ) . $key, true );
			if ( ! $value && '0' !== $value ) {
				$value = apply_filters( "woocommerce_get_default_value_for_{$key}", null, $group, $wc_object );
			}
			$fields = $this->get_additional_fields();
			if ( isset( $fields[ $key ] ) && 'checkbox' === ( $fields[ $key ]['type'] ?? 'text' ) ) {
				return '1' === $value;
			}
			return null === $value ? '' : $value;
		}

		/**
		 * @param WC_Data $wc_object Customer or order.
		 * @param string  $group     shipping|billing|other.
		 * @param bool    $all       Also values of fields no longer registered.
		 * @return array Field id => value (stored, else the default filter's when it gives one).
		 */
		public function get_all_fields_from_object( WC_Data $wc_object, string $group = 'other', bool $all = false ) {
			$group  = $this->prepare_group_name( $group );
			$prefix = self::get_group_key( $group );
			$values = array();
			foreach ( $wc_object->get_meta_data() as $meta ) {
				if ( 0 === strpos( $meta->key, $prefix ) ) {
					$key = substr( $meta->key, strlen( $prefix ) );
					if ( $all || isset( $this->get_additional_fields()[ $key ] ) ) {
						$values[ $key ] = $meta->value;
					}
				}
			}
			foreach ( $this->get_additional_fields() as $key => $field ) {
				$in_group = 'address' === $field['location'] ? 'other' !== $group : 'other' === $group;
				if ( $in_group && ! array_key_exists( $key, $values ) ) {
					$value = apply_filters( "woocommerce_get_default_value_for_{$key}", null, $group, $wc_object );
					if ( isset( $value ) ) {
						$values[ $key ] = $value;
					}
				}
			}
			return $values;
		}

		/**
		 * @param string $group shipping|billing|other.
		 */
		public static function get_group_key( $group ) {
			return array(
				'billing'  => self::BILLING_FIELDS_PREFIX,
				'shipping' => self::SHIPPING_FIELDS_PREFIX,
			)[ $group ] ?? self::OTHER_FIELDS_PREFIX;
		}

		/**
		 * The action, then the meta (booleans as "1"/"0": data stores skip false).
		 *
		 * @param string  $key       Field id.
		 * @param mixed   $value     Value.
		 * @param WC_Data $wc_object Customer or order.
		 * @param string  $group     shipping|billing|other.
		 */
		private function set_array_meta( string $key, $value, WC_Data $wc_object, string $group ) {
			do_action( 'woocommerce_set_additional_field_value', $key, $value, $group, $wc_object );
			if ( is_bool( $value ) ) {
				$value = $value ? '1' : '0';
			}
			$wc_object->update_meta_data( self::get_group_key( $group ) . $key, $value );
		}

		/**
		 * @param string $group A group or location name.
		 */
		private function prepare_group_name( $group ) {
			return in_array( $group, array( 'billing', 'shipping', 'other' ), true ) ? $group : 'other';
		}
	}
}

namespace {
	use Automattic\WooCommerce\Blocks\Domain\Services\CheckoutFields;
	use Automattic\WooCommerce\Blocks\Package;

	// As CheckoutFields::init() (the blocks bootstrap runs it): the guest session keeps the fields.
	add_filter(
		'woocommerce_customer_allowed_session_meta_keys',
		static function ( $keys ) {
			return Package::container()->get( CheckoutFields::class )->add_session_meta_keys( $keys );
		}
	);
}
