<?php
/**
 * WooCommerce TEST DOUBLE: the part of Action Scheduler (which ships inside WooCommerce) that
 * Cartback calls, with its function signatures. Scheduled actions are only recorded, in an
 * option, so tests can see what is scheduled; nothing runs them (tests call the job directly).
 *
 * @package Cartback\Tests
 */

/** The recorded actions: list of {hook, args, group, interval, timestamp}. */
function wc_test_double_scheduled_actions() {
	return get_option( 'wc_test_double_action_scheduler', array() );
}

/** Double of as_schedule_recurring_action(). */
function as_schedule_recurring_action( $timestamp, $interval_in_seconds, $hook, $args = array(), $group = '', $unique = false, $priority = 10 ) {
	$actions   = wc_test_double_scheduled_actions();
	$actions[] = array(
		'hook'      => $hook,
		'args'      => $args,
		'group'     => $group,
		'interval'  => $interval_in_seconds,
		'timestamp' => $timestamp,
	);
	update_option( 'wc_test_double_action_scheduler', $actions, false );
	return count( $actions );
}

/** Double of as_has_scheduled_action(). */
function as_has_scheduled_action( $hook, $args = null, $group = '' ) {
	foreach ( wc_test_double_scheduled_actions() as $action ) {
		if ( $action['hook'] === $hook && ( null === $args || $action['args'] === $args ) && ( '' === $group || $action['group'] === $group ) ) {
			return true;
		}
	}
	return false;
}

/** Double of as_unschedule_all_actions(). */
function as_unschedule_all_actions( $hook, $args = array(), $group = '' ) {
	$kept = array_values(
		array_filter(
			wc_test_double_scheduled_actions(),
			static function ( $action ) use ( $hook, $group ) {
				return ! ( $action['hook'] === $hook && ( '' === $group || $action['group'] === $group ) );
			}
		)
	);
	update_option( 'wc_test_double_action_scheduler', $kept, false );
}
