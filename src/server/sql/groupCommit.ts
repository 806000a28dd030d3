/**
 * Group commit: writes submitted while earlier writes are in flight (up to `maxInFlight`
 * groups at once) wait and are then written together, in one statement / transaction,
 * so a busy server pays one round trip
 * and one durable commit for many requests instead of one each. A write resolves only
 * after the commit that contains it (durability is unchanged), and each write keeps its
 * own outcome: the group writer reports one result per item, and when the group write
 * fails as a whole the items are written again one by one, so one bad item never fails
 * the others. An idle queue writes at once (after the current I/O phase), adding no delay.
 */

/** How a group is written. */
export interface GroupWriter<T> {
  /**
   * Writes `items` together (atomically) and resolves to one outcome per item, in order:
   * null when the item was written, else the error to give that item's caller. Throws when
   * the group could not be written as a whole (then every item is retried on its own).
   */
  writeGroup(items: readonly T[]): Promise<readonly (Error | null)[]>;
  /** Rows an item adds to a group (groups are cut at {@link GroupCommitOptions.maxGroupWeight}). */
  weight(item: T): number;
}

/** Tuning of a {@link GroupCommitQueue}. */
export interface GroupCommitOptions {
  /** Most rows in one group; an item heavier than this is written alone (default 5000). */
  readonly maxGroupWeight?: number;
  /** Groups written at the same time (default 1: the next group gathers while one commits). */
  readonly maxInFlight?: number;
}

/** What a {@link GroupCommitQueue} has done so far. */
export interface GroupCommitStats {
  /** Group writes started (a retried group's one-item writes count too). */
  readonly groups: number;
  /** Items submitted. */
  readonly items: number;
  /** Groups that failed as a whole and were retried item by item. */
  readonly fallbacks: number;
}

interface Pending<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** Queues writes and commits them in groups; see the module comment for the guarantees. */
export class GroupCommitQueue<T> {
  private pending: Pending<T>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxGroupWeight: number;
  private readonly maxInFlight: number;
  private idleWaiters: (() => void)[] = [];
  private counts = { groups: 0, items: 0, fallbacks: 0 };

  constructor(private readonly writer: GroupWriter<T>, options: GroupCommitOptions = {}) {
    this.maxGroupWeight = options.maxGroupWeight ?? 5000;
    this.maxInFlight = options.maxInFlight ?? 1;
  }

  /** Counters since creation. */
  get stats(): GroupCommitStats {
    return { ...this.counts };
  }

  /** Resolves once `item` is committed; rejects with this item's own error. */
  submit(item: T): Promise<void> {
    this.counts.items++;
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when nothing is queued or being written. */
  drain(): Promise<void> {
    if (this.pending.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    this.scheduled = true;
    // After the current I/O phase, so requests that arrived together are parsed and join one group.
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < this.maxInFlight && this.pending.length > 0) void this.writeNextGroup();
    });
  }

  private takeGroup(): Pending<T>[] {
    let weight = 0;
    let n = 0;
    while (n < this.pending.length) {
      const w = this.writer.weight((this.pending[n] as Pending<T>).item);
      if (n > 0 && weight + w > this.maxGroupWeight) break;
      weight += w;
      n++;
    }
    return this.pending.splice(0, n);
  }

  private async writeNextGroup(): Promise<void> {
    const group = this.takeGroup();
    this.inFlight++;
    try {
      await this.write(group);
    } finally {
      this.inFlight--;
      if (this.pending.length > 0) this.schedule();
      else if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private async write(group: readonly Pending<T>[]): Promise<void> {
    let outcomes: readonly (Error | null)[];
    this.counts.groups++;
    try {
      outcomes = await this.writer.writeGroup(group.map((p) => p.item));
    } catch (err) {
      if (group.length === 1) return (group[0] as Pending<T>).reject(err);
      // Nothing of the group was written: retry alone, so each item gets its own outcome.
      this.counts.fallbacks++;
      for (const p of group) await this.write([p]);
      return;
    }
    if (outcomes.length !== group.length) {
      // A writer bug: the group may be committed, so it must not be written again.
      const err = new Error(`group writer answered ${outcomes.length} outcomes for ${group.length} items`);
      for (const p of group) p.reject(err);
      return;
    }
    group.forEach((p, i) => {
      const outcome = outcomes[i] as Error | null;
      if (outcome === null) p.resolve();
      else p.reject(outcome);
    });
  }
}
