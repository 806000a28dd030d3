/**
 * Sobol' points as SciPy's `scipy.stats.qmc.Sobol` draws them (Optuna 4.5's GP starts its
 * acquisition search from 2,048 of them): 30-bit direction numbers from Joe and Kuo's table,
 * points in Gray-code order starting at the origin, and, when scrambled, Matousek's linear matrix
 * scramble (a random lower-triangular binary matrix with unit diagonal per dimension, applied to
 * the direction numbers' binary digits from the most significant one) followed by a random
 * digital shift (XOR). Unscrambled points equal SciPy's exactly; scrambled ones keep the net's
 * stratification (each coordinate of the first 2^m points hits every interval [k/2^m, (k+1)/2^m)
 * once) and are uniform on [0, 1)^d.
 */
import { Random } from "../../../util/random";
import { SOBOL_INITIAL_NUMBERS, SOBOL_POLYNOMIALS } from "./sobolDirections";

/** SciPy's default number of bits: at most 2^30 points. */
const BITS = 30;

/** The largest dimension with direction numbers here. */
export const SOBOL_MAX_DIM = SOBOL_POLYNOMIALS.length;

/** 30-bit direction numbers v[d][j] (already shifted to the top bits), SciPy's `_initialize_v`. */
function directionNumbers(dim: number): Uint32Array[] {
  return Array.from({ length: dim }, (_, d) => {
    const v = new Uint32Array(BITS);
    if (d === 0) v.fill(1);
    else {
      const p = SOBOL_POLYNOMIALS[d] as number;
      const degree = Math.floor(Math.log2(p));
      const m0 = SOBOL_INITIAL_NUMBERS[d] as readonly number[];
      for (let j = 0; j < degree; j++) v[j] = m0[j] as number;
      for (let j = degree; j < BITS; j++) {
        let next = v[j - degree] as number;
        let pow2 = 1;
        for (let k = 0; k < degree; k++) {
          pow2 *= 2;
          if ((p >> (degree - 1 - k)) & 1) next ^= pow2 * (v[j - k - 1] as number);
        }
        v[j] = next;
      }
    }
    for (let j = 0; j < BITS; j++) v[j] = (v[j] as number) * 2 ** (BITS - 1 - j);
    return v;
  });
}

/** Parity of the set bits of a 32-bit integer. */
function parity(x: number): number {
  let v = x >>> 0;
  v ^= v >>> 16;
  v ^= v >>> 8;
  v ^= v >>> 4;
  v ^= v >>> 2;
  v ^= v >>> 1;
  return v & 1;
}

/** A random 30-bit integer. */
function randomBits(rng: Random): number {
  return rng.nextUint32() >>> (32 - BITS);
}

/**
 * Linear matrix scramble of one dimension's direction numbers: output digit p (from the most
 * significant) is the parity of row p of a random lower-triangular matrix with unit diagonal
 * against the input digits 0..p.
 */
function scrambleDirections(v: Uint32Array, rng: Random): void {
  const rows = Array.from({ length: BITS }, (_, p) => {
    const diagonal = 2 ** (BITS - 1 - p);
    const above = randomBits(rng) & ~(2 * diagonal - 1) & (2 ** BITS - 1);
    return (diagonal | above) >>> 0;
  });
  for (let j = 0; j < BITS; j++) {
    let out = 0;
    for (let p = 0; p < BITS; p++) if (parity((rows[p] as number) & (v[j] as number))) out += 2 ** (BITS - 1 - p);
    v[j] = out;
  }
}

/** A Sobol' sequence in `dim` dimensions (at most {@link SOBOL_MAX_DIM}). */
export class Sobol {
  private readonly v: Uint32Array[];
  private readonly quasi: Uint32Array;
  private generated = 0;

  /** `scramble`: the generator for LMS + digital shift, or null for the plain sequence. */
  constructor(
    readonly dim: number,
    scramble: Random | null,
  ) {
    if (!(Number.isInteger(dim) && dim >= 1 && dim <= SOBOL_MAX_DIM)) throw new Error(`Sobol: dim must be an integer in [1, ${SOBOL_MAX_DIM}], got ${dim}`);
    this.v = directionNumbers(dim);
    this.quasi = new Uint32Array(dim);
    if (scramble) {
      for (let d = 0; d < dim; d++) this.quasi[d] = randomBits(scramble);
      for (const v of this.v) scrambleDirections(v, scramble);
    }
  }

  /** The next n points, row-major n x dim, in [0, 1). */
  random(n: number): Float64Array {
    if (this.generated + n > 2 ** BITS) throw new Error(`Sobol: at most 2^${BITS} points`);
    const out = new Float64Array(n * this.dim);
    const scale = 2 ** -BITS;
    for (let i = 0; i < n; i++) {
      if (this.generated > 0) {
        // Gray-code order: flip the direction number of the lowest zero bit of (index - 1).
        const c = lowestZeroBit(this.generated - 1);
        for (let d = 0; d < this.dim; d++) this.quasi[d] = ((this.quasi[d] as number) ^ ((this.v[d] as Uint32Array)[c] as number)) >>> 0;
      }
      for (let d = 0; d < this.dim; d++) out[i * this.dim + d] = (this.quasi[d] as number) * scale;
      this.generated++;
    }
    return out;
  }
}

/** Index (from 0) of the lowest zero bit of a non-negative integer. */
function lowestZeroBit(x: number): number {
  let c = 0;
  while ((x >>> c) & 1) c++;
  return c;
}
