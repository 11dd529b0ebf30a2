<?php
/**
 * Builds event data (DESIGN.md, "Plugin → service") from WooCommerce objects: a cart, an order, a
 * product. Reads only; never writes, hooks or sends. Money goes out in integer minor units, phones
 * in E.164, and optional fields are left out rather than sent empty.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Cart, order and product → the shapes in shared/src/schemas.ts. */
final class Payloads {
	/**
	 * A cart.updated snapshot.
	 *
	 * @param \WC_Cart $cart         The cart, with totals calculated.
	 * @param string   $cart_key     Its key.
	 * @param string   $session_id   The session's id.
	 * @param bool     $images_later Leave each line's image for with_images(): `image_of` instead.
	 */
	public static function cart( $cart, string $cart_key, string $session_id, bool $images_later = false ): array {
		$currency = get_woocommerce_currency();
		$lines    = array();
		foreach ( $cart->get_cart() as $item ) {
			$line = self::cart_line( $item, $currency, $images_later );
			if ( $line ) {
				$lines[] = $line;
			}
		}
		$data = array(
			'cart_key'    => $cart_key,
			'customer_id' => get_current_user_id(),
			'session_id'  => $session_id,
			'currency'    => $currency,
			'totals'      => self::totals(
				$currency,
				$cart->get_subtotal(),
				$cart->get_total_tax(),
				$cart->get_shipping_total(),
				$cart->get_discount_total(),
				$cart->get_total( 'edit' )
			),
			'lines'       => $lines,
			'locale'      => get_locale(),
		);
		return self::without_empty( $data, array( 'customer_id' ) );
	}

	/**
	 * The data every order event carries.
	 *
	 * @param \WC_Order   $order  The order.
	 * @param string|null $status The status to report (the new one, in a status change), or the order's.
	 */
	public static function order( $order, ?string $status = null ): array {
		$currency = (string) $order->get_currency();
		$reported = self::status( $status ?? (string) $order->get_status() );
		$lines    = array();
		foreach ( $order->get_items( 'line_item' ) as $item ) {
			$line = self::order_line( $item, $currency );
			if ( $line ) {
				$lines[] = $line;
			}
		}
		$totals = self::totals(
			$currency,
			$order->get_subtotal(),
			$order->get_total_tax(),
			$order->get_shipping_total(),
			$order->get_discount_total(),
			$order->get_total()
		);
		// What has been given back so far (every refund, partial or full), in minor units.
		$totals['refunded'] = max( 0, Money::to_minor( $order->get_total_refunded(), $currency ) );
		$data               = array(
			'order_id'       => (int) $order->get_id(),
			'cart_key'       => (string) $order->get_meta( Capture_Orders::META_CART_KEY ),
			'customer_id'    => (int) $order->get_customer_id(),
			'phone'          => Phone::to_e164( (string) $order->get_billing_phone(), (string) $order->get_billing_country() ),
			'email'          => self::email( (string) $order->get_billing_email() ),
			'status'         => $reported,
			'currency'       => $currency,
			'totals'         => $totals,
			'lines'          => $lines,
			'coupons'        => self::coupons( (array) $order->get_coupon_codes() ),
			'payment_method' => substr( (string) $order->get_payment_method(), 0, 100 ),
			'pay_url'        => self::pay_url( $order, $reported ),
		);
		return self::without_empty( $data, array( 'cart_key', 'customer_id', 'phone', 'email', 'payment_method', 'pay_url' ) );
	}

	/**
	 * The product of a product.viewed event.
	 *
	 * @param \WC_Product $product The product.
	 */
	public static function product( $product ): array {
		$currency = get_woocommerce_currency();
		$data     = array(
			'id'         => (int) $product->get_id(),
			'name'       => self::text( (string) $product->get_name(), '#' . $product->get_id() ),
			'price'      => max( 0, Money::to_minor( $product->get_price(), $currency ) ),
			'currency'   => $currency,
			'image_url'  => self::image_url( $product ),
			'url'        => self::url( (string) $product->get_permalink(), home_url( '/' ) ),
			'in_stock'   => (bool) $product->is_in_stock(),
			'categories' => Product_Categories::names( $product ),
		);
		return self::without_empty( $data, array( 'image_url' ) );
	}

	/**
	 * The order's own pay link (WC_Order::get_checkout_payment_url(), includes/class-wc-order.php in
	 * woocommerce/woocommerce, checked for 10.5: the checkout's order-pay endpoint with
	 * pay_for_order=true and the order key, filtered by woocommerce_get_checkout_payment_url), while
	 * the order is in a status WooCommerce takes payment in: WC_Order::needs_payment()'s list,
	 * pending and failed, through the same woocommerce_valid_order_statuses_for_payment filter. Paid,
	 * cancelled or refunded orders get none: the link carries the order key, and is of no use then.
	 *
	 * @param \WC_Order $order  The order.
	 * @param string    $status The status being reported.
	 * @return string The URL, or ''.
	 */
	private static function pay_url( $order, string $status ): string {
		$payable = (array) apply_filters( 'woocommerce_valid_order_statuses_for_payment', array( 'pending', 'failed' ), $order );
		if ( ! in_array( $status, $payable, true ) || ! is_callable( array( $order, 'get_checkout_payment_url' ) ) ) {
			return '';
		}
		$url = self::url( (string) $order->get_checkout_payment_url(), '' );
		return strlen( $url ) <= 2048 ? $url : '';
	}

	/**
	 * One cart line, priced from the totals WooCommerce calculated for it (line_subtotal before cart
	 * discounts, line_total after; both without tax, as WooCommerce keeps them).
	 *
	 * @param array  $item         A cart item.
	 * @param string $currency     ISO 4217.
	 * @param bool   $images_later Leave the image for with_images() (`image_of`, the product's id).
	 */
	private static function cart_line( array $item, string $currency, bool $images_later ): ?array {
		$product  = $item['data'] ?? null;
		$quantity = (int) ( $item['quantity'] ?? 0 );
		if ( ! is_object( $product ) || $quantity < 1 ) {
			return null;
		}
		$fallback = (float) $product->get_price() * $quantity; // Only before WooCommerce has calculated totals.
		$subtotal = Money::to_minor( $item['line_subtotal'] ?? $fallback, $currency );
		$total    = Money::to_minor( $item['line_total'] ?? $fallback, $currency );
		return self::line( (int) $item['product_id'], (int) ( $item['variation_id'] ?? 0 ), $product, (string) $product->get_name(), $quantity, $subtotal, $total, $images_later );
	}

	/**
	 * Fills in what cart() left for later: each line's `image_of` (a product id) becomes its
	 * `image_url`, in the same place, or goes when the product has no JPEG or PNG image; a
	 * variation's `categories_of` becomes its `categories` (its parent's). Looking an image up reads
	 * its attachment and metadata from the database, and a variation's parent is a product to load;
	 * where the response can be finished early that happens after the shopper has the page
	 * (After_Response).
	 *
	 * @param array $data A cart payload from cart( …, true ).
	 * @return array The payload as cart( …, false ) would have made it.
	 */
	public static function with_lookups( array $data ): array {
		foreach ( $data['lines'] ?? array() as $i => $line ) {
			if ( ! isset( $line['image_of'] ) && ! isset( $line['categories_of'] ) ) {
				continue;
			}
			$filled = array();
			foreach ( $line as $key => $value ) {
				if ( 'image_of' === $key ) {
					$product = wc_get_product( (int) $value );
					$url     = $product ? self::image_url( $product ) : '';
					if ( '' !== $url ) {
						$filled['image_url'] = $url;
					}
				} elseif ( 'categories_of' === $key ) {
					$categories = Product_Categories::for_line_of( (int) $value );
					if ( $categories ) {
						$filled['categories'] = $categories;
					}
				} else {
					$filled[ $key ] = $value;
				}
			}
			$data['lines'][ $i ] = $filled;
		}
		return $data;
	}

	/**
	 * One order line.
	 *
	 * @param \WC_Order_Item_Product $item     The order item.
	 * @param string                 $currency ISO 4217.
	 */
	private static function order_line( $item, string $currency ): ?array {
		$quantity = (int) $item->get_quantity();
		if ( $quantity < 1 || (int) $item->get_product_id() < 1 ) {
			return null;
		}
		$product = $item->get_product();
		return self::line(
			(int) $item->get_product_id(),
			(int) $item->get_variation_id(),
			$product ? $product : null,
			(string) $item->get_name(),
			$quantity,
			Money::to_minor( $item->get_subtotal(), $currency ),
			Money::to_minor( $item->get_total(), $currency )
		);
	}

	/**
	 * A line in the shared shape.
	 *
	 * @param int              $product_id   Product (the parent, for a variation).
	 * @param int              $variation_id Variation, or 0.
	 * @param \WC_Product|null $product      The product or variation, when it still exists.
	 * @param string           $name         Its name as the shopper saw it.
	 * @param int              $quantity     Quantity.
	 * @param int              $subtotal     Line subtotal in minor units (before discounts).
	 * @param int              $total        Line total in minor units (after discounts).
	 * @param bool             $images_later `image_of` (the product's id) in place of `image_url`.
	 */
	private static function line( int $product_id, int $variation_id, $product, string $name, int $quantity, int $subtotal, int $total, bool $images_later = false ): array {
		$url  = $product ? (string) $product->get_permalink() : (string) get_permalink( $product_id );
		$line = array(
			'product_id'   => $product_id,
			'variation_id' => $variation_id,
			'sku'          => $product ? mb_substr( (string) $product->get_sku(), 0, 100 ) : '',
			'name'         => self::text( $name, '#' . $product_id ),
			'quantity'     => $quantity,
			'unit_price'   => max( 0, (int) round( $subtotal / $quantity ) ),
			'line_total'   => max( 0, $total ),
		);
		if ( $product && $images_later ) {
			$line['image_of'] = (int) $product->get_id();
		} else {
			$line['image_url'] = $product ? self::image_url( $product ) : '';
		}
		$line['url'] = self::url( $url, home_url( '/' ) );
		if ( $product && $images_later && Product_Categories::needs_parent( $product ) ) {
			$line['categories_of'] = (int) $product->get_id(); // A variation: its parent is loaded later.
		} else {
			$line['categories'] = $product ? Product_Categories::for_line( $product ) : array();
		}
		return self::without_empty( $line, array( 'variation_id', 'sku', 'image_url', 'categories' ) );
	}

	/**
	 * Totals in minor units.
	 *
	 * @param string                $currency ISO 4217.
	 * @param string|float|int|null $subtotal Subtotal (without tax).
	 * @param string|float|int|null $tax      All tax.
	 * @param string|float|int|null $shipping Shipping (without tax).
	 * @param string|float|int|null $discount Discount (without tax).
	 * @param string|float|int|null $total    What the shopper pays.
	 */
	private static function totals( string $currency, $subtotal, $tax, $shipping, $discount, $total ): array {
		$minor = static function ( $amount ) use ( $currency ) {
			return max( 0, Money::to_minor( $amount, $currency ) );
		};
		return array(
			'subtotal' => $minor( $subtotal ),
			'tax'      => $minor( $tax ),
			'shipping' => $minor( $shipping ),
			'discount' => $minor( $discount ),
			'total'    => $minor( $total ),
		);
	}

	/**
	 * The product's main image (a variation without its own falls back to its parent's), when it is
	 * a JPEG or PNG.
	 *
	 * @param \WC_Product $product The product.
	 * @return string The URL, or '' when it has none.
	 */
	private static function image_url( $product ): string {
		$image_id = (int) $product->get_image_id();
		if ( ! $image_id && $product->get_parent_id() ) {
			$parent   = wc_get_product( $product->get_parent_id() );
			$image_id = $parent ? (int) $parent->get_image_id() : 0;
		}
		$url = $image_id ? wp_get_attachment_image_url( $image_id, 'woocommerce_single' ) : false;
		return is_string( $url ) ? self::whatsapp_image_url( $url ) : '';
	}

	/**
	 * An image URL WhatsApp can show in a template's image header: JPEG or PNG only. WordPress
	 * names every image file (and each of its sizes) with its type's extension, so a WebP photo or
	 * WooCommerce's own WebP placeholder (WooCommerce 8 and later) gives '' and the sidecar falls back
	 * (the store's placeholder, else the text-only template) rather than send what WhatsApp refuses.
	 *
	 * @param string $url The image's URL.
	 * @return string The URL (made safe to send), or '' when it is not a JPEG or PNG.
	 */
	public static function whatsapp_image_url( string $url ): string {
		$path = (string) wp_parse_url( $url, PHP_URL_PATH );
		return preg_match( '/\.(jpe?g|png)$/i', $path ) ? self::url( $url, '' ) : '';
	}

	/**
	 * An absolute http(s) URL as the schema's RFC 3986 check wants it: spaces and non-ASCII
	 * characters (a product slug in Hindi, say) percent-encoded.
	 *
	 * @param string $url      The URL.
	 * @param string $fallback What to use when it is not an http(s) URL.
	 */
	public static function url( string $url, string $fallback ): string {
		if ( ! preg_match( '#^(https?://[^/?\#\s]+)(.*)$#is', trim( $url ), $parts ) ) {
			return $fallback;
		}
		$rest = preg_replace_callback(
			'/[^\x21-\x7E]|["<>\\\\^`{|}\[\]]/',
			static function ( $char ) {
				return rawurlencode( $char[0] );
			},
			$parts[2]
		);
		return $parts[1] . $rest;
	}

	/**
	 * Plain text for a name: tags stripped, entities decoded.
	 *
	 * @param string $text     The name as stored.
	 * @param string $fallback What to use when nothing is left.
	 */
	private static function text( string $text, string $fallback ): string {
		$text = trim( html_entity_decode( wp_strip_all_tags( $text ), ENT_QUOTES, 'UTF-8' ) );
		return '' !== $text ? mb_substr( $text, 0, 500 ) : $fallback;
	}

	/**
	 * An email the schema accepts, or ''.
	 *
	 * @param string $email As entered.
	 */
	private static function email( string $email ): string {
		$email = trim( $email );
		return strlen( $email ) <= 254 && is_email( $email ) ? $email : '';
	}

	/**
	 * Coupon codes as the schema takes them: non-empty, at most 100 of at most 100 characters.
	 *
	 * @param array $codes The order's coupon codes.
	 * @return string[]
	 */
	private static function coupons( array $codes ): array {
		$out = array();
		foreach ( $codes as $code ) {
			if ( '' !== (string) $code && count( $out ) < 100 ) {
				$out[] = mb_substr( (string) $code, 0, 100 );
			}
		}
		return $out;
	}

	/**
	 * A status as the schema spells it: lower case, without WordPress's "wc-" prefix.
	 *
	 * @param string $status Status.
	 */
	private static function status( string $status ): string {
		$status = strtolower( $status );
		return 0 === strpos( $status, 'wc-' ) ? substr( $status, 3 ) : $status;
	}

	/**
	 * Drops optional keys whose value is empty (the schema wants them absent, not blank).
	 *
	 * @param array    $data     Data.
	 * @param string[] $optional Keys that may go.
	 */
	private static function without_empty( array $data, array $optional ): array {
		foreach ( $optional as $key ) {
			if ( array_key_exists( $key, $data ) && ( null === $data[ $key ] || '' === $data[ $key ] || 0 === $data[ $key ] || array() === $data[ $key ] ) ) {
				unset( $data[ $key ] );
			}
		}
		return $data;
	}
}
