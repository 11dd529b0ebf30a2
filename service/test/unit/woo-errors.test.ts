import { AxiosError, AxiosHeaders } from 'axios';
import { errorFromReply, toWooError, WooError, WooUnreachableError } from '../../src/woo/errors';
import { idChunks, totalPages } from '../../src/woo/paging';

const KEY = `ck_${'1'.repeat(40)}`;
const SECRET = `cs_${'2'.repeat(40)}`;

/** An axios error as axios builds it: its config carries the URL (OAuth key) and Basic credentials. */
function axiosError(code: string | undefined, response?: { status: number; data: unknown }): AxiosError {
  const config = {
    url: `http://shop.example/wp-json/wc/v3/products?oauth_consumer_key=${KEY}`,
    auth: { username: KEY, password: SECRET },
    headers: new AxiosHeaders(),
  };
  return new AxiosError('boom', code, config, {}, response && { ...response, statusText: '', headers: {}, config });
}

describe('WooCommerce REST API errors', () => {
  it.each([
    [401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.'],
    [401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'],
    [404, 'woocommerce_rest_shop_coupon_invalid_id', 'Invalid ID.'],
    [400, 'rest_invalid_param', 'Invalid parameter(s): per_page'],
    [400, 'woocommerce_rest_coupon_code_already_exists', 'The coupon code already exists'],
    [500, 'internal_server_error', 'There has been a critical error on this website.'],
  ])('a %i with WordPress error %s is a WooError with that status and code', (status, code, message) => {
    const error = toWooError(axiosError('ERR_BAD_REQUEST', { status, data: { code, message, data: { status } } }));
    expect(error).toBeInstanceOf(WooError);
    expect(error).toMatchObject({ status, code, message });
  });

  it.each([
    ['a proxy error page', 502, '<html><body>Bad Gateway</body></html>'],
    ['a redirect', 301, ''],
    ['JSON without a code', 500, { error: 'x' }],
    ['an empty code', 403, { code: '', message: 'no' }],
  ])('%s is no answer (bad_response), keeping the status', (_case, status, data) => {
    const error = errorFromReply(status, data);
    expect(error).toBeInstanceOf(WooUnreachableError);
    expect(error).toMatchObject({ reason: 'bad_response', status });
  });

  it.each([
    ['ECONNABORTED', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['ECONNREFUSED', 'network'],
    ['ENOTFOUND', 'network'],
    ['ECONNRESET', 'network'],
    [undefined, 'network'],
  ])('axios %s without a reply is unreachable (%s)', (code, reason) => {
    const error = toWooError(axiosError(code));
    expect(error).toBeInstanceOf(WooUnreachableError);
    expect((error as WooUnreachableError).reason).toBe(reason);
  });

  it('never carries the key, the secret or the URL, whatever the failure', () => {
    for (const original of [
      axiosError('ECONNREFUSED'),
      axiosError('ERR_BAD_REQUEST', {
        status: 401,
        data: { code: 'woocommerce_rest_authentication_error', message: 'x' },
      }),
      axiosError('ERR_BAD_RESPONSE', { status: 502, data: 'bad gateway' }),
    ]) {
      const error = toWooError(original);
      const seen = JSON.stringify({ ...error, message: error.message, stack: error.stack, cause: error.cause });
      expect(seen).not.toContain(KEY);
      expect(seen).not.toContain(SECRET);
      expect(seen).not.toContain('shop.example');
    }
  });
});

describe('paging', () => {
  it('chunks distinct positive ids in first-seen order', () => {
    expect(idChunks([3, 1, 3, 0, -2, 1.5, 2, 5, 4], 2)).toEqual([[3, 1], [2, 5], [4]]);
    expect(idChunks([], 100)).toEqual([]);
  });

  it.each([
    ['3', 3],
    [['2'], 2],
    [undefined, 1],
    ['', 1],
    ['0', 1],
    ['abc', 1],
    ['99999999', 1000],
  ])('reads X-WP-TotalPages %p as %i', (header, pages) => {
    expect(totalPages(header)).toBe(pages);
  });
});
