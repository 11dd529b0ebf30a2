import type { Db } from '../db/database';
import type { Logger } from '../logger';
import { orderOutcome } from '../engine/conversion';
import { createStoreClient, storeApiBase, type OrdersAnswer, type StoreClient } from '../store/client';
import type { StoreAnswer, StepContext } from './stepper';

/** While a journey is due within this, the engine asks the store to deliver its outbox each tick. */
export const PULL_AHEAD_MS = 2 * 60_000;
/** A failing store is logged at most this often. */
const LOG_EVERY_MS = 60_000;

/**
 * The recovery engine's line to the plugin's signed routes (the HTTP edge of fresh facts):
 *
 * - the client, for STORE_API_URL, else the `api_url` the plugin reported, else STORE_URL's REST
 *   base; none when none is known (no plugin to ask: the pre-send re-check is then not needed);
 * - the pull: while any active journey is due within PULL_AHEAD_MS, each tick asks the store to
 *   deliver its outbox now, so an idle store (no visitor running WP-Cron) still reports orders
 *   within seconds; otherwise the store is left alone;
 * - the pre-send re-check (`askStore`): has the contact ordered since the cart began? Once a
 *   call fails in a tick, the rest of that tick's re-checks answer `unreachable` at once (their
 *   steps wait a minute) rather than each waiting out the timeout.
 *
 * Failures never throw: they are logged at most once a minute, without the secret, phone
 * numbers or emails.
 */
/**
 * The store's answer to the re-check, as engine/conversion.ts reads its orders: `ordered` for a
 * paid one, `payment_pending` when only unpaid ones were placed, `no_order` when none or only
 * cancelled and draft ones. The store saying it has orders but listing none counts as
 * `payment_pending`: the cart journey must end, and nothing says it was paid.
 */
export function storeAnswer(answer: OrdersAnswer): Exclude<StoreAnswer, 'unreachable'> {
  if (answer.ordered && answer.orders.length === 0) return 'payment_pending';
  const outcome = orderOutcome(answer.orders.map((o) => ({ status: o.status })));
  return outcome === 'converted' ? 'ordered' : outcome === 'payment_pending' ? 'payment_pending' : 'no_order';
}

export class StoreLink {
  private cached: StoreClient | null = null;
  private loggedAt = 0;

  constructor(
    private readonly options: {
      db: Db;
      storeId: number;
      logger: Logger;
      secret: () => string;
      /** STORE_URL. */
      storeUrl?: string;
      /** STORE_API_URL: where the plugin's routes are, whatever the plugin reports. */
      apiUrl?: string;
      /** Builds the client for a base URL (default: createStoreClient with a 10 s timeout). */
      createClient?: (baseUrl: string, secret: () => string) => StoreClient;
    },
  ) {}

  /** The client for the store's routes as now known, or null when no store is known. */
  client(reportedApiUrl: string | null): StoreClient | null {
    const base = storeApiBase({
      configured: this.options.apiUrl,
      reported: reportedApiUrl,
      storeUrl: this.options.storeUrl,
    });
    if (!base) return null;
    if (this.cached?.baseUrl !== base) {
      const create = this.options.createClient ?? ((baseUrl, secret) => createStoreClient({ baseUrl, secret }));
      this.cached = create(base, this.options.secret);
    }
    return this.cached;
  }

  /**
   * One tick's link to the store: pulls its outbox when a journey is due soon, and returns the
   * re-check for the stepper (undefined without a store).
   */
  async forTick(reportedApiUrl: string | null, now: Date): Promise<StepContext['askStore']> {
    const client = this.client(reportedApiUrl);
    if (!client) return undefined;
    let down = false;
    if (await this.dueSoon(now)) {
      const delivered = await client.deliver();
      if (!delivered.ok) {
        down = true;
        this.warn(client, delivered.error);
      }
    }
    return async (query): Promise<StoreAnswer> => {
      if (down) return 'unreachable';
      const answer = await client.orders(query);
      if (answer.ok) return storeAnswer(answer.value);
      down = true;
      this.warn(client, answer.error);
      return 'unreachable';
    };
  }

  private async dueSoon(now: Date): Promise<boolean> {
    const due = await this.options.db
      .selectFrom('enrollments')
      .select('id')
      .where('store_id', '=', this.options.storeId)
      .where('state', '=', 'active')
      .where('next_due_at', '<=', new Date(now.getTime() + PULL_AHEAD_MS))
      .limit(1)
      .executeTakeFirst();
    return due !== undefined;
  }

  private warn(client: StoreClient, error: string): void {
    if (Date.now() - this.loggedAt < LOG_EVERY_MS) return;
    this.loggedAt = Date.now();
    this.options.logger.warn(
      { store: URL.canParse(client.baseUrl) ? new URL(client.baseUrl).host : 'unknown', error },
      'the store did not answer; due cart steps wait until it does (logged at most once a minute)',
    );
  }
}
