<?php
/**
 * PLACEHOLDER — being written.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** PLACEHOLDER. */
final class Consent {
	/** Hooks. */
	public static function register(): void {
	}
}
