<?php
/**
 * A product's categories (WordPress `product_cat` terms) as events carry them: in cart and order
 * lines as {id, name} pairs (at most 10, for win-back's category affinity), in product.viewed as
 * names. A variation has no categories of its own (WooCommerce's variation data store reads none:
 * includes/data-stores/class-wc-product-variation-data-store-cpt.php, read_product_data(), checked
 * in woocommerce/woocommerce trunk for 10.5): its parent's are used.
 *
 * Cost: WC_Product::get_category_ids() is read when WooCommerce loads the product (its data store
 * calls get_the_terms(), which also fills WordPress's term cache), so naming each id with
 * get_term() is a cache hit, not a query, and each name is read once per request however many
 * lines share it. Only a variation's parent may have to be loaded.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Category ids and names of a product. */
final class Product_Categories {
	/** At most this many categories in a line (shared/src/types.ts, MAX_LINE_CATEGORIES). */
	const MAX_IN_LINE = 10;

	/** At most this many names in a product.viewed event. */
	const MAX_IN_VIEW = 50;

	/** A category name is cut to this many characters. */
	const MAX_NAME = 200;

	/** At most this many names are remembered within a request. */
	const MEMO_SIZE = 500;

	/** @var array<int, string> Term id => name ('' for none), for this request: a cart's lines share categories. */
	private static $names = array();

	/**
	 * The product's own category ids (none for a variation).
	 *
	 * @param \WC_Product $product The product.
	 * @return int[]
	 */
	public static function own_ids( $product ): array {
		return array_values( array_filter( array_map( 'intval', (array) $product->get_category_ids() ) ) );
	}

	/**
	 * Whether naming the product's categories means loading another product (a variation's parent).
	 *
	 * @param \WC_Product $product The product.
	 */
	public static function needs_parent( $product ): bool {
		return ! self::own_ids( $product ) && (int) $product->get_parent_id() > 0;
	}

	/**
	 * The categories for a line: [{id, name}], at most MAX_IN_LINE, in the product's order.
	 *
	 * @param \WC_Product $product The product or variation.
	 * @return array<int, array{id: int, name: string}>
	 */
	public static function for_line( $product ): array {
		return self::terms( self::ids( $product ), self::MAX_IN_LINE );
	}

	/**
	 * The categories for a line of the product with this id (work deferred by Payloads).
	 *
	 * @param int $product_id A product id.
	 * @return array<int, array{id: int, name: string}>
	 */
	public static function for_line_of( int $product_id ): array {
		$product = $product_id > 0 ? wc_get_product( $product_id ) : null;
		return $product ? self::for_line( $product ) : array();
	}

	/**
	 * The names of the product's categories, for product.viewed.
	 *
	 * @param \WC_Product $product The product.
	 * @return string[]
	 */
	public static function names( $product ): array {
		return array_column( self::terms( self::ids( $product ), self::MAX_IN_VIEW ), 'name' );
	}

	/**
	 * The product's category ids, a variation's being its parent's.
	 *
	 * @param \WC_Product $product The product.
	 * @return int[]
	 */
	private static function ids( $product ): array {
		$ids = self::own_ids( $product );
		if ( ! $ids && $product->get_parent_id() ) {
			$parent = wc_get_product( $product->get_parent_id() );
			$ids    = $parent ? self::own_ids( $parent ) : array();
		}
		return $ids;
	}

	/**
	 * A category's name in plain text (entities decoded, cut to MAX_NAME), or '' when there is no
	 * such category; remembered for the rest of the request.
	 *
	 * @param int $id Term id.
	 */
	private static function name( int $id ): string {
		if ( isset( self::$names[ $id ] ) ) {
			return self::$names[ $id ];
		}
		$term = get_term( $id, 'product_cat' );
		$name = $term instanceof \WP_Term ? mb_substr( trim( html_entity_decode( (string) $term->name, ENT_QUOTES, 'UTF-8' ) ), 0, self::MAX_NAME ) : '';
		if ( count( self::$names ) >= self::MEMO_SIZE ) {
			self::$names = array();
		}
		self::$names[ $id ] = $name;
		return $name;
	}

	/** Forgets the names remembered (a new request, in tests). */
	public static function forget(): void {
		self::$names = array();
	}

	/**
	 * Terms that exist, by id, each named in plain text (entities decoded, cut to MAX_NAME).
	 *
	 * @param int[] $ids Term ids.
	 * @param int   $max At most this many.
	 * @return array<int, array{id: int, name: string}>
	 */
	private static function terms( array $ids, int $max ): array {
		$out = array();
		foreach ( $ids as $id ) {
			if ( count( $out ) >= $max ) {
				break;
			}
			$name = self::name( $id );
			if ( '' !== $name ) {
				$out[] = array(
					'id'   => $id,
					'name' => $name,
				);
			}
		}
		return $out;
	}
}
