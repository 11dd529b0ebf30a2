import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * OAuth 1.0a one-legged signatures as WooCommerce checks them on plain http
 * (WC_REST_Authentication::check_oauth_signature): HMAC-SHA256 (or -SHA1) over
 * `METHOD&<encoded base URL>&<encoded sorted parameters>`, keyed with `<consumer secret>&`.
 * Part of the test double (fake-woo), not of the sidecar.
 */

/** RFC 3986 percent-encoding, as OAuth wants it (encodeURIComponent leaves !'()* alone). */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Whether the request's `oauth_signature` matches its other parameters under `secret`. */
export function oauthSignatureValid(method: string, url: URL, secret: string): boolean {
  // As PHP's $_GET reads a query: a repeated name keeps its last value. The JS library sends its
  // query twice (in the URL and again beside the OAuth parameters); WooCommerce signs each once.
  const params = [...new Map(url.searchParams.entries())];
  const given = params.find(([k]) => k === 'oauth_signature')?.[1];
  const algorithm = params.find(([k]) => k === 'oauth_signature_method')?.[1];
  const hash = algorithm === 'HMAC-SHA256' ? 'sha256' : algorithm === 'HMAC-SHA1' ? 'sha1' : null;
  if (!given || !hash) return false;
  const normalized = params
    .filter(([k]) => k !== 'oauth_signature')
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([ka, va], [kb, vb]) => (ka === kb ? (va < vb ? -1 : va > vb ? 1 : 0) : ka < kb ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = `${method.toUpperCase()}&${encode(`${url.protocol}//${url.host}${url.pathname}`)}&${encode(normalized)}`;
  const expected = createHmac(hash, `${encode(secret)}&`)
    .update(base)
    .digest();
  const actual = Buffer.from(given, 'base64');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
