<?php
/**
 * PLACEHOLDER — being written.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** PLACEHOLDER. */
final class Capture_Views {
	/** Hooks. */
	public static function register(): void {
	}
}
