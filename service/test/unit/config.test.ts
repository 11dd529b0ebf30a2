import { ConfigError, loadConfig } from '../../src/config';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has working defaults for everything', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: 'mysql://root@127.0.0.1:3306/cartback',
      port: 8787,
      publicBaseUrl: 'http://127.0.0.1:8787',
      secret: undefined,
      store: { timezone: 'UTC', currency: 'USD', locale: 'en' },
      whatsapp: { provider: 'cloud', apiUrl: 'https://graph.facebook.com', apiVersion: 'v24.0' },
      logLevel: 'info',
      reconcileWindowMs: 36 * 3600 * 1000,
    });
  });

  it("defaults WHATSAPP_API_URL to the provider's host, and reads the 360dialog settings", () => {
    const config = loadConfig({
      WHATSAPP_PROVIDER: '360dialog',
      WHATSAPP_ACCESS_TOKEN: 'd360-key',
      WHATSAPP_WEBHOOK_SECRET: 'a-secret-of-16-chars-or-more',
    });
    expect(config.whatsapp).toMatchObject({
      provider: '360dialog',
      apiUrl: 'https://waba-v2.360dialog.io',
      accessToken: 'd360-key',
      webhookSecret: 'a-secret-of-16-chars-or-more',
    });
    expect(loadConfig({ WHATSAPP_PROVIDER: '360dialog', WHATSAPP_API_URL: 'http://fake:8790/' }).whatsapp.apiUrl).toBe(
      'http://fake:8790',
    );
  });

  it('reads the reconcile window as an ISO 8601 duration', () => {
    expect(loadConfig({ RECONCILE_WINDOW: 'P2D' }).reconcileWindowMs).toBe(48 * 3600 * 1000);
    expect(loadConfig({ RECONCILE_WINDOW: 'PT1M' }).reconcileWindowMs).toBe(60_000);
  });

  it('reads every variable and treats empty ones as unset', () => {
    const config = loadConfig({
      PORT: '9000',
      PUBLIC_BASE_URL: 'https://cb.shop.example/',
      STORE_TIMEZONE: 'Asia/Kolkata',
      STORE_CURRENCY: 'INR',
      STORE_LOCALE: 'en_IN',
      STORE_URL: 'https://shop.example/',
      STORE_API_URL: 'http://wordpress/wp-json/cartback/v1/',
      WHATSAPP_PROVIDER: '360dialog',
      CARTBACK_SECRET: '',
    });
    expect(config).toMatchObject({
      port: 9000,
      publicBaseUrl: 'https://cb.shop.example',
      secret: undefined,
      store: { timezone: 'Asia/Kolkata', currency: 'INR', locale: 'en_IN' },
      storeUrl: 'https://shop.example',
      storeApiUrl: 'http://wordpress/wp-json/cartback/v1',
      whatsapp: { provider: '360dialog' },
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'postgres://localhost/cartback'],
    ['DATABASE_URL', 'mysql://localhost:3306/'],
    ['STORE_TIMEZONE', 'Mars/Olympus'],
    ['STORE_CURRENCY', 'RUPEES'],
    ['WHATSAPP_PROVIDER', 'pigeon'],
    ['WHATSAPP_API_VERSION', '24'],
    ['WHATSAPP_WEBHOOK_SECRET', 'short'],
    ['LOG_LEVEL', 'loud'],
    ['STORE_URL', 'shop.example'],
    ['STORE_API_URL', 'ftp://wordpress/'],
    ['LINK_RATE_LIMIT', 'lots'],
    ['LINK_RATE_LIMIT', '-1'],
    ['RESTORE_RATE_LIMIT', '1.5'],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', '11'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'proxy.example'],
    ['TRUST_PROXY', '10.0.0.1, '],
    ['RECONCILE_WINDOW', '36h'],
    ['RECONCILE_WINDOW', 'PT30S'],
    ['RECONCILE_WINDOW', 'P31D'],
    ['RECONCILE_WINDOW', 'P1M'],
    ['CARTBACK_ENCRYPTION_KEY', 'too-short'],
    ['CARTBACK_ENCRYPTION_KEY', 'ab'.repeat(31)],
  ])('names %s when it is %s', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(variable)).toBe(true);
  });

  it('refuses a short secret without repeating it', () => {
    const error = configError({ CARTBACK_SECRET: 'hunter2-hunter2' });
    expect(error.variable).toBe('CARTBACK_SECRET');
    expect(error.message).toContain('at least 32 characters');
    expect(error.message).not.toContain('hunter2');
  });

  it('limits links to 60 and restores to 600 a minute per client, and trusts no proxy, unless told', () => {
    expect(loadConfig({})).toMatchObject({
      rateLimits: { linkPerMinute: 60, restorePerMinute: 600 },
      trustProxy: null,
    });
    expect(loadConfig({ LINK_RATE_LIMIT: '0', RESTORE_RATE_LIMIT: '2000', TRUST_PROXY: '0' })).toMatchObject({
      rateLimits: { linkPerMinute: 0, restorePerMinute: 2000 },
      trustProxy: null,
    });
  });

  it.each([
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.7,fd00::/8', ['10.0.0.0/8', '192.168.1.7', 'fd00::/8']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  const WOO = {
    WOOCOMMERCE_URL: 'https://shop.example/',
    WOOCOMMERCE_CONSUMER_KEY: `ck_${'a'.repeat(40)}`,
    WOOCOMMERCE_CONSUMER_SECRET: `cs_${'b'.repeat(40)}`,
  };

  it('reads the WooCommerce REST API credentials when all three are set, and none otherwise', () => {
    expect(loadConfig(WOO).woocommerce).toEqual({
      url: 'https://shop.example',
      consumerKey: WOO.WOOCOMMERCE_CONSUMER_KEY,
      consumerSecret: WOO.WOOCOMMERCE_CONSUMER_SECRET,
    });
    expect(loadConfig({}).woocommerce).toBeUndefined();
  });

  it.each(Object.keys(WOO))('refuses the WooCommerce variables without %s, naming it and no value', (missing) => {
    const error = configError({ ...WOO, [missing]: '' });
    expect(error.variable).toBe(missing);
    expect(error.message).toContain('or none');
    expect(error.message).not.toContain(WOO.WOOCOMMERCE_CONSUMER_SECRET);
  });

  it('reads CARTBACK_ENCRYPTION_KEY as 32 bytes of hex or base64', () => {
    expect(loadConfig({}).encryptionKey).toBeUndefined();
    expect(loadConfig({ CARTBACK_ENCRYPTION_KEY: '0f'.repeat(32) }).encryptionKey).toEqual(Buffer.alloc(32, 15));
    expect(loadConfig({ CARTBACK_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64') }).encryptionKey).toEqual(
      Buffer.alloc(32, 3),
    );
  });
});
