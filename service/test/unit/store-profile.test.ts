import { nextStoreProfile } from '../../src/ingest/decide';
import { planBatch } from '../../src/ingest/plan';
import { effectiveStore } from '../../src/store/profile';
import { event } from '../support/events';

const now = new Date('2026-11-22T00:00:00Z');
const defaults = { timeZone: 'UTC', currency: 'USD', locale: 'en', storeUrl: 'https://shop.example/' };

describe('the store profile (store.updated)', () => {
  it('plans the newest store.updated of a batch, whatever order they come in', () => {
    const older = event('store.updated', { time_zone: 'UTC' }, '2026-11-21T10:00:00Z');
    const newer = event('store.updated', { time_zone: 'Asia/Kolkata' }, '2026-11-21T11:00:00Z');
    expect(planBatch([newer, older], now).storeProfile).toMatchObject({ eventId: newer.id });
    expect(planBatch([older, newer], now).storeProfile).toMatchObject({ eventId: newer.id });
    expect(planBatch([event('cart.emptied')], now).storeProfile).toBeNull();
  });

  it('replaces the stored profile only with a newer report', () => {
    const fact = planBatch([event('store.updated', {}, '2026-11-21T10:15:00Z')], now).storeProfile!;
    const row = nextStoreProfile({ profile_at: null, profile_event_id: null }, fact, now);
    expect(row).toMatchObject({
      name: 'Helivex Handlooms',
      url: 'https://shop.example',
      timezone: 'Asia/Kolkata',
      currency: 'INR',
      locale: 'en_IN',
      api_url: 'https://shop.example/wp-json/cartback/v1',
      placeholder_image_url: 'https://shop.example/wp-content/uploads/woocommerce-placeholder.png',
      wc_pending_order_email: false,
      profile_at: new Date('2026-11-21T10:15:00Z'),
      profile_event_id: fact.eventId,
    });
    expect(JSON.parse(row!.versions!)).toEqual({
      wordpress: '6.9.1',
      woocommerce: '10.5.0',
      plugin: '0.1.0',
      php: '8.2.29',
    });
    expect(
      nextStoreProfile({ profile_at: new Date('2026-11-21T10:16:00Z'), profile_event_id: 'x' }, fact, now),
    ).toBeNull();
    expect(nextStoreProfile({ profile_at: fact.at, profile_event_id: fact.eventId }, fact, now)).toBeNull();
  });

  it('falls back to the configuration until the plugin reports, field by field', () => {
    expect(effectiveStore(undefined, defaults)).toEqual({
      name: 'shop.example',
      timeZone: 'UTC',
      currency: 'USD',
      locale: 'en',
      placeholderImageUrl: null,
      apiUrl: null,
      wcPendingOrderEmail: null,
      reported: false,
    });
    // The migration's first row, never reported: the name "default" is not the store's.
    const unreported = {
      name: 'default',
      timezone: null,
      currency: null,
      locale: null,
      placeholder_image_url: null,
      api_url: null,
      wc_pending_order_email: null,
      profile_at: null,
    };
    expect(effectiveStore(unreported, { ...defaults, storeUrl: undefined }).name).toBe('our shop');
    const reported = {
      ...unreported,
      name: 'Helivex Handlooms',
      timezone: '+05:30',
      currency: 'INR',
      locale: 'en_IN',
      api_url: 'https://shop.example/wp-json/cartback/v1',
      wc_pending_order_email: 1,
      profile_at: new Date('2026-11-21T10:15:00Z'),
    };
    expect(effectiveStore(reported, defaults)).toEqual({
      name: 'Helivex Handlooms',
      timeZone: '+05:30',
      currency: 'INR',
      locale: 'en_IN',
      placeholderImageUrl: null,
      apiUrl: 'https://shop.example/wp-json/cartback/v1',
      wcPendingOrderEmail: true,
      reported: true,
    });
  });
});
