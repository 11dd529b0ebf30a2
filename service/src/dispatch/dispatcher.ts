import type { Db } from '../db/database';
import { loggableError } from '../http/errors';
import type { Logger } from '../logger';
import type { TemplateComponent } from '../whatsapp/types';
import type { WhatsAppProvider } from '../whatsapp/provider';
import { openPauses } from '../monitors/sql';
import { isSendingPaused } from '../recovery/settings';
import { asDispatcher, type HeldLock } from './lock';
import { outcomeWrite, type OutcomeWrite } from './outcome';
import { recordOutcomes } from './record';
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

/** The slowest the dispatcher goes after "too fast" answers; it always recovers from there. */
const MIN_PACE = 2;

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
  /** Sends the provider has not answered yet. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Answers not recorded yet. */
  private answers: Array<{ message: ClaimedMessage; write: OutcomeWrite }> = [];
  /** Ends the idle wait now; set while the dispatcher waits for work. */
  private endIdle: (() => void) | null = null;
  /** A wake-up arrived while not idle: the next idle wait is skipped. */
  private woken = false;

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
      this.pace = Math.max(MIN_PACE, Math.floor(this.pace / 2));
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

  /**
   * Something was just queued: look for due messages now rather than at the next poll. Only the
   * wait when nothing was due is cut short; the pace (token bucket) is kept.
   */
  wake(): void {
    if (this.endIdle) this.endIdle();
    else this.woken = true;
  }

  /**
   * Waits `ms` while nothing is due, or until `wake()` or `stop()`. A `stop()` that came while a
   * round was under way (no wait to end yet) is seen here: no wait starts.
   */
  private idle(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.endIdle?.(), ms);
      this.endIdle = () => {
        clearTimeout(timer);
        this.endIdle = null;
        resolve();
      };
    });
  }

  /** Stops claiming; messages already handed to the provider have their answers recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.endIdle?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const idleMs = this.options.idleMs ?? 250;
    while (this.running) {
      try {
        const held = await asDispatcher(this.options.db, (lock) => this.dispatch(lock));
        if (!held) await this.idle(idleMs * 4);
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
      if (sent.idle) await this.idle(sent.waitMs);
      else if (sent.waitMs > 0) await sleep(sent.waitMs);
    }
    // Still holding the lock: let the sends in flight finish and record their answers.
    await Promise.all(this.inFlight);
    await this.flush();
  }

  /** Records the answers gathered since the last round, in one transaction. */
  private async flush(): Promise<void> {
    const answers = this.answers.splice(0);
    if (answers.length === 0) return;
    await recordOutcomes(this.options.db, answers, this.now());
    this.adjustPace(
      answers.some((a) => a.write.throttle === true),
      Date.now(),
    );
  }

  /**
   * One round: record the answers that came back, take tokens, claim that many due messages and
   * start sending them. Sends run on while later rounds go (a slow or hanging request holds up
   * only itself), at most `maxInFlight` at once.
   */
  private async tick(): Promise<{ waitMs: number; idle?: boolean }> {
    await this.flush();
    // The kill switch, and a monitor's pause of all sending (the number's quality), hold back
    // even messages already queued; they go once sending resumes.
    const storeId = this.options.storeId ?? 1;
    // Both read side by side: this runs every round, so one round trip rather than two.
    const [killed, monitorPaused] = await Promise.all([
      isSendingPaused(this.options.db, storeId),
      openPauses(this.options.db, storeId),
    ]);
    if (killed || monitorPaused.has('all')) return { waitMs: 500 };
    const nowMs = Date.now();
    this.adjustPace(false, nowMs);
    const room = Math.max(this.limit, 10) - this.inFlight.size;
    if (room <= 0) return { waitMs: 5 };
    const take = takeTokens(this.bucket, this.config, nowMs, Math.min(room, this.options.batch ?? 100));
    this.bucket = take.bucket;
    if (take.granted === 0) return { waitMs: Math.min(Math.max(take.waitMs, 1), 1000) };
    const claimed = await claimDue(this.options.db, take.granted, this.now());
    // Tokens not used go back.
    this.bucket = { ...this.bucket, tokens: this.bucket.tokens + (take.granted - claimed.length) };
    if (claimed.length === 0) return { waitMs: this.options.idleMs ?? 250, idle: true };
    for (const message of claimed) {
      const sending: Promise<void> = this.send(message).then((answer) => {
        this.answers.push(answer);
        this.inFlight.delete(sending);
      });
      this.inFlight.add(sending);
    }
    return { waitMs: 0 };
  }

  /** Sends one message; its answer is recorded with a later round. Never throws. */
  private async send(message: ClaimedMessage): Promise<{ message: ClaimedMessage; write: OutcomeWrite }> {
    let components: TemplateComponent[];
    try {
      components = JSON.parse(message.payload ?? '[]') as TemplateComponent[];
    } catch {
      const failed = { kind: 'failed', code: 'invalid_payload', message: 'the stored payload is not JSON' } as const;
      return { message, write: outcomeWrite(failed, message.attempts, this.now()) };
    }
    const outcome = await this.options.provider
      .sendTemplate({
        to: message.phone,
        template: message.template ?? '',
        language: message.language ?? 'en',
        components,
        callbackData: callbackDataFor(message.id),
      })
      .catch((error: unknown) => ({ kind: 'unknown', message: `provider threw: ${String(error)}` }) as const);
    return { message, write: outcomeWrite(outcome, message.attempts, this.now()) };
  }
}
