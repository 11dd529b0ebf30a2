/**
 * Cartback — blocks checkout on WooCommerce older than 9.8.
 *
 * From WooCommerce 9.8 the checkout block sends its additional fields to the server while the
 * shopper is on the page (PUT /wc/store/v1/checkout), and Cartback hears the opt-in box there.
 * Older versions keep the box in the browser until the order is placed, so this script watches the
 * box in the checkout data store and posts each change, with the phone and email typed so far, to
 * Cartback's endpoint. Loaded only on those versions.
 *
 * Configuration (wp_localize_script): window.cartbackCheckout = {url, nonce, restNonce, blockField}.
 */
(function () {
  'use strict';

  var config = window.cartbackCheckout;
  var data = window.wp && window.wp.data;
  if (!config || !data || !window.fetch) {
    return;
  }

  var last; // The box as last seen: undefined until the checkout store is ready.

  function address() {
    var cart = data.select('wc/store/cart');
    var customer = cart && cart.getCustomerData ? cart.getCustomerData() : null;
    var billing = (customer && customer.billingAddress) || {};
    var shipping = (customer && customer.shippingAddress) || {};
    return {
      phone: billing.phone || shipping.phone || '',
      email: billing.email || '',
      first_name: billing.first_name || shipping.first_name || '',
      country: billing.country || shipping.country || '',
    };
  }

  function post(ticked) {
    var body = address();
    body.phone = String(body.phone).replace(/\D/g, '').length >= 8 ? body.phone : '';
    body.email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email) ? body.email : '';
    body.optin = ticked;
    body.checkout = 'block';
    window
      .fetch(config.url, {
        method: 'POST',
        credentials: 'same-origin',
        keepalive: true,
        headers: {
          'Content-Type': 'application/json',
          'X-WP-Nonce': config.restNonce,
          'X-Cartback-Nonce': config.nonce,
        },
        body: JSON.stringify(body),
      })
      .catch(function () {});
  }

  data.subscribe(function () {
    var checkout = data.select('wc/store/checkout');
    if (!checkout || !checkout.getAdditionalFields) {
      return;
    }
    var fields = checkout.getAdditionalFields() || {};
    var ticked = fields[config.blockField] === true;
    if (last === undefined) {
      last = ticked; // The state the page opened with is not a change.
      return;
    }
    if (ticked !== last) {
      last = ticked;
      post(ticked);
    }
  });
})();
