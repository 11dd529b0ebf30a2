<?php
/**
 * PLACEHOLDER — being written.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** PLACEHOLDER. */
final class Privacy {
	/** Hooks. */
	public static function register(): void {
	}
}
