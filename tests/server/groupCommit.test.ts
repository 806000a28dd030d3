/**
 * The group-commit queue's contract, with a small in-memory "database" as its writer: a group
 * is applied atomically (all its rows or none), so the test can check what was committed.
 * The SQL writers are tested on real SQLite and PostgreSQL in groupCommitSuite.ts.
 */
import { describe, expect, it } from "vitest";
import { GroupCommitQueue, type GroupWriter } from "../../src/server/sql/groupCommit";

interface Item {
  readonly id: number;
  readonly rows: number;
  /** Refused by the database with an error of its own (as a missing run is). */
  readonly refused?: boolean;
  /** Makes the whole group's write fail (as a constraint violation does). */
  readonly poison?: boolean;
}

/** An atomic in-memory table: a group commits all its items' rows, or nothing when one is poison. */
class MemoryTable implements GroupWriter<Item> {
  readonly committed: number[] = [];
  readonly groups: number[][] = [];
  private release: (() => void) | null = null;
  private held: Promise<void> | null = null;

  weight(item: Item): number {
    return item.rows;
  }

  /** Makes the next group write wait until the returned function is called. */
  hold(): () => void {
    this.held = new Promise((r) => (this.release = r));
    return () => this.release?.();
  }

  async writeGroup(items: readonly Item[]): Promise<readonly (Error | null)[]> {
    this.groups.push(items.map((i) => i.id));
    const held = this.held;
    this.held = null;
    if (held !== null) await held;
    await new Promise((r) => setImmediate(r));
    if (items.some((i) => i.poison === true)) throw new Error(`poisoned group ${items.map((i) => i.id).join(",")}`);
    const outcomes = items.map((i) => (i.refused === true ? new Error(`refused ${i.id}`) : null));
    items.forEach((i, k) => {
      if (outcomes[k] === null) this.committed.push(i.id);
    });
    return outcomes;
  }
}

const outcome = (p: Promise<void>): Promise<string> => p.then(() => "ok", (err: Error) => err.message);

describe("GroupCommitQueue", () => {
  it("writes a lone item at once, in a group of its own", async () => {
    const table = new MemoryTable();
    const queue = new GroupCommitQueue(table);
    await queue.submit({ id: 1, rows: 10 });
    expect(table.committed).toEqual([1]);
    expect(table.groups).toEqual([[1]]);
    expect(queue.stats).toEqual({ groups: 1, items: 1, fallbacks: 0 });
  });

  it("gathers what arrives during a write into the next group, in submission order", async () => {
    const table = new MemoryTable();
    const queue = new GroupCommitQueue(table);
    const release = table.hold();
    const first = queue.submit({ id: 0, rows: 1 });
    await new Promise((r) => setImmediate(r)); // the first group is now in flight
    const rest = Array.from({ length: 9 }, (_, i) => queue.submit({ id: i + 1, rows: 1 }));
    release();
    await Promise.all([first, ...rest]);
    expect(table.groups).toEqual([[0], [1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    expect(table.committed).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("resolves only after the commit containing the item", async () => {
    const table = new MemoryTable();
    const queue = new GroupCommitQueue(table);
    const release = table.hold();
    let acknowledged = false;
    const write = queue.submit({ id: 7, rows: 1 }).then(() => (acknowledged = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(acknowledged).toBe(false);
    expect(table.committed).toEqual([]);
    release();
    await write;
    expect(table.committed).toEqual([7]);
  });

  it("gives each item its own outcome: a refused item fails alone, the others commit", async () => {
    const table = new MemoryTable();
    const queue = new GroupCommitQueue(table);
    const results = await Promise.all([1, 2, 3, 4].map((id) => outcome(queue.submit({ id, rows: 1, refused: id === 3 }))));
    expect(results).toEqual(["ok", "ok", "refused 3", "ok"]);
    expect(table.groups).toEqual([[1, 2, 3, 4]]);
    expect(table.committed).toEqual([1, 2, 4]);
  });

  it("retries a failed group one item at a time: only the bad item fails, every other commits exactly once", async () => {
    const table = new MemoryTable();
    const queue = new GroupCommitQueue(table);
    const results = await Promise.all([1, 2, 3, 4, 5].map((id) => outcome(queue.submit({ id, rows: 1, poison: id === 2, refused: id === 4 }))));
    expect(results).toEqual(["ok", "poisoned group 2", "ok", "refused 4", "ok"]);
    expect(table.groups).toEqual([[1, 2, 3, 4, 5], [1], [2], [3], [4], [5]]);
    expect(table.committed).toEqual([1, 3, 5]);
    expect(queue.stats).toEqual({ groups: 6, items: 5, fallbacks: 1 });
  });

  it("cuts groups at the weight limit and writes an oversized item alone", async () => {
    const table = new MemoryTable();
    const queue = new GroupCommitQueue(table, { maxGroupWeight: 100 });
    const sizes = [40, 40, 40, 250, 10, 10];
    await Promise.all(sizes.map((rows, id) => queue.submit({ id, rows })));
    expect(table.groups).toEqual([[0, 1], [2], [3], [4, 5]]);
    expect(table.committed).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("keeps several groups in flight when allowed, and drain waits for all of them", async () => {
    const table = new MemoryTable();
    const queue = new GroupCommitQueue(table, { maxInFlight: 2, maxGroupWeight: 2 });
    const writes = Array.from({ length: 8 }, (_, id) => queue.submit({ id, rows: 1 }));
    await queue.drain();
    expect(table.committed.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(table.groups).toHaveLength(4);
    await Promise.all(writes);
    await queue.drain(); // an idle queue drains at once
  });
});
