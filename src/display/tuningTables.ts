import type { FrozenTrial } from "../tuning/frozenTrial";
import { durationSeconds } from "../tuning/frozenTrial";
import { quantile } from "../data/quantile";
import { formatPercent, formatPln, formatSeconds, formatSignificant, formatWhole } from "./format";

/** Options of {@link trialRecords}. */
export interface TrialRecordsOptions {
  /** Rows shown: the best trials first (default 8). */
  readonly limit?: number;
  /** Parameters shown as columns (default: none). */
  readonly params?: readonly string[];
  /** Header of the value column, with its unit (default "value"). */
  readonly valueLabel?: string;
}

const roundParam = (v: unknown): unknown => (typeof v === "number" ? Number(formatSignificant(v, 3).replace(/,/g, "")) : v);

/**
 * The best completed trials of a study (lowest value first), rounded for a slide: number,
 * value, rounds run (the `n_rounds` user attribute when set), seconds, and chosen parameters to
 * three significant digits.
 */
export function trialRecords(trials: readonly FrozenTrial[], options: TrialRecordsOptions = {}): Record<string, unknown>[] {
  const label = options.valueLabel ?? "value";
  return trials
    .filter((t) => t.state === "COMPLETE" && t.value !== null)
    .sort((a, b) => (a.value as number) - (b.value as number))
    .slice(0, options.limit ?? 8)
    .map((t) => {
      const row: Record<string, unknown> = { trial: t.number, [label]: Math.round(t.value as number) };
      const rounds = t.userAttrs["n_rounds"];
      if (typeof rounds === "number") row["rounds"] = rounds;
      const seconds = durationSeconds(t);
      if (seconds !== null) row["seconds"] = Number(seconds.toFixed(1));
      for (const p of options.params ?? []) row[p] = roundParam(t.params[p] ?? null);
      return row;
    });
}

/** One parameter of a trial, rounded, with the range it was searched in. */
export interface ParamRecord {
  readonly parameter: string;
  readonly value: unknown;
  readonly "searched in": string;
}

/** A trial's parameters as rows: value to three significant digits and the distribution's range (log or linear, integer or float). */
export function paramRecords(trial: FrozenTrial): ParamRecord[] {
  return Object.keys(trial.params)
    .sort()
    .map((name) => {
      const d = trial.distributions[name];
      let range = "";
      if (d !== undefined && d.kind !== "categorical") {
        range = `${formatSignificant(d.low)} to ${formatSignificant(d.high)}${d.log ? ", log scale" : ""}${d.kind === "int" ? ", integers" : ""}`;
      } else if (d !== undefined) range = d.choices.map(String).join(", ");
      return { parameter: name, value: roundParam(trial.params[name]), "searched in": range };
    });
}

/** The figures of a finished tuning run that {@link tuningSummarySentences} states. */
export interface TuningRunFacts {
  readonly trials: readonly FrozenTrial[];
  /** The trial budget asked for (`N_TRIALS`). */
  readonly budget: number;
  /** The original Python project's budget (50). */
  readonly originalBudget: number;
  /** Wall-clock seconds of the whole run. */
  readonly seconds: number;
}

/** How the tuning went, in sentences generated from its trials: budget, outcomes, pruning, time. */
export function tuningSummarySentences(facts: TuningRunFacts): string[] {
  const count = (state: string): number => facts.trials.filter((t) => t.state === state).length;
  const complete = count("COMPLETE");
  const pruned = count("PRUNED");
  const failed = count("FAIL");
  const n = facts.trials.length;
  const budget =
    facts.budget === facts.originalBudget
      ? `the original Python project's full budget of ${facts.originalBudget}`
      : `a budget of ${facts.budget} (the original Python project ran ${facts.originalBudget}; \`N_TRIALS=${facts.originalBudget}\` gives the full budget)`;
  const out = [`This run tried **${n} trials**, ${budget}, in ${formatSeconds(facts.seconds)}.`];
  let outcome = `${complete} completed, ${pruned} pruned`;
  if (failed > 0) outcome += `, ${failed} failed`;
  const prunedRounds = facts.trials.filter((t) => t.state === "PRUNED").map((t) => t.intermediateValues.size);
  const completeRounds = facts.trials.filter((t) => t.state === "COMPLETE").map((t) => t.intermediateValues.size);
  if (pruned > 0 && completeRounds.length > 0) {
    outcome += `: pruned trials stopped after a median of ${formatWhole(quantile(prunedRounds, 0.5))} rounds, completed ones ran ${formatWhole(quantile(completeRounds, 0.5))}`;
  }
  out.push(`${outcome}.`);
  return out;
}

/** Holdout figures of one model (a `HoldoutMetrics` fits). */
export interface HoldoutFigures {
  readonly rmse: number;
  readonly mape: number;
  readonly mae: number;
  readonly r2: number;
}

/**
 * Models' holdout figures side by side, one column per model: RMSE and MAE in whole PLN, MAPE in
 * percent, R² to three decimals; with `unseen`, also their RMSE on the holdout flats that have no
 * exact copy in the training part.
 */
export function holdoutRecords(models: Readonly<Record<string, HoldoutFigures>>, unseen?: Readonly<Record<string, HoldoutFigures>>): Record<string, unknown>[] {
  const names = Object.keys(models);
  const row = (label: string, f: (h: HoldoutFigures) => number | string): Record<string, unknown> => {
    const r: Record<string, unknown> = { "on the holdout": label };
    for (const n of names) r[n] = f(models[n] as HoldoutFigures);
    return r;
  };
  return [
    row("RMSE (PLN)", (h) => Math.round(h.rmse)),
    row("MAE (PLN)", (h) => Math.round(h.mae)),
    row("MAPE (%)", (h) => Number((100 * h.mape).toFixed(2))),
    row("R²", (h) => Number(h.r2.toFixed(3))),
    ...(unseen === undefined
      ? []
      : [
          (() => {
            const r: Record<string, unknown> = { "on the holdout": "RMSE, flats not in training (PLN)" };
            for (const n of names) r[n] = unseen[n] === undefined ? null : Math.round((unseen[n] as HoldoutFigures).rmse);
            return r;
          })(),
        ]),
  ];
}

/** The figures {@link tuningVerdictSentences} compares. */
export interface TuningVerdictFacts {
  readonly tuned: HoldoutFigures;
  readonly forest: HoldoutFigures;
  /** Holdout rows. */
  readonly holdoutRows: number;
  /** The tuning's best cross-validated RMSE (RepeatedKFold on the tuning's training part). */
  readonly tunedCvRmse: number;
  /** The forest's 5-fold CV RMSE from experiment 1, when known (another split and other folds). */
  readonly forestCvRmse?: number;
  /** Trials run. */
  readonly trials: number;
  /** Both models on the holdout flats with no exact copy in the training part, when some have one. */
  readonly unseen?: { readonly rows: number; readonly tuned: HoldoutFigures; readonly forest: HoldoutFigures };
}

/** Relative differences below this count as a tie. */
const TIE = 0.005;

/** Who wins on RMSE, and by how much: "**tuning wins** by 1.2 % (567 PLN)", "**the forest stays ahead** by …", "**a tie** …". */
function outcome(tuned: number, forest: number): string {
  const gap = (forest - tuned) / forest;
  if (Math.abs(gap) < TIE) return `**a tie** (within ${formatPercent(TIE)})`;
  if (gap > 0) return `**tuning wins** by ${formatPercent(gap)} (${formatPln(forest - tuned)})`;
  return `**the forest stays ahead** by ${formatPercent(-gap)} (${formatPln(tuned - forest)})`;
}

/**
 * Does tuning beat the random forest? Sentences generated from the figures, whichever way they
 * fall: the holdout RMSE and MAPE of both models on the same rows, and how the cross-validated
 * figures compare (with why they are not like for like).
 */
export function tuningVerdictSentences(f: TuningVerdictFacts): string[] {
  const out: string[] = [];
  const head = `On the same ${formatWhole(f.holdoutRows)} holdout flats, the tuned booster's RMSE is ${formatPln(f.tuned.rmse)} against the random forest's ${formatPln(f.forest.rmse)}`;
  out.push(`${head}: ${outcome(f.tuned.rmse, f.forest.rmse)}.`);
  const mapeBetter = f.tuned.mape < f.forest.mape ? "the booster" : "the forest";
  out.push(`By MAPE, ${mapeBetter} is better: ${formatPercent(f.tuned.mape)} against ${formatPercent(f.forest.mape)}.`);
  const copies = f.holdoutRows - (f.unseen?.rows ?? f.holdoutRows);
  if (f.unseen !== undefined && copies > 0) {
    out.push(
      `${formatWhole(copies)} holdout flats (${formatPercent(copies / f.holdoutRows, 0)}) have an exact copy in the training part (duplicates are kept, as in the original Python project); ` +
        `on the other ${formatWhole(f.unseen.rows)}, the booster's RMSE is ${formatPln(f.unseen.tuned.rmse)} against the forest's ${formatPln(f.unseen.forest.rmse)}: ` +
        `${outcome(f.unseen.tuned.rmse, f.unseen.forest.rmse)}.`,
    );
  }
  if (f.forestCvRmse !== undefined) {
    const cvSide = f.tunedCvRmse < f.forestCvRmse ? "below" : "above";
    out.push(
      `Cross-validation does not settle it: the tuning's best CV RMSE (${formatPln(f.tunedCvRmse)}) is ${cvSide} ` +
        `the forest's in part 2 (${formatPln(f.forestCvRmse)}), but on other folds of another split.`,
    );
  } else {
    out.push(`The tuning's best CV RMSE was ${formatPln(f.tunedCvRmse)} (repeated 4×2 folds on the training part).`);
  }
  return out;
}
