// What every side-by-side bench shares: the alternation of the two sides, medians with their
// range, and the load average. (In bench/lib/, so that scripts/bench.mjs does not list it as a bench.)
import { loadavg } from "node:os";
import { median } from "../samplers/stats.mjs";

export { median };

/**
 * The two sides in the order they run in repeat `r` (from 0): `first` leads the even repeats,
 * `second` the odd ones, so that drifting background load meets both sides alike.
 * @template T
 * @param {number} r
 * @param {T} first
 * @param {T} second
 * @returns {[T, T]}
 */
export function sidesInOrder(r, first, second) {
  return r % 2 === 0 ? [first, second] : [second, first];
}

/**
 * The `order` field of a bench's last line: which side went first in each repeat.
 * @param {number} repeats
 * @param {string} first
 * @param {string} second
 * @returns {string}
 */
export function alternation(repeats, first, second) {
  return `alternating (first side per repeat: ${Array.from({ length: repeats }, (_, r) => sidesInOrder(r, first, second)[0]).join(",")})`;
}

/**
 * Median and range of some seconds, rounded to `digits` decimals, with the runs themselves.
 * @param {number[]} xs
 * @param {number} [digits]
 * @returns {{median: number, min: number, max: number, runs: number[]}}
 */
export function spread(xs, digits = 3) {
  const round = (/** @type {number} */ v) => Number(v.toFixed(digits));
  return { median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)), runs: xs.map(round) };
}

/**
 * The 1-minute load average now, rounded.
 * @returns {number}
 */
export function load1() {
  return Number(loadavg()[0].toFixed(2));
}
