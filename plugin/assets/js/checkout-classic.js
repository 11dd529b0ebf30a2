/**
 * Cartback — classic (shortcode) checkout.
 *
 * WooCommerce's classic checkout sends nothing to the server until the order is placed. This
 * script posts what the shopper has typed (the billing phone, email, names and country, the
 * billing address, and the shipping address: the one under "Ship to a different address?" when
 * that is ticked, else the billing one, where WooCommerce ships to), and the WhatsApp opt-in box,
 * to Cartback's endpoint while the shopper types (600 ms after the last keystroke), and at once
 * when the box is ticked or unticked. The server only records what changed. No dependencies.
 *
 * Configuration (wp_localize_script): window.cartbackCheckout = {url, nonce, restNonce, field, delay}.
 */
(function () {
  'use strict';

  var config = window.cartbackCheckout;
  if (!config || !window.fetch || !window.JSON) {
    return;
  }

  // WooCommerce's address fields (the classic checkout asks for a phone only in billing), each
  // with the most characters the server takes: longer text is cut here rather than refused there.
  var MAX = {
    first_name: 100,
    last_name: 100,
    company: 200,
    address_1: 200,
    address_2: 200,
    city: 100,
    state: 100,
    postcode: 20,
    country: 2,
  };
  var ADDRESS = Object.keys(MAX);
  var SHIP_ELSEWHERE = 'ship_to_different_address';
  var watched = ['billing_phone', 'billing_email', SHIP_ELSEWHERE, config.field]
    .concat(
      ADDRESS.map(function (field) {
        return 'billing_' + field;
      }),
    )
    .concat(
      ADDRESS.map(function (field) {
        return 'shipping_' + field;
      }),
    );
  var timer = null;
  var lastSent = '';

  function form() {
    return document.querySelector('form.checkout');
  }

  function valueOf(name) {
    var root = form();
    var element = root ? root.querySelector('[name="' + name + '"]') : null;
    return element && typeof element.value === 'string' ? element.value.trim() : '';
  }

  function optin() {
    var root = form();
    var box = root ? root.querySelector('input[name="' + config.field + '"]') : null;
    return box ? box.checked : null;
  }

  function checked(name) {
    var root = form();
    var box = root ? root.querySelector('input[name="' + name + '"]') : null;
    return !!box && box.checked;
  }

  function phoneOrEmpty(phone) {
    return phone.replace(/\D/g, '').length >= 8 ? phone : '';
  }

  function countryOrEmpty(country) {
    return /^[A-Za-z]{2}$/.test(country) ? country : '';
  }

  // One address form's fields as typed, cut to what the server takes.
  function address(group) {
    var fields = {};
    ADDRESS.forEach(function (field) {
      fields[field] =
        field === 'country'
          ? countryOrEmpty(valueOf(group + '_country'))
          : valueOf(group + '_' + field).slice(0, MAX[field]);
    });
    return fields;
  }

  // Half-typed values are left out rather than refused by the server.
  function payload() {
    var phone = phoneOrEmpty(valueOf('billing_phone'));
    var email = valueOf('billing_email');
    var billing = address('billing');
    billing.phone = phone;
    var shipping = checked(SHIP_ELSEWHERE) ? address('shipping') : Object.assign({}, billing);
    var body = {
      phone: phone,
      email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : '',
      first_name: billing.first_name,
      last_name: billing.last_name,
      country: billing.country,
      billing: billing,
      shipping: shipping,
      checkout: 'classic',
    };
    var box = optin();
    if (box !== null) {
      body.optin = box;
    }
    return body;
  }

  function send() {
    window.clearTimeout(timer);
    timer = null;
    var body = payload();
    if (!body.phone && !body.email && body.optin === undefined) {
      return;
    }
    var json = JSON.stringify(body);
    if (json === lastSent) {
      return;
    }
    lastSent = json;
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
        body: json,
      })
      .then(
        function (response) {
          if (!response.ok && response.status !== 400) {
            lastSent = ''; // Try again with the next change.
          }
        },
        function () {
          lastSent = '';
        },
      );
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(send, Number(config.delay) || 600);
  }

  function isWatched(target) {
    return !!target && watched.indexOf(target.name) !== -1;
  }

  document.addEventListener('input', function (event) {
    if (isWatched(event.target)) {
      schedule();
    }
  });
  document.addEventListener('change', function (event) {
    if (!isWatched(event.target)) {
      return;
    }
    if (event.target.name === config.field) {
      send(); // The tick itself goes out at once.
    } else {
      schedule();
    }
  });
  // Leaving the page: whatever is still waiting goes now.
  window.addEventListener('pagehide', function () {
    if (timer) {
      send();
    }
  });
})();
