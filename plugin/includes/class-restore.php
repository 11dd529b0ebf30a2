<?php
/**
 * Restore links (DESIGN.md, "Links, coupons and attribution"): /?cartback_restore=<token> asks the
 * sidecar (signed GET /v1/restore/<token>) for the cart behind the token, rebuilds it in the
 * visitor's session, applies the coupon, fills in what the shopper typed at checkout (contact,
 * billing and shipping addresses; never over what the visitor has), shows the WhatsApp opt-in as
 * the contact's consent stands now, makes the browser a known one (Known_Browser) while the
 * contact's marketing consent is current, and sends them to the checkout — with the UTM
 * parameters and the session memory that tag the order the visit brings (Restore_Attribution).
 * Never logs anyone in; the plugin's own cart changes are not captured as events.
 *
 * A browse or win-back link's answer says `"mode": "add"` and where to `open` ("checkout" or
 * "cart"): its products (the ones the message offered) are ADDED to the visitor's cart, which
 * keeps everything it holds — one of each, and none already in it — then the checkout (browse:
 * the button put the product in the cart) or the cart page (win-back: several products, the
 * shopper chooses). That addition is the shopper's own tap, so it is captured like any cart
 * change of theirs (their cart, their cart key) — once, in the request's one snapshot; the
 * message's coupon is applied after the lines, with capture off, so it adds no change of its own.
 * An answer without `mode` is a cart link's: the cart is replaced, as before. In both modes a
 * coupon WooCommerce refuses (expired, used up, not this shopper's) leaves the cart restored; the
 * shopper sees WooCommerce's own notice saying why.
 *
 * @package Cartback
 */

namespace Cartback;

defined( 'ABSPATH' ) || exit;

/** Rebuilds a cart from a restore token. */
final class Restore {
	const QUERY_VAR = 'cartback_restore';

	/** Restore tokens are URL-safe base64 or hex; the sidecar's are 43 characters (256 bits). */
	const TOKEN_PATTERN = '/^[A-Za-z0-9_-]{22,128}$/';

	/** No line is restored with more than this quantity. */
	const MAX_QUANTITY = 10000;

	/** WC session: the restored shipping address is not the billing one (the classic checkout's "Ship to a different address?"). */
	const SESSION_SHIP_ELSEWHERE = 'cartback_restored_ship_elsewhere';

	/** Hooks. */
	public static function register(): void {
		add_action( 'wp_loaded', array( self::class, 'maybe_restore' ), 20 );
		add_filter( 'woocommerce_ship_to_different_address_checked', array( self::class, 'ship_to_different_address' ) );
	}

	/** On a restore link: restores, then redirects and ends the request. */
	public static function maybe_restore(): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a link opened from a message: the token is the credential.
		if ( ! isset( $_GET[ self::QUERY_VAR ] ) || is_admin() || wp_doing_ajax() ) {
			return;
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended
		$url = self::handle( sanitize_text_field( wp_unslash( (string) $_GET[ self::QUERY_VAR ] ) ) );
		/**
		 * Whether to redirect and exit after a restore (tests call handle() instead).
		 *
		 * @param bool   $redirect Redirect and exit.
		 * @param string $url      Where to.
		 */
		if ( apply_filters( 'cartback_restore_redirect', true, $url ) ) {
			nocache_headers();
			wp_safe_redirect( $url );
			exit;
		}
	}

	/**
	 * Restores the cart behind a token.
	 *
	 * @param string $token The token from the link.
	 * @return string Where to send the visitor: the checkout (or the cart page) with the UTM
	 *                parameters of the link's message, or the cart page with a notice.
	 */
	public static function handle( string $token ): string {
		if ( ! preg_match( self::TOKEN_PATTERN, $token ) || ! function_exists( 'WC' ) || ! WC()->cart || ! WC()->session ) {
			return self::fail( __( 'This link is not valid. Your cart may still be here.', 'cartback' ) );
		}
		$answer = Sidecar_Client::request( 'GET', '/v1/restore/' . $token, null, 5 );
		if ( ! $answer['ok'] ) {
			return self::fail(
				404 === $answer['status']
					? __( 'This link has expired or is not valid. Your cart may still be here.', 'cartback' )
					: __( 'Your cart could not be restored just now. Please try the link again in a moment.', 'cartback' )
			);
		}
		$body  = is_array( $answer['body'] ) ? $answer['body'] : array();
		$add   = 'add' === ( $body['mode'] ?? null );
		$lines = self::lines( $body['cart']['lines'] ?? null );
		if ( ! $lines ) {
			return self::fail(
				$add
					? __( 'These products are no longer available. Have a look around the shop.', 'cartback' )
					: __( 'This cart is empty now. Have a look around the shop.', 'cartback' )
			);
		}
		if ( ! WC()->session->has_session() ) {
			WC()->session->set_customer_session_cookie( true );
		}
		$missing = $add
			? self::add_offer( $body, $lines )
			: Events::without_capture(
				static function () use ( $body, $lines ) {
					return self::rebuild( $body, $lines );
				}
			);
		self::recognise_browser( $body );
		$attribution = Restore_Attribution::from_answer( $body );
		Restore_Attribution::remember( $attribution );
		if ( $missing ) {
			wc_add_notice(
				/* translators: %s: product names, comma separated. */
				sprintf( __( 'Some items could not be added back to your cart: %s.', 'cartback' ), implode( ', ', $missing ) ),
				'error'
			);
		}
		// Nothing to check out (every offered product is gone, the cart was empty): the cart page says why.
		$url = $add && ( 'cart' === ( $body['open'] ?? null ) || WC()->cart->is_empty() ) ? wc_get_cart_url() : wc_get_checkout_url();
		return Restore_Attribution::tag_url( $url, $attribution );
	}

	/**
	 * Adds each offered line the visitor's cart does not hold yet, quantity 1, keeping the cart as
	 * it is otherwise (no cart key: the cart stays the visitor's own), fills in the checkout's empty
	 * fields, then applies the message's coupon.
	 *
	 * @param array $body  The sidecar's answer.
	 * @param array $lines Valid lines.
	 * @return string[] Names of the lines that could not be added.
	 */
	private static function add_offer( array $body, array $lines ): array {
		$cart = WC()->cart;
		$held = array();
		foreach ( $cart->get_cart() as $item ) {
			$held[ (int) ( $item['product_id'] ?? 0 ) . ':' . (int) ( $item['variation_id'] ?? 0 ) ] = true;
		}
		$missing = array();
		foreach ( $lines as $line ) {
			if ( isset( $held[ $line['product_id'] . ':' . $line['variation_id'] ] ) ) {
				continue;
			}
			$held[ $line['product_id'] . ':' . $line['variation_id'] ] = true;
			if ( false === $cart->add_to_cart( $line['product_id'], 1, $line['variation_id'], self::variation_of( $line ) ) ) {
				$missing[] = $line['name'];
			}
		}
		Restore_Prefill::apply( $body );
		// Applied after the billing email is filled in (WooCommerce checks a coupon's allowed emails
		// against it); the plugin's own change, so not captured: the shopper's adds are, once.
		Events::without_capture(
			static function () use ( $body ): void {
				self::apply_coupon( $body );
			}
		);
		$cart->calculate_totals(); // Also stores the cart in the session.
		return $missing;
	}

	/**
	 * Applies the answer's coupon (`coupon`: a code, or null) to a cart with something in it,
	 * unless it is applied already. WooCommerce may refuse it (expired, used up, not this
	 * shopper's): then apply_coupon() adds its own error notice, which the shopper sees, and the
	 * cart stays as restored.
	 *
	 * @param array $body The sidecar's answer.
	 */
	private static function apply_coupon( array $body ): void {
		$coupon = $body['coupon'] ?? null;
		$cart   = WC()->cart;
		if ( ! is_string( $coupon ) || '' === trim( $coupon ) || $cart->is_empty() ) {
			return;
		}
		$coupon = sanitize_text_field( $coupon );
		if ( in_array( wc_format_coupon_code( $coupon ), (array) $cart->get_applied_coupons(), true ) ) {
			return;
		}
		$cart->apply_coupon( $coupon );
	}

	/**
	 * A variation's attributes, for add_to_cart(); none for a simple product.
	 *
	 * @param array $line A valid line.
	 */
	private static function variation_of( array $line ): array {
		$product = $line['variation_id'] ? wc_get_product( $line['variation_id'] ) : null;
		return $product && is_callable( array( $product, 'get_variation_attributes' ) ) ? (array) $product->get_variation_attributes() : array();
	}

	/**
	 * Empties the cart, adds the lines back, fills the checkout in again, then applies the coupon.
	 *
	 * @param array $body  The sidecar's answer.
	 * @param array $lines Valid lines.
	 * @return string[] Names of the lines that could not be added.
	 */
	private static function rebuild( array $body, array $lines ): array {
		$cart = WC()->cart;
		$cart->empty_cart();
		$missing = array();
		foreach ( $lines as $line ) {
			if ( false === $cart->add_to_cart( $line['product_id'], $line['quantity'], $line['variation_id'], self::variation_of( $line ) ) ) {
				$missing[] = $line['name'];
			}
		}
		$cart_key = $body['cart']['cart_key'] ?? '';
		if ( is_string( $cart_key ) && preg_match( '/^[A-Za-z0-9_-]{1,64}$/', $cart_key ) ) {
			// The restored cart is the same cart: later snapshots continue it in the sidecar.
			WC()->session->set( Session_Keys::CART_KEY, $cart_key );
		}
		Restore_Prefill::apply( $body );
		// After the billing email is filled in: WooCommerce checks a coupon's allowed emails against
		// it when the coupon is applied (a real store refused an email-restricted code applied first).
		self::apply_coupon( $body );
		$cart->calculate_totals(); // Also stores the rebuilt cart in the session.
		return $missing;
	}

	/**
	 * A Cartback link opened: the browser becomes the contact's (Known_Browser) when the sidecar
	 * says their marketing consent is current and the checkout now goes by their phone; a link to
	 * someone who has since withdrawn, an answer from a sidecar that does not say, or a visitor
	 * whose own phone is in the form (a forwarded link, say) ties nothing.
	 *
	 * @param array $body The sidecar's answer: contact {phone, email}, consent {marketing, utility}.
	 */
	private static function recognise_browser( array $body ): void {
		$phone = $body['contact']['phone'] ?? null;
		$email = $body['contact']['email'] ?? null;
		if ( ! is_string( $phone ) || ! preg_match( '/^\+[1-9]\d{6,14}$/', $phone ) || true !== ( $body['consent']['marketing'] ?? null ) ) {
			return;
		}
		if ( ! WC()->customer || Restore_Prefill::phone_in_form( WC()->customer ) !== $phone ) {
			return;
		}
		Known_Browser::link( $phone, is_string( $email ) && is_email( $email ) ? strtolower( $email ) : null, 'restore' );
	}

	/**
	 * The classic checkout's "Ship to a different address?" is ticked when the restored shipping
	 * address is not the billing one, so the shopper sees it as they typed it.
	 *
	 * @param mixed $checked 1 or 0 (WooCommerce's default from its "ship to" setting).
	 * @return mixed
	 */
	public static function ship_to_different_address( $checked ) {
		$session = function_exists( 'WC' ) ? WC()->session : null;
		if ( ! $session || true !== $session->get( self::SESSION_SHIP_ELSEWHERE ) || ! WC()->customer ) {
			return $checked;
		}
		$customer = WC()->customer;
		return Checkout_Address::differ( Checkout_Address::from_customer( $customer, 'billing' ), Checkout_Address::from_customer( $customer, 'shipping' ) ) ? 1 : $checked;
	}

	/**
	 * The lines worth adding: a product id and a quantity, each sane.
	 *
	 * @param mixed $lines The sidecar's lines.
	 * @return array<int, array{product_id: int, variation_id: int, quantity: int, name: string}>
	 */
	private static function lines( $lines ): array {
		$valid = array();
		foreach ( is_array( $lines ) ? $lines : array() as $line ) {
			$product_id = is_array( $line ) ? (int) ( $line['product_id'] ?? 0 ) : 0;
			$quantity   = is_array( $line ) ? (int) ( $line['quantity'] ?? 0 ) : 0;
			if ( $product_id < 1 || $quantity < 1 ) {
				continue;
			}
			$name    = is_string( $line['name'] ?? null ) && '' !== $line['name'] ? sanitize_text_field( $line['name'] ) : '#' . $product_id;
			$valid[] = array(
				'product_id'   => $product_id,
				'variation_id' => max( 0, (int) ( $line['variation_id'] ?? 0 ) ),
				'quantity'     => min( self::MAX_QUANTITY, $quantity ),
				'name'         => $name,
			);
		}
		return $valid;
	}

	/**
	 * An error notice, and the cart page.
	 *
	 * @param string $message What the visitor reads.
	 */
	private static function fail( string $message ): string {
		// WooCommerce keeps notices in the session, and saves a session only for a visitor who has
		// one: a phone opening the link has never been to the store, so start it, or the notice is
		// lost at the redirect and the shopper sees an empty cart with no word of why.
		if ( function_exists( 'WC' ) && WC()->session && ! WC()->session->has_session() ) {
			WC()->session->set_customer_session_cookie( true );
		}
		if ( function_exists( 'wc_add_notice' ) ) {
			wc_add_notice( $message, 'error' );
		}
		return function_exists( 'wc_get_cart_url' ) ? wc_get_cart_url() : home_url( '/' );
	}
}
