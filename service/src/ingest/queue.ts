import type { StoreEvent } from '@cartback/shared';
import type { IngestResult } from './ingest';

type Apply = (batches: ReadonlyArray<readonly StoreEvent[]>) => Promise<IngestResult[]>;

interface Waiting {
  events: readonly StoreEvent[];
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit: a few writers per process (`writers`). Batches that arrive while every writer
 * is busy wait, and go together in the next free writer's transaction (up to `maxEvents`), so
 * concurrent requests cost a few large transactions instead of contending in many small ones. Each request is answered only
 * after the transaction holding its events commits. If a shared transaction fails, each batch
 * in it is tried again on its own, so one batch's fault never fails another's.
 */
export class IngestQueue {
  private readonly waiting: Waiting[] = [];
  private running = 0;

  constructor(
    private readonly apply: Apply,
    private readonly writers = 2,
    private readonly maxEvents = 2000,
  ) {}

  submit(events: readonly StoreEvent[]): Promise<IngestResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ events, resolve, reject });
      if (this.running < this.writers) void this.drain();
    });
  }

  /**
   * The next group: a fair share of what waits (split with the idle writers, which are woken to
   * take the rest), at most `maxEvents` events, always at least one batch.
   */
  private take(): Waiting[] {
    const idle = this.writers - this.running;
    const share = Math.ceil(this.waiting.length / (idle + 1));
    const group: Waiting[] = [];
    let size = 0;
    while (this.waiting.length > 0 && group.length < share) {
      const next = this.waiting[0] as Waiting;
      if (group.length > 0 && size + next.events.length > this.maxEvents) break;
      group.push(this.waiting.shift() as Waiting);
      size += next.events.length;
    }
    return group;
  }

  private async drain(): Promise<void> {
    this.running++;
    try {
      while (this.waiting.length > 0) {
        const group = this.take();
        if (this.waiting.length > 0 && this.running < this.writers) void this.drain();
        try {
          const results = await this.apply(group.map((w) => w.events));
          group.forEach((w, i) => w.resolve(results[i] as IngestResult));
        } catch (error) {
          if (group.length === 1) {
            group[0]?.reject(error);
            continue;
          }
          for (const w of group) {
            await this.apply([w.events]).then(
              ([result]) => w.resolve(result as IngestResult),
              (e: unknown) => w.reject(e),
            );
          }
        }
      }
    } finally {
      this.running--;
    }
  }
}
