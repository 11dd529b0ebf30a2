/**
 * Cartback — classic (shortcode) checkout.
 *
 * WooCommerce's classic checkout sends nothing to the server until the order is placed. This
 * script posts the billing phone, email, first name and country, and the WhatsApp opt-in box, to
 * Cartback's endpoint while the shopper types (600 ms after the last keystroke), and at once when
 * the box is ticked or unticked. The server only records what changed. No dependencies.
 *
 * Configuration (wp_localize_script): window.cartbackCheckout = {url, nonce, restNonce, field, delay}.
 */
(function () {
  'use strict';

  var config = window.cartbackCheckout;
  if (!config || !window.fetch || !window.JSON) {
    return;
  }

  var watched = ['billing_phone', 'billing_email', 'billing_first_name', 'billing_country', config.field];
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

  // Half-typed values are left out rather than refused by the server.
  function payload() {
    var phone = valueOf('billing_phone');
    var email = valueOf('billing_email');
    var body = {
      phone: phone.replace(/\D/g, '').length >= 8 ? phone : '',
      email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : '',
      first_name: valueOf('billing_first_name').slice(0, 100),
      country: /^[A-Za-z]{2}$/.test(valueOf('billing_country')) ? valueOf('billing_country') : '',
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
