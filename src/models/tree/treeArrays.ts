/**
 * A fitted regression tree as three flat arrays in pre-order (a split's left child is the
 * next node). Internal node: `feature >= 0`, `value` is the threshold (go left when
 * `x[feature] <= value`), `right` the right child. Leaf: `feature = -1`, `value` is the prediction.
 */
export interface TreeArrays {
  readonly feature: Int32Array;
  readonly value: Float64Array;
  readonly right: Int32Array;
}

/** The prediction of `tree` for the row of `data` starting at `offset`. */
export function predictRow(tree: TreeArrays, data: Float64Array, offset: number): number {
  const { feature, value, right } = tree;
  let node = 0;
  let f = feature[0] as number;
  while (f >= 0) {
    node = (data[offset + f] as number) <= (value[node] as number) ? node + 1 : (right[node] as number);
    f = feature[node] as number;
  }
  return value[node] as number;
}

/** Depth of the deepest leaf (the root alone has depth 0). */
export function treeDepth(tree: TreeArrays): number {
  let max = 0;
  const depth = new Int32Array(tree.feature.length);
  for (let node = 0; node < tree.feature.length; node++) {
    const d = depth[node] as number;
    if (d > max) max = d;
    if ((tree.feature[node] as number) >= 0) {
      depth[node + 1] = d + 1;
      depth[tree.right[node] as number] = d + 1;
    }
  }
  return max;
}

/** A tree in plain JSON, its arrays as base64 of their little-endian bytes (exact and compact). */
export interface TreeJSON {
  nodeCount: number;
  feature: string;
  value: string;
  right: string;
}

/** Encodes a tree for `toJSON`. */
export function treeToJSON(tree: TreeArrays): TreeJSON {
  const b64 = (a: ArrayBufferView): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64");
  return { nodeCount: tree.feature.length, feature: b64(tree.feature), value: b64(tree.value), right: b64(tree.right) };
}

/** Decodes a tree saved by {@link treeToJSON}. */
export function treeFromJSON(json: TreeJSON): TreeArrays {
  const bytes = (s: string): ArrayBuffer => {
    const buf = Buffer.from(s, "base64");
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  };
  return {
    feature: new Int32Array(bytes(json.feature), 0, json.nodeCount),
    value: new Float64Array(bytes(json.value), 0, json.nodeCount),
    right: new Int32Array(bytes(json.right), 0, json.nodeCount),
  };
}
