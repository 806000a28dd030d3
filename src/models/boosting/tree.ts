const f32 = Math.fround;

/**
 * One regression tree in XGBoost's array layout (the `trees[]` entries of its JSON model):
 * node 0 is the root; a leaf has `left[i] === -1` and keeps its value in `splitCondition[i]`.
 */
export interface RegTree {
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly parent: Int32Array;
  readonly splitIndex: Int32Array;
  /** Threshold (`value < threshold` goes left), or the leaf value for leaves. */
  readonly splitCondition: Float32Array;
  readonly defaultLeft: Uint8Array;
  /** Unshrunk weight of every node. */
  readonly baseWeight: Float32Array;
  readonly lossChange: Float32Array;
  readonly sumHessian: Float32Array;
}

/** XGBoost's marker for the root's parent. */
export const ROOT_PARENT = 2147483647;

/** Grows a tree node by node, then freezes it into typed arrays. */
export class TreeBuilder {
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly parent: number[] = [];
  private readonly splitIndex: number[] = [];
  private readonly splitCondition: number[] = [];
  private readonly defaultLeft: number[] = [];
  private readonly baseWeight: number[] = [];
  private readonly lossChange: number[] = [];
  private readonly sumHessian: number[] = [];

  /** Starts with a root leaf (base weight unshrunk, as XGBoost's InitRoot). */
  constructor(rootWeight: number, rootLeafValue: number, rootHessian: number) {
    this.addLeaf(ROOT_PARENT, rootWeight, rootLeafValue, rootHessian);
  }

  /** Number of nodes so far. */
  get size(): number {
    return this.left.length;
  }

  private addLeaf(parent: number, weight: number, leafValue: number, hessian: number): number {
    this.left.push(-1);
    this.right.push(-1);
    this.parent.push(parent);
    this.splitIndex.push(0);
    this.splitCondition.push(leafValue);
    this.defaultLeft.push(0);
    this.baseWeight.push(weight);
    this.lossChange.push(0);
    this.sumHessian.push(hessian);
    return this.left.length - 1;
  }

  /** Turns leaf `nid` into a split with two new leaves; returns [left, right] ids. */
  expand(nid: number, feature: number, threshold: number, defaultLeft: boolean, lossChange: number,
    baseWeight: number, leftLeaf: number, leftHessian: number, rightLeaf: number, rightHessian: number): [number, number] {
    // As XGBoost's RegTree::ExpandNode: a new leaf's base weight is its (shrunk) value;
    // the node being split gets the unshrunk weight of its sums.
    const l = this.addLeaf(nid, leftLeaf, leftLeaf, leftHessian);
    const r = this.addLeaf(nid, rightLeaf, rightLeaf, rightHessian);
    this.baseWeight[nid] = baseWeight;
    this.left[nid] = l;
    this.right[nid] = r;
    this.splitIndex[nid] = feature;
    this.splitCondition[nid] = threshold;
    this.defaultLeft[nid] = defaultLeft ? 1 : 0;
    this.lossChange[nid] = lossChange;
    return [l, r];
  }

  /** Replaces the value of leaf `nid`. */
  setLeaf(nid: number, value: number): void {
    this.splitCondition[nid] = value;
  }

  /** The finished tree. */
  freeze(): RegTree {
    return {
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      parent: Int32Array.from(this.parent),
      splitIndex: Int32Array.from(this.splitIndex),
      splitCondition: Float32Array.from(this.splitCondition),
      defaultLeft: Uint8Array.from(this.defaultLeft),
      baseWeight: Float32Array.from(this.baseWeight),
      lossChange: Float32Array.from(this.lossChange),
      sumHessian: Float32Array.from(this.sumHessian),
    };
  }
}

/** The leaf reached by one row (float32 values, NaN = missing). */
export function leafIndex(tree: RegTree, values: Float32Array, offset: number): number {
  const { left, right, splitIndex, splitCondition, defaultLeft } = tree;
  let nid = 0;
  while (left[nid] !== -1) {
    const v = values[offset + (splitIndex[nid] as number)] as number;
    if (v !== v) nid = defaultLeft[nid] === 1 ? (left[nid] as number) : (right[nid] as number);
    else nid = v < (splitCondition[nid] as number) ? (left[nid] as number) : (right[nid] as number);
  }
  return nid;
}

/** Adds the tree's leaf value to `out[r]` in float32 for every row of a row-major matrix. */
export function addTreePrediction(tree: RegTree, values: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const cond = tree.splitCondition;
  for (let r = 0; r < rows; r++) {
    out[r] = f32((out[r] as number) + (cond[leafIndex(tree, values, r * cols)] as number));
  }
}
