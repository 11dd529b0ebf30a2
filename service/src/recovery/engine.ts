import cron, { type ScheduledTask } from 'node-cron';
import type { Db } from '../db/database';
import { loggableError } from '../http/errors';
import type { Logger } from '../logger';
import type { StoreClient } from '../store/client';
import { readStoreProfile, type StoreDefaults } from '../store/profile';
import type { WhatsAppProvider } from '../whatsapp/provider';
import { LANE_NAMES, type LaneName, type LaneSettings } from '../engine/lanes';
import { planBrowseEnrollments } from './browse/plan';
import { planPaymentEnrollments } from './payment/planner';
import { planCartEnrollments } from './planner';
import { openPauses } from '../monitors/sql';
import { holdoutSalt, isSendingPaused, laneSettings } from './settings';
import { runDueSteps, type StepContext } from './stepper';
import { StoreLink } from './store-link';
import type { CatalogReader } from '../engine/catalog';
import { cachedCatalog } from './catalog-cache';
import type { CouponClient } from './step-coupon';
import { winbackPassDue } from '../engine/winback-schedule';
import { WINBACK_LANE } from '../engine/winback';
import { runWinbackPass, type WinbackPassResult } from './winback/pass';

export interface EngineOptions {
  db: Db;
  storeId: number;
  logger: Logger;
  /** The configuration's store settings, used until the plugin reports the store's profile. */
  store: StoreDefaults;
  /** Lists approved templates, so a paused or missing one is skipped rather than sent. */
  provider?: WhatsAppProvider;
  /** Seconds between ticks (1–59). */
  everySeconds?: number;
  /** The shared secret, which signs the calls to the plugin's routes. */
  secret: () => string;
  /** Builds the client for the plugin's routes (tests shorten its timeout); see StoreLink. */
  createStoreClient?: (baseUrl: string, secret: () => string) => StoreClient;
  /** Called after a step's message is queued (the server wakes its dispatcher). */
  onQueued?: () => void;
  /** The local hour (0–23, store's time zone) of the daily win-back pass; default 10. */
  winbackHour?: number;
  /**
   * Reads the store's products for the live stock and price check (engine/catalog.ts), e.g. over
   * WooCommerce REST; the engine caches its answers for 60 s. Absent: nothing is checked.
   */
  catalog?: CatalogReader;
  /** The store's REST client for per-step coupons (recovery/step-coupon.ts); null without access. */
  coupons?: CouponClient;
}

const TEMPLATES_REFRESH_MS = 10 * 60_000;

/** Starts a lane's journeys due at `now`; returns how many began. */
export type LanePlanner = (db: Db, storeId: number, settings: LaneSettings, salt: string, now: Date) => Promise<number>;

/**
 * The planner of each lane the tick plans. Win-back is planned by its daily pass instead
 * (`winbackIfDue`); a lane without a planner here only has its due steps taken.
 */
export const PLANNERS: Partial<Record<LaneName, LanePlanner>> = {
  payment_recovery: planPaymentEnrollments,
  abandoned_cart: planCartEnrollments,
  browse_abandonment: planBrowseEnrollments,
};

/**
 * The recovery engine's clock: every few seconds (node-cron, never two ticks at once) it starts
 * journeys for newly abandoned carts and takes every step that has fallen due. Several processes
 * may run it against one database: enrollments are claimed with SKIP LOCKED.
 */
export class RecoveryEngine {
  private task: ScheduledTask | null = null;
  private winbackTask: ScheduledTask | null = null;
  /** The store-local date of the last win-back pass this process ran. */
  private winbackRanOn: string | null = null;
  private currentWinback: Promise<void> = Promise.resolve();
  private templates: { at: number; approved: Set<string> | null } = { at: 0, approved: null };
  private current: Promise<void> = Promise.resolve();
  private readonly store: StoreLink;
  /** The catalog reader behind this process's 60-second cache, or undefined. */
  private readonly catalog: CatalogReader | undefined;

  constructor(private readonly options: EngineOptions) {
    this.store = new StoreLink({
      db: options.db,
      storeId: options.storeId,
      logger: options.logger,
      secret: options.secret,
      storeUrl: options.store.storeUrl,
      apiUrl: options.store.storeApiUrl,
      createClient: options.createStoreClient,
    });
    this.catalog = options.catalog ? cachedCatalog(options.catalog) : undefined;
  }

  start(): void {
    const every = Math.min(59, Math.max(1, this.options.everySeconds ?? 5));
    this.task = cron.schedule(`*/${every} * * * * *`, () => this.run(), { name: 'cartback-engine', noOverlap: true });
    // Checked every minute; the pass itself runs once a day (engine/winback-schedule.ts).
    this.winbackTask = cron.schedule('30 * * * * *', () => this.runWinback(), {
      name: 'cartback-winback',
      noOverlap: true,
    });
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.task?.destroy();
    this.task = null;
    await this.winbackTask?.stop();
    await this.winbackTask?.destroy();
    this.winbackTask = null;
    await this.current;
    await this.currentWinback;
  }

  private run(): Promise<void> {
    this.current = this.tick(new Date()).then(
      () => undefined,
      (error: unknown) => this.options.logger.error({ err: loggableError(error) }, 'recovery engine tick failed'),
    );
    return this.current;
  }

  private runWinback(): Promise<void> {
    this.currentWinback = this.winbackIfDue(new Date()).then(
      () => undefined,
      (error: unknown) => this.options.logger.error({ err: loggableError(error) }, 'win-back pass failed'),
    );
    return this.currentWinback;
  }

  /**
   * The daily win-back pass when it is due at `now` (the configured hour in the store's zone, once
   * per local date); null when it was not due.
   */
  async winbackIfDue(now: Date): Promise<WinbackPassResult | null> {
    const { db, storeId } = this.options;
    const profile = await readStoreProfile(db, storeId, this.options.store);
    const date = winbackPassDue(now, profile.timeZone, this.options.winbackHour ?? 10, this.winbackRanOn);
    if (date === null) return null;
    const settings = await laneSettings(db, storeId, WINBACK_LANE);
    const result = await runWinbackPass(db, storeId, settings, await holdoutSalt(db, storeId), now);
    this.winbackRanOn = date;
    this.options.logger.info({ ...result, date }, 'win-back pass');
    return result;
  }

  /**
   * One pass at `now`: plan each enabled lane that has a planner, pull the store's outbox when a
   * step is due soon, then take each lane's due steps (a cart's or an unpaid order's step re-checked with the store first; a disabled lane's
   * steps are skipped as lane_paused by the decision). Returns how many journeys began and steps ran.
   */
  async tick(now: Date): Promise<{ started: number; steps: number }> {
    const { db, storeId } = this.options;
    const salt = await holdoutSalt(db, storeId);
    // Every lane plans first, so the outbox pull below knows of the steps that just fell due.
    const settings = new Map<LaneName, LaneSettings>();
    let started = 0;
    for (const lane of LANE_NAMES) {
      const laneSet = await laneSettings(db, storeId, lane);
      settings.set(lane, laneSet);
      const planner = PLANNERS[lane];
      if (planner && laneSet.enabled) started += await planner(db, storeId, laneSet, salt, now);
    }
    const approved = await this.approvedTemplates();
    // Read every tick (one row): a store.updated takes effect at the next step.
    const profile = await readStoreProfile(db, storeId, this.options.store);
    const askStore = await this.store.forTick(profile.apiUrl, now);
    const allPaused = await isSendingPaused(db, storeId);
    const monitorPaused = await openPauses(db, storeId);
    const shared: Omit<StepContext, 'lane' | 'settings'> = {
      storeId,
      allPaused,
      monitorPaused,
      store: {
        timeZone: profile.timeZone,
        locale: profile.locale,
        currency: profile.currency,
        name: profile.name,
        defaultImageUrl: profile.placeholderImageUrl,
      },
      templateAvailable: (name, language) => approved === null || approved.has(`${name}:${language}`),
      approvedLanguages: (name) => (approved === null ? null : languagesOf(approved, name)),
      ...(askStore ? { askStore } : {}),
      ...(this.catalog ? { catalog: this.catalog } : {}),
      ...(this.options.coupons ? { coupons: this.options.coupons } : {}),
      ...(this.options.onQueued ? { onQueued: this.options.onQueued } : {}),
    };
    let steps = 0;
    for (const [lane, laneSet] of settings) steps += await runDueSteps(db, { ...shared, lane, settings: laneSet }, now);
    if (started + steps > 0) this.options.logger.info({ started, steps }, 'recovery engine tick');
    return { started, steps };
  }

  /** Approved templates as `name:language`, refreshed every 10 minutes; null when unknown. */
  private async approvedTemplates(): Promise<Set<string> | null> {
    const provider = this.options.provider;
    if (!provider || Date.now() - this.templates.at < TEMPLATES_REFRESH_MS) return this.templates.approved;
    try {
      const list = await provider.listTemplates();
      this.templates = {
        at: Date.now(),
        approved: new Set(list.filter((t) => t.status === 'APPROVED').map((t) => `${t.name}:${t.language}`)),
      };
    } catch (error) {
      this.options.logger.warn({ err: loggableError(error) }, 'could not list WhatsApp templates; assuming approved');
      this.templates = { at: Date.now(), approved: null };
    }
    return this.templates.approved;
  }
}

/** The languages a template is approved in, from the `name:language` set. */
function languagesOf(approved: ReadonlySet<string>, name: string): string[] {
  const prefix = `${name}:`;
  return [...approved].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
}
