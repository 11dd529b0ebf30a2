<?php
/**
 * One side of `npm run bench:plugin`, run inside a test site by env/wp-run.php:
 * simulates storefront requests that change a cart — add two products, change a quantity, end
 * the request (`shutdown`, where the plugin writes its one snapshot) — and prints per-request
 * timings as JSON. Run once on a site with Cartback active and once on one without it.
 *
 * @package Cartback\Bench
 */

$iterations = (int) getenv( 'CARTBACK_BENCH_ITERATIONS' ) ?: 2000;
$warmup     = (int) ( $iterations / 10 );
$http_calls = 0;
add_filter(
	'pre_http_request',
	static function ( $pre ) use ( &$http_calls ) {
		++$http_calls;
		return $pre;
	}
);
wc_test_double_product( array( 'id' => 42, 'name' => 'Handloom cotton kurta', 'price' => '1299.00', 'sku' => 'KURTA-M' ) );
wc_test_double_product( array( 'id' => 43, 'name' => 'Block-print dupatta', 'price' => '499.50', 'sku' => 'DUP-1' ) );
// The shutdown callbacks WordPress itself registers run in both modes; keep only output flushing quiet.
remove_action( 'shutdown', 'wp_ob_end_flush_all', 1 );

global $wpdb;
$times   = array();
$queries = 0;
for ( $i = 0; $i < $iterations + $warmup; $i++ ) {
	WC()->reset_shopper( 0 );
	$before = $wpdb->num_queries;
	$start  = hrtime( true );
	$key    = WC()->cart->add_to_cart( 42, 1 );
	WC()->cart->add_to_cart( 43, 2 );
	WC()->cart->set_quantity( $key, 2 );
	do_action( 'shutdown' );
	$elapsed = hrtime( true ) - $start;
	if ( $i >= $warmup ) {
		$times[]  = $elapsed;
		$queries += $wpdb->num_queries - $before;
	}
}
sort( $times );
$n = count( $times );
echo wp_json_encode(
	array(
		'active'           => class_exists( '\Cartback\Plugin' ),
		'requests'         => $n,
		'median_us'        => $times[ (int) ( $n / 2 ) ] / 1000,
		'p90_us'           => $times[ (int) ( $n * 0.9 ) ] / 1000,
		'p99_us'           => $times[ (int) ( $n * 0.99 ) ] / 1000,
		'mean_us'          => array_sum( $times ) / $n / 1000,
		'queries_per_req'  => $queries / $n,
		'http_calls'       => $http_calls,
	)
), "\n";
