<?php
/**
 * PHPUnit bootstrap: a real WordPress (Debian's package) on a fresh MariaDB database, with the
 * plugin active and the WooCommerce TEST DOUBLE as a must-use plugin, loaded into this process.
 * The site is also served over HTTP by `php -S` when a test needs real requests (see Site).
 *
 * @package Cartback\Tests
 */

// WordPress expects to be loaded at global scope: declare the globals its files assign.
global $wpdb, $table_prefix, $wp_version, $wp_rewrite, $wp, $wp_query, $wp_the_query, $wp_roles, $wp_locale, $shortcode_tags, $wp_embed, $wp_widget_factory, $current_site, $current_blog, $phpmailer, $wp_theme_directories, $wp_db_version, $tinymce_version, $required_php_version, $required_mysql_version, $wp_local_package, $pagenow, $wp_plugin_paths, $wp_scripts, $wp_styles, $allowedposttags, $allowedtags, $allowedentitynames;

require_once __DIR__ . '/support/class-site.php';
require_once __DIR__ . '/support/class-sidecar.php';
require_once __DIR__ . '/support/class-test-case.php';

Cartback_Test_Site::create_and_load();
