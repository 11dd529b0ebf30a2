<?php
/**
 * PLACEHOLDER — being written.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** PLACEHOLDER. */
final class Admin_Page {
	/** Hooks. */
	public static function register(): void {
	}
}
