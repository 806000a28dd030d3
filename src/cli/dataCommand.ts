import { parseArgs } from "node:util";
import { loadOlx } from "../data/olx";
import type { Frame } from "../data/frame";
import { printJsonLine, type Command } from "./command";
import { formatTable } from "./table";

const USAGE = `usage: mlflow-demo-ts data [--csv PATH] [--dedupe] [--no-repair] [--json]

Loads the OLX house-price data (the bundled sample unless --csv or OLX_CSV names a file),
cleans it as the original Python project does (drop rows without a floor; keep prices within the 5%-95%
quantiles) and summarises it.
  --csv PATH    the CSV to read (e.g. ../shared/data/olx_house_price_Q122.csv)
  --dedupe      drop exact duplicate rows first (off by default, as in the original Python project)
  --no-repair   keep double-encoded Polish letters as published
  --json        print one JSON object as the last line`;

function columnSummary(frame: Frame): Array<Array<string | number>> {
  return frame.columnNames.map((name) => {
    const col = frame.get(name);
    if (col instanceof Float64Array) {
      const present = col.filter((v) => !Number.isNaN(v));
      const mean = present.reduce((a, b) => a + b, 0) / Math.max(present.length, 1);
      return [name, "number", col.length - present.length, present.length ? Math.min(...present) : NaN, mean, present.length ? Math.max(...present) : NaN];
    }
    const distinct = new Set(col.filter((v) => v !== null)).size;
    return [name, `text (${distinct} distinct)`, col.filter((v) => v === null).length, "", "", ""];
  });
}

/** `mlflow-demo-ts data`: load, clean and summarise the OLX data. */
export const dataCommand: Command = {
  summary: "load, clean and summarise the OLX house-price data",
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        csv: { type: "string" },
        dedupe: { type: "boolean", default: false },
        "no-repair": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
      strict: true,
    });
    const data = loadOlx({ csv: values.csv, dropDuplicates: values.dedupe, repairText: !values["no-repair"] });
    const s = data.stats;
    const steps: Array<Array<string | number>> = [
      ["rows read", s.rows_raw],
      ...(values.dedupe ? [["exact duplicates dropped", s.duplicates_dropped]] : []),
      ["rows with a floor", s.rows_after_dropna_floor],
      ["price 5% quantile", s.price_q05],
      ["price 95% quantile", s.price_q95],
      ["rows within the price quantiles", s.rows_after_price_filter],
      ["text values repaired", s.repaired_text_values],
    ];
    process.stdout.write(`${data.source === "sample" ? "Bundled synthetic sample" : "Real data"}: ${data.path}\n\n`);
    process.stdout.write(formatTable(["cleaning step", "value"], steps) + "\n\n");
    process.stdout.write(formatTable(["column", "type", "missing", "min", "mean", "max"], columnSummary(data.frame)) + "\n");
    if (values.json) printJsonLine({ ...s, source: data.source, path: data.path, columns: data.frame.columnNames });
    return 0;
  },
};
