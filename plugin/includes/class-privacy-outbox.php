<?php
/**
 * Finds and deletes the outbox rows about one person (for the privacy exporter and eraser): rows
 * whose event names their email address, then rows naming the phones those rows (or their account)
 * carry. Reads the outbox table directly: Outbox itself only knows rows by delivery state.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Person-shaped queries on the outbox, and its rows as export items. */
final class Privacy_Outbox {
	/** A safety bound on rows per lookup. */
	const MAX_ROWS = 5000;

	/** The export group of these rows. */
	const EXPORT_GROUP = 'cartback-outbox';

	/**
	 * The rows about a person, oldest first, and the phones found on them.
	 *
	 * @param string   $email  Email address.
	 * @param string[] $phones Phones already known to be theirs (E.164).
	 * @return array{rows: array<int, array{id: int, event: array, state: string}>, phones: string[]}
	 */
	public static function find( string $email, array $phones = array() ): array {
		$email = strtolower( trim( $email ) );
		$rows  = '' === $email ? array() : self::rows_naming( $email );
		foreach ( $rows as $row ) {
			$phone = $row['event']['data']['phone'] ?? null;
			if ( is_string( $phone ) && preg_match( '/^\+[1-9]\d{6,14}$/', $phone ) ) {
				$phones[] = $phone;
			}
		}
		$phones = array_values( array_unique( $phones ) );
		foreach ( $phones as $phone ) {
			$rows += self::rows_naming( $phone );
		}
		ksort( $rows );
		return array(
			'rows'   => array_values( $rows ),
			'phones' => $phones,
		);
	}

	/**
	 * Deletes rows by id.
	 *
	 * @param int[] $ids Row ids.
	 * @return int Rows deleted.
	 */
	public static function delete( array $ids ): int {
		return Outbox::delete_rows( $ids );
	}


	/**
	 * One WordPress export item for a row found by find().
	 *
	 * @param array $row id, event, state.
	 */
	public static function export_item( array $row ): array {
		$event  = $row['event'];
		$states = array(
			'queued'    => __( 'Not yet', 'cartback' ),
			'delivered' => __( 'Yes', 'cartback' ),
			'rejected'  => __( 'No, refused as invalid', 'cartback' ),
		);
		$data   = array(
			array(
				'name'  => __( 'Event', 'cartback' ),
				'value' => (string) ( $event['type'] ?? '' ),
			),
			array(
				'name'  => __( 'Recorded at', 'cartback' ),
				'value' => (string) ( $event['occurred_at'] ?? '' ),
			),
			array(
				'name'  => __( 'Sent to the Cartback server', 'cartback' ),
				'value' => $states[ $row['state'] ],
			),
		);
		$labels = self::labels();
		foreach ( (array) ( $event['data'] ?? array() ) as $key => $value ) {
			if ( isset( $labels[ $key ] ) && is_scalar( $value ) ) {
				$data[] = array(
					'name'  => $labels[ $key ],
					'value' => (string) $value,
				);
			} elseif ( 'lines' === $key && is_array( $value ) ) {
				$names  = array_map(
					static function ( $line ) {
						return is_array( $line ) ? sprintf( '%s × %d', (string) ( $line['name'] ?? '' ), (int) ( $line['quantity'] ?? 0 ) ) : '';
					},
					$value
				);
				$data[] = array(
					'name'  => __( 'Items', 'cartback' ),
					'value' => implode( ', ', array_filter( $names ) ),
				);
			}
		}
		return array(
			'group_id'    => self::EXPORT_GROUP,
			'group_label' => __( 'Cartback events on this site', 'cartback' ),
			'item_id'     => self::EXPORT_GROUP . '-' . $row['id'],
			'data'        => $data,
		);
	}

	/** Labels of the event fields an export shows. */
	private static function labels(): array {
		return array(
			'phone'          => __( 'Phone', 'cartback' ),
			'email'          => __( 'Email', 'cartback' ),
			'first_name'     => __( 'First name', 'cartback' ),
			'country'        => __( 'Country', 'cartback' ),
			'scope'          => __( 'Consent scope', 'cartback' ),
			'source'         => __( 'Where the choice was made', 'cartback' ),
			'text'           => __( 'Checkbox text', 'cartback' ),
			'text_version'   => __( 'Checkbox text version', 'cartback' ),
			'cart_key'       => __( 'Cart', 'cartback' ),
			'order_id'       => __( 'Order', 'cartback' ),
			'status'         => __( 'Order status', 'cartback' ),
			'customer_id'    => __( 'Customer ID', 'cartback' ),
			'channel'        => __( 'Channel', 'cartback' ),
			'payment_method' => __( 'Payment method', 'cartback' ),
		);
	}

	/**
	 * Rows whose event carries $value as a whole JSON string (so "anna@x.com" does not match
	 * "hanna@x.com"), confirmed by decoding.
	 *
	 * @param string $value An email (lower-cased) or an E.164 phone.
	 * @return array<int, array{id: int, event: array, state: string}> By row id.
	 */
	private static function rows_naming( string $value ): array {
		$results = Outbox::rows_containing( (string) wp_json_encode( $value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ), self::MAX_ROWS );
		$rows = array();
		foreach ( (array) $results as $result ) {
			$event = json_decode( (string) $result->payload, true );
			if ( ! is_array( $event ) || ! self::names( $event['data'] ?? null, $value ) ) {
				continue;
			}
			$state                     = null !== $result->delivered_at ? 'delivered' : ( null !== $result->rejected_at ? 'rejected' : 'queued' );
			$rows[ (int) $result->id ] = array(
				'id'    => (int) $result->id,
				'event' => $event,
				'state' => $state,
			);
		}
		return $rows;
	}

	/**
	 * Whether some string in $data equals $value (case-insensitively).
	 *
	 * @param mixed  $data  Event data.
	 * @param string $value Lower-cased email or phone.
	 */
	private static function names( $data, string $value ): bool {
		if ( is_string( $data ) ) {
			return strtolower( $data ) === $value;
		}
		if ( is_array( $data ) ) {
			foreach ( $data as $item ) {
				if ( self::names( $item, $value ) ) {
					return true;
				}
			}
		}
		return false;
	}
}
