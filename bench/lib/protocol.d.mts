// Types of bench/lib/protocol.mjs, for the TypeScript tests that import it.

/** The median of some numbers (the mean of the two middle ones for an even count). */
export function median(xs: readonly number[]): number;
/** The two sides in the order they run in repeat `r` (from 0): `first` leads the even repeats. */
export function sidesInOrder<T>(r: number, first: T, second: T): [T, T];
/** The `order` field of a bench's last line: which side went first in each repeat. */
export function alternation(repeats: number, first: string, second: string): string;
/** Median and range of some seconds, rounded to `digits` decimals, with the runs themselves. */
export function spread(xs: readonly number[], digits?: number): { median: number; min: number; max: number; runs: number[] };
/** The 1-minute load average now, rounded. */
export function load1(): number;
