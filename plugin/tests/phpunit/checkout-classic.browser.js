// Drives assets/js/checkout-classic.js in Debian's Chromium (CheckoutScriptTest): a classic
// checkout form served at the test site's origin, the script loaded from the site itself, typing
// and a tick by a "shopper"; prints the posts the script made as JSON.
//
//   node checkout-classic.browser.js <site url> <config json>
'use strict';
const { chromium } = require('playwright-core');

const [site, configJson] = process.argv.slice(2);
const page = `<!doctype html><html><head><meta charset="utf-8"><title>Checkout</title></head><body>
<form class="checkout woocommerce-checkout" method="post">
  <input type="text" name="billing_first_name" id="billing_first_name">
  <input type="text" name="billing_last_name" id="billing_last_name">
  <select name="billing_country" id="billing_country"><option value="IN" selected>India</option></select>
  <input type="text" name="billing_address_1" id="billing_address_1">
  <input type="text" name="billing_city" id="billing_city">
  <input type="tel" name="billing_phone" id="billing_phone">
  <input type="checkbox" name="cartback_whatsapp_optin" id="cartback_whatsapp_optin" value="1">
  <input type="email" name="billing_email" id="billing_email">
  <input type="checkbox" name="ship_to_different_address" id="ship-to-different-address-checkbox" value="1">
  <input type="text" name="shipping_first_name" id="shipping_first_name">
  <select name="shipping_country" id="shipping_country"><option value="IN" selected>India</option></select>
  <input type="text" name="shipping_address_1" id="shipping_address_1">
  <input type="text" name="shipping_city" id="shipping_city">
</form>
<script>window.cartbackCheckout = ${configJson};</script>
<script src="${site}/wp-content/plugins/cartback/assets/js/checkout-classic.js"></script>
</body></html>`;

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const posts = [];
  try {
    const tab = await browser.newPage();
    // Each post as the browser sends it (`at`: when it left, which the script decides; the PHP
    // server's speed does not move it), and its answer, waited for before the report.
    const answers = [];
    tab.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('cartback')) {
        const post = { at: Date.now(), status: 0, body: JSON.parse(request.postData() || '{}') };
        posts.push(post);
        answers.push(
          request.response().then((response) => {
            post.status = response ? response.status() : 0;
          }),
        );
      }
    });
    await tab.route(`${site}/checkout-fixture/`, (route) => route.fulfill({ contentType: 'text/html', body: page }));
    await tab.goto(`${site}/checkout-fixture/`);
    await tab.waitForFunction(() => typeof window.cartbackCheckout === 'object');
    const started = Date.now();
    await tab.type('#billing_first_name', 'Anna', { delay: 40 });
    await tab.type('#billing_last_name', 'Sharma', { delay: 40 });
    await tab.type('#billing_address_1', '12 MG Road', { delay: 40 });
    await tab.type('#billing_phone', '98123 45678', { delay: 40 });
    await tab.waitForTimeout(1200); // The shopper pauses: one post, 600 ms after the last keystroke.
    const tickAt = Date.now();
    await tab.check('#cartback_whatsapp_optin');
    await tab.waitForTimeout(300); // The tick goes at once, without waiting for the debounce.
    await tab.type('#billing_email', 'anna@example.com', { delay: 20 });
    await tab.waitForTimeout(1200);
    await tab.check('#ship-to-different-address-checkbox'); // A gift: shipped elsewhere.
    await tab.type('#shipping_first_name', 'Ravi', { delay: 20 });
    await tab.type('#shipping_address_1', '1 Residency Road', { delay: 20 });
    await tab.waitForTimeout(1200);
    await Promise.all(answers);
    process.stdout.write(JSON.stringify({ started, tickAt, posts }));
  } finally {
    await browser.close();
  }
})().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error));
  process.exit(1);
});
