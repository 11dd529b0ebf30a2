<?php
/**
 * The plugin signs exactly as the sidecar checks (shared/src/signature.ts), byte for byte.
 *
 * @package Cartback\Tests
 */

use Cartback\Signer;

/** Signatures computed in PHP are verified by the sidecar's own TypeScript. */
final class SignerTest extends Cartback_Test_Case {
	public function test_a_signature_made_in_php_passes_the_sidecars_check_and_a_changed_byte_fails_it(): void {
		$secret = 'a-shared-secret-of-at-least-32-characters!!';
		$body   = '{"events":[{"name":"Café ₹1,299"}]}';
		$now    = 1763700000;
		$sig    = Signer::sign( $secret, $now, 'post', '/v1/events?x=1', $body );
		$this->assertMatchesRegularExpression( '/^v1=[0-9a-f]{64}$/', $sig );

		$check = static function ( string $signed_body ) use ( $secret, $now, $sig ) {
			$script = 'const { verifySignature } = require(' . var_export( realpath( __DIR__ . '/../../../shared/dist/index.js' ), true ) . ');'
				. 'const [secret, sig, body, now] = process.argv.slice(1);'
				. 'process.stdout.write(JSON.stringify(verifySignature(secret, { timestamp: now, signature: sig }, { method: "POST", path: "/v1/events?x=1", body }, Number(now))));';
			$proc   = proc_open( array( 'node', '-e', $script, $secret, $sig, $signed_body, (string) $now ), array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
			$out    = stream_get_contents( $pipes[1] );
			proc_close( $proc );
			return json_decode( $out, true );
		};
		$this->assertSame( array( 'ok' => true ), $check( $body ) );
		$this->assertFalse( $check( str_replace( '1,299', '1,298', $body ) )['ok'] );
	}

	public function test_headers_carry_the_timestamp_that_was_signed(): void {
		$headers = Signer::headers( 's3cret', 'GET', '/v1/restore/abc', '', 1763700123 );
		$this->assertSame( '1763700123', $headers['X-Cartback-Timestamp'] );
		$this->assertSame( Signer::sign( 's3cret', 1763700123, 'GET', '/v1/restore/abc', '' ), $headers['X-Cartback-Signature'] );
	}

	public function test_a_request_the_sidecar_s_own_code_signed_passes_verify_and_a_changed_stale_or_missing_one_does_not(): void {
		$secret = 'a-shared-secret-of-at-least-32-characters!!';
		$path   = '/index.php?rest_route=/cartback/v1/sidecar/orders';
		$body   = '{"since":"2026-11-21T10:15:00Z","phone":"+919812345678"}';
		$now    = 1763700000;
		$script = 'const { signRequest } = require(' . var_export( realpath( __DIR__ . '/../../../shared/dist/index.js' ), true ) . ');'
			. 'const [secret, path, body, now] = process.argv.slice(1);'
			. 'process.stdout.write(signRequest(secret, { timestamp: now, method: "post", path, body }));';
		$proc   = proc_open( array( 'node', '-e', $script, $secret, $path, $body, (string) $now ), array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		$sig    = stream_get_contents( $pipes[1] );
		proc_close( $proc );
		$this->assertMatchesRegularExpression( '/^v1=[0-9a-f]{64}$/', $sig );

		$this->assertNull( Signer::verify( $secret, (string) $now, $sig, 'POST', $path, $body, $now + 299 ) );
		$this->assertSame( 'stale_timestamp', Signer::verify( $secret, (string) $now, $sig, 'POST', $path, $body, $now + 301 ) );
		$this->assertSame( 'stale_timestamp', Signer::verify( $secret, (string) $now, $sig, 'POST', $path, $body, $now - 301 ) );
		$this->assertSame( 'stale_timestamp', Signer::verify( $secret, 'soon', $sig, 'POST', $path, $body, $now ) );
		$this->assertSame( 'missing_signature', Signer::verify( $secret, null, $sig, 'POST', $path, $body, $now ) );
		$this->assertSame( 'missing_signature', Signer::verify( $secret, (string) $now, '', 'POST', $path, $body, $now ) );
		$this->assertSame( 'invalid_signature', Signer::verify( $secret, (string) $now, $sig, 'POST', '/wp-json/cartback/v1/sidecar/deliver', $body, $now ), 'another route' );
		$this->assertSame( 'invalid_signature', Signer::verify( $secret, (string) $now, $sig, 'POST', $path, str_replace( '45678', '45679', $body ), $now ), 'another body' );
		$this->assertSame( 'invalid_signature', Signer::verify( $secret . 'x', (string) $now, $sig, 'POST', $path, $body, $now ), 'another secret' );
		$this->assertSame( 'invalid_signature', Signer::verify( '', (string) $now, $sig, 'POST', $path, $body, $now ), 'no secret, no entry' );
		$this->assertSame( 'invalid_signature', Signer::verify( $secret, (string) $now, strtoupper( $sig ), 'POST', $path, $body, $now ) );
	}
}
