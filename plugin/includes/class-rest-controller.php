<?php
/**
 * PLACEHOLDER — being written.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** PLACEHOLDER. */
final class Rest_Controller {
	/** Hooks. */
	public static function register(): void {
	}
}
