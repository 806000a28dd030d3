/**
 * Group commit of metric-only batches on a real SQL store (SQLite, PostgreSQL): many
 * concurrent batches share commits, yet every acknowledged point is stored once (rows in
 * its batch's order; the history as MLflow's SQL store reads it, by timestamp, step and
 * value, +-infinity as +-1.7976931348623157e308), the latest value is MLflow's max by
 * (step, timestamp, value) over all points, and a bad batch in a group gets its own MLflow
 * error while the others succeed.
 * Call `defineGroupCommitSuite(name, factory)` inside a test file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Metric } from "../../src/tracking/entities";
import type { SqlTrackingStore } from "../../src/server/sql/sqlTrackingStore";
import { errorCodeOf } from "./storeSuite";

/** A fresh SQL store plus a way to make the database refuse one metric key. */
export interface GroupCommitStoreUnderTest {
  readonly tracking: SqlTrackingStore;
  /** Makes the database itself reject any metric row with this key (a constraint or trigger). */
  refuseMetricKey(key: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** MLflow's latest value over all points, computed here independently of the store. */
function expectedLatest(points: readonly Metric[]): Metric {
  const rank = (m: Metric): number[] => [m.step, m.timestamp, Number.isNaN(m.value) ? -Infinity : m.value];
  return points.reduce((best, m) => {
    const [a, b] = [rank(m), rank(best)];
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) > (b[i] as number) ? m : best;
    return best;
  });
}

/** A point as MLflow's SQL store keeps it: +-infinity becomes the largest finite double. */
function asStored(m: Metric): Metric {
  return Number.isFinite(m.value) || Number.isNaN(m.value) ? m : { ...m, value: m.value > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE };
}

/** MLflow's SQL order of a history: timestamp, then step, then value (NaN stored as 0). */
function sqlOrder(points: readonly Metric[]): Metric[] {
  const v = (m: Metric): number => (Number.isNaN(m.value) ? 0 : m.value);
  return [...points].sort((a, b) => a.timestamp - b.timestamp || a.step - b.step || v(a) - v(b));
}

/** True when `history` is the batches' points, each batch contiguous and in its own order. */
function isConcatenationOf(history: readonly Metric[], batches: readonly (readonly Metric[])[]): boolean {
  const byFirstStep = new Map(batches.map((b) => [b[0]?.step, b]));
  let i = 0;
  const used = new Set<readonly Metric[]>();
  while (i < history.length) {
    const batch = byFirstStep.get(history[i]?.step);
    if (batch === undefined || used.has(batch)) return false;
    used.add(batch);
    for (const m of batch) {
      const h = history[i++];
      if (h === undefined || h.step !== m.step || h.timestamp !== m.timestamp || !Object.is(h.value, m.value)) return false;
    }
  }
  return used.size === batches.length;
}

/** Registers the group-commit suite for a SQL store factory. */
export function defineGroupCommitSuite(name: string, factory: () => Promise<GroupCommitStoreUnderTest>): void {
  describe(`group commit: ${name}`, () => {
    let s: GroupCommitStoreUnderTest;
    beforeAll(async () => {
      s = await factory();
    });
    afterAll(async () => {
      await s?.cleanup();
    });

    const newRun = async (experimentId: string) => (await s.tracking.createRun({ experimentId, userId: "t", startTime: 1, tags: [] })).info.runId;

    it("commits many concurrent batches in shared groups and keeps every acknowledged point, in order", async () => {
      const exp = await s.tracking.createExperiment(`group-${Date.now()}-${Math.random()}`);
      const runs = await Promise.all(Array.from({ length: 20 }, () => newRun(exp)));
      // 20 runs x 10 batches x 12 points, steps scrambled inside a batch, NaN and +-Infinity included.
      const batches = new Map<string, Metric[][]>(runs.map((r) => [r, []]));
      const before = s.tracking.groupCommitStats();
      const writes: Promise<void>[] = [];
      for (let b = 0; b < 10; b++) {
        for (const [r, runId] of runs.entries()) {
          const metrics: Metric[] = Array.from({ length: 12 }, (_, i) => {
            const step = b * 100 + ((i * 7) % 12);
            const value = i === 5 ? NaN : i === 6 ? Infinity : i === 7 ? -Infinity : Math.sin(r * 1000 + step);
            return { key: i % 2 === 0 ? "loss" : "acc", value, timestamp: 1_700_000_000_000 + ((b * 31 + i) % 17), step };
          });
          batches.get(runId)?.push(metrics);
          writes.push(s.tracking.logBatch(runId, { metrics }));
        }
      }
      await Promise.all(writes);
      const stats = s.tracking.groupCommitStats();
      expect(stats.items - before.items).toBe(200);
      expect(stats.groups - before.groups).toBeLessThan(200);
      for (const runId of runs) {
        const sent = batches.get(runId) as Metric[][];
        const run = await s.tracking.getRun(runId);
        for (const key of ["loss", "acc"]) {
          const sentOfKey = sent.map((batch) => batch.filter((m) => m.key === key).map(asStored));
          // The rows, in the order they were written: each batch whole and in its own order.
          const rows = await s.tracking.driver.all("SELECT key, value, is_nan, timestamp, step FROM metrics WHERE run_uuid = ? AND key = ? ORDER BY id", [runId, key]);
          const stored = rows.map((r) => ({ key, value: Number(r.is_nan) === 1 ? NaN : Number(r.value), timestamp: Number(r.timestamp), step: Number(r.step) }));
          expect(stored).toHaveLength(60);
          expect(isConcatenationOf(stored, sentOfKey)).toBe(true);
          const history = await s.tracking.getMetricHistory(runId, key);
          expect(history).toEqual(sqlOrder(sentOfKey.flat()));
          const latest = run.data.metrics.find((m) => m.key === key);
          const want = expectedLatest(sentOfKey.flat());
          expect(latest?.step).toBe(want.step);
          expect(latest?.timestamp).toBe(want.timestamp);
          expect(latest?.value).toBe(want.value);
        }
      }
    });

    it("gives a bad batch in a group its own error while the others of the group succeed", async () => {
      const exp = await s.tracking.createExperiment(`group-bad-${Date.now()}-${Math.random()}`);
      const good = await Promise.all(Array.from({ length: 6 }, () => newRun(exp)));
      const deleted = await newRun(exp);
      await s.tracking.deleteRun(deleted);
      const missing = "0123456789abcdef0123456789abcdef";
      const point = (step: number): Metric => ({ key: "m", value: step, timestamp: 5, step });
      const before = s.tracking.groupCommitStats();
      const [deletedCode, missingCode, invalidCode, ...goodOutcomes] = await Promise.all([
        errorCodeOf(s.tracking.logBatch(deleted, { metrics: [point(1)] })),
        errorCodeOf(s.tracking.logBatch(missing, { metrics: [point(1)] })),
        errorCodeOf(s.tracking.logBatch(good[0] as string, { metrics: [{ key: "../bad", value: 1, timestamp: 1, step: 0 }] })),
        ...good.map((runId, i) => s.tracking.logBatch(runId, { metrics: [point(i), point(i + 100)] }).then(() => "ok")),
      ]);
      expect(deletedCode).toBe("INVALID_PARAMETER_VALUE");
      expect(missingCode).toBe("RESOURCE_DOES_NOT_EXIST");
      expect(invalidCode).toBe("INVALID_PARAMETER_VALUE");
      expect(goodOutcomes).toEqual(good.map(() => "ok"));
      const stats = s.tracking.groupCommitStats();
      // The invalid batch is refused before it is queued; the other 8 shared one group.
      expect(stats.items - before.items).toBe(8);
      expect(stats.groups - before.groups).toBe(1);
      for (const [i, runId] of good.entries()) {
        expect((await s.tracking.getMetricHistory(runId, "m")).map((m) => m.step)).toEqual([i, i + 100]);
      }
      await s.tracking.restoreRun(deleted);
      expect(await s.tracking.getMetricHistory(deleted, "m")).toEqual([]);
    });

    it("when the database fails a whole group, retries it batch by batch: only the bad batch fails, the others are stored once", async () => {
      const exp = await s.tracking.createExperiment(`group-poison-${Date.now()}-${Math.random()}`);
      const runs = await Promise.all(Array.from({ length: 5 }, () => newRun(exp)));
      await s.tracking.logBatch(runs[0] as string, { metrics: [{ key: "warmup", value: 0, timestamp: 1, step: 0 }] });
      await s.refuseMetricKey("poison");
      const before = s.tracking.groupCommitStats();
      const outcomes = await Promise.all(
        runs.map((runId, i) =>
          s.tracking
            .logBatch(runId, { metrics: [{ key: i === 2 ? "poison" : "m", value: i, timestamp: 1, step: i }, { key: "m2", value: i, timestamp: 1, step: i }] })
            .then(() => "ok", () => "failed"),
        ),
      );
      expect(outcomes).toEqual(["ok", "ok", "failed", "ok", "ok"]);
      const stats = s.tracking.groupCommitStats();
      expect(stats.fallbacks - before.fallbacks).toBe(1);
      for (const [i, runId] of runs.entries()) {
        const history = await s.tracking.getMetricHistory(runId, "m");
        const second = await s.tracking.getMetricHistory(runId, "m2");
        if (i === 2) {
          expect(history).toEqual([]);
          expect(second).toEqual([]); // the failed batch wrote nothing at all
          expect((await s.tracking.getRun(runId)).data.metrics).toEqual([]);
        } else {
          expect(history.map((m) => m.step)).toEqual([i]);
          expect(second.map((m) => m.step)).toEqual([i]);
        }
      }
    });
  });
}
