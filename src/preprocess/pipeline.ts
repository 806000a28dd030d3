import type { Frame } from "../data/frame";
import { ValueError } from "../errors";
import type { EstimatorJSON } from "../estimator";
import type { FrameTransformer } from "./frameTransformer";

/** A named step of a {@link Pipeline}. */
export type PipelineStep = readonly [name: string, transformer: FrameTransformer];

/** scikit-learn's Pipeline of transformers: each step fits on the previous step's output. */
export class Pipeline implements FrameTransformer {
  readonly kind = "Pipeline";
  readonly steps: readonly PipelineStep[];

  constructor(steps: readonly PipelineStep[]) {
    if (steps.length === 0) throw new ValueError("Pipeline: needs at least one step");
    const names = new Set<string>();
    for (const [name] of steps) {
      if (names.has(name)) throw new ValueError(`Pipeline: step name "${name}" is used twice`);
      names.add(name);
    }
    this.steps = steps;
  }

  /** The step called `name`. */
  namedStep(name: string): FrameTransformer {
    const step = this.steps.find(([n]) => n === name);
    if (step === undefined) throw new ValueError(`Pipeline: no step "${name}"; steps are ${this.steps.map(([n]) => n).join(", ")}`);
    return step[1];
  }

  fit(input: Frame): this {
    this.fitTransform(input);
    return this;
  }

  fitTransform(input: Frame): Frame {
    return this.steps.reduce((x, [, t]) => t.fitTransform(x), input);
  }

  transform(input: Frame): Frame {
    return this.steps.reduce((x, [, t]) => t.transform(x), input);
  }

  getFeatureNamesOut(): string[] {
    return (this.steps[this.steps.length - 1] as PipelineStep)[1].getFeatureNamesOut();
  }

  toJSON(): EstimatorJSON<{ steps: Array<[string, EstimatorJSON]> }> {
    return { kind: this.kind, params: { steps: this.steps.map(([n, t]) => [n, t.toJSON()]) }, state: null };
  }

  /**
   * Rebuilds a saved pipeline; `stepFromJSON` rebuilds each step (the registry's
   * `transformerFromJSON`, which knows every kind, this one included).
   */
  static fromJSON(json: EstimatorJSON, stepFromJSON: (step: EstimatorJSON) => FrameTransformer): Pipeline {
    const { steps } = json.params as { steps: Array<[string, EstimatorJSON]> };
    return new Pipeline(steps.map(([n, t]) => [n, stepFromJSON(t)] as const));
  }
}
