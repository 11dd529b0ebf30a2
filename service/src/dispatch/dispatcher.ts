import type { Db } from '../db/database';
import { loggableError } from '../http/errors';
import type { Logger } from '../logger';
import type { TemplateComponent } from '../whatsapp/types';
import type { WhatsAppProvider } from '../whatsapp/provider';
import { isSendingPaused } from '../recovery/settings';
import { asDispatcher, type HeldLock } from './lock';
import { outcomeWrite } from './outcome';
import { recordOutcome } from './record';
import { claimDue, settleOrphans, type ClaimedMessage } from './sql';
import { backOff, bucketForLimit, fullBucket, takeTokens, type Bucket } from './token-bucket';

export interface DispatcherOptions {
  db: Db;
  provider: WhatsAppProvider;
  logger: Logger;
  /** The provider's throughput cap for the sending number (messages/s). */
  limitPerSecond?: number;
  /** Most messages claimed at once. */
  batch?: number;
  /** How long to wait when nothing is due, and between tries to become the dispatcher. */
  idleMs?: number;
  /** The store whose kill switch (POST /v1/admin/pause) holds back every send. */
  storeId?: number;
  now?: () => Date;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The callback data a message carries to the provider, echoed in its status webhooks. */
export function callbackDataFor(messageId: number): string {
  return `cartback:m:${messageId}`;
}

export function messageIdFromCallback(data: string | undefined): number | null {
  const match = /^cartback:m:(\d{1,18})$/.exec(data ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * Sends due messages. Every process runs one; only the one holding the database's dispatcher
 * lock sends, the others wait to take over. One token bucket paces the sending number.
 */
export class Dispatcher {
  private running = false;
  private loop: Promise<void> | null = null;
  private bucket: Bucket;
  private config;
  /** The pace now: the configured limit, halved on each "too fast", regained slowly. */
  private pace: number;
  private pacedAtMs = Date.now();
  private readonly limit: number;
  private readonly now: () => Date;

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? (() => new Date());
    this.limit = options.limitPerSecond ?? 80;
    this.pace = this.limit;
    this.config = bucketForLimit(this.pace);
    this.bucket = fullBucket(this.config, Date.now());
  }

  /** Sending pace adapts to the provider: halve on 130429, add 5% of the limit per calm second. */
  private adjustPace(throttled: boolean, nowMs: number): void {
    const before = this.pace;
    if (throttled) {
      this.pace = Math.max(1, Math.floor(this.pace / 2));
      this.bucket = backOff(this.bucket, this.config, nowMs, 1000);
      this.pacedAtMs = nowMs;
    } else if (this.pace < this.limit && nowMs - this.pacedAtMs >= 1000) {
      this.pace = Math.min(this.limit, this.pace + Math.max(1, Math.floor(this.limit / 20)));
      this.pacedAtMs = nowMs;
    }
    if (this.pace !== before) this.config = bucketForLimit(this.pace);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming; messages already handed to the provider have their answers recorded. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const idleMs = this.options.idleMs ?? 250;
    while (this.running) {
      try {
        const held = await asDispatcher(this.options.db, (lock) => this.dispatch(lock));
        if (!held) await sleep(idleMs * 4);
      } catch (error) {
        this.options.logger.error({ err: loggableError(error) }, 'dispatcher failed; retrying');
        await sleep(1000);
      }
    }
  }

  private async dispatch(lock: HeldLock): Promise<void> {
    const { db, logger } = this.options;
    const orphans = await settleOrphans(db, this.now());
    if (orphans > 0) logger.warn({ orphans }, 'messages left in submitting by a stopped dispatcher are now unknown');
    logger.info('dispatcher role taken');
    let checked = Date.now();
    while (this.running) {
      if (Date.now() - checked > 2000) {
        if (!(await lock.stillHeld())) {
          logger.warn('dispatcher lock lost; standing by');
          return;
        }
        checked = Date.now();
      }
      const sent = await this.tick();
      if (sent.waitMs > 0) await sleep(sent.waitMs);
    }
  }

  /** One round: take tokens, claim that many due messages, send them, record the answers. */
  private async tick(): Promise<{ waitMs: number }> {
    // The kill switch holds back even messages already queued; they go once sending resumes.
    if (await isSendingPaused(this.options.db, this.options.storeId ?? 1)) return { waitMs: 500 };
    const nowMs = Date.now();
    const take = takeTokens(this.bucket, this.config, nowMs, this.options.batch ?? 100);
    this.bucket = take.bucket;
    if (take.granted === 0) return { waitMs: Math.max(take.waitMs, 1) };
    const claimed = await claimDue(this.options.db, take.granted, this.now());
    // Tokens not used go back.
    this.bucket = { ...this.bucket, tokens: this.bucket.tokens + (take.granted - claimed.length) };
    if (claimed.length === 0) return { waitMs: this.options.idleMs ?? 250 };
    const throttled = await Promise.all(claimed.map((message) => this.send(message)));
    this.adjustPace(throttled.some(Boolean), Date.now());
    return { waitMs: 0 };
  }

  /** Sends one message and records the answer; true when the provider said "too fast". */
  private async send(message: ClaimedMessage): Promise<boolean> {
    const outcome = await this.options.provider.sendTemplate({
      to: message.phone,
      template: message.template ?? '',
      language: message.language ?? 'en',
      components: JSON.parse(message.payload ?? '[]') as TemplateComponent[],
      callbackData: callbackDataFor(message.id),
    });
    const now = this.now();
    const write = outcomeWrite(outcome, message.attempts, now);
    await recordOutcome(this.options.db, message, write, now);
    return write.throttle === true;
  }
}
