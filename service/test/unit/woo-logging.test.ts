import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import { WooClient } from '../../src/woo/client';

const KEY = `ck_${'3'.repeat(40)}`;
const SECRET = `cs_${'4'.repeat(40)}`;

describe('the store key in logs', () => {
  it('never shows, whether a client, credentials or a request body is logged', () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const logger = createLogger('info', sink);
    const client = new WooClient({ url: 'https://shop.example', consumerKey: KEY, consumerSecret: SECRET });
    logger.info({ client }, 'a client');
    logger.info(
      { credentials: { url: 'https://shop.example', consumerKey: KEY, consumerSecret: SECRET } },
      'credentials',
    );
    logger.info({ body: { url: 'https://shop.example', consumer_key: KEY, consumer_secret: SECRET } }, 'a grant');
    logger.info({ consumerKey: KEY, consumerSecret: SECRET }, 'flat');
    expect(out.split('\n').filter(Boolean)).toHaveLength(4);
    expect(out).toContain('https://shop.example');
    expect(out).not.toContain(KEY.slice(3));
    expect(out).not.toContain(SECRET.slice(3));
  });
});
