/**
 * A plotly.js chart. Plotly (its strict build: no `eval`, so our CSP holds) is a separate
 * chunk, fetched the first time a page draws a chart. `data-ready` tells tests (and the
 * talk's screenshots) when the chart is drawn.
 */
import { useEffect, useRef, useState } from "preact/hooks";

/** The part of plotly's API the UI uses. */
export interface PlotlyApi {
  react(el: HTMLElement, data: unknown[], layout: Record<string, unknown>, config: Record<string, unknown>): Promise<unknown>;
  purge(el: HTMLElement): void;
  Plots: { resize(el: HTMLElement): void };
}

let plotly: Promise<PlotlyApi> | null = null;

/** Loads plotly once. */
export function loadPlotly(): Promise<PlotlyApi> {
  plotly ??= import("plotly.js-strict-dist-min").then((m) => ((m as { default?: PlotlyApi }).default ?? m) as PlotlyApi);
  return plotly;
}

/** Props of {@link Plot}. */
export interface PlotProps {
  readonly data: unknown[];
  readonly layout?: Record<string, unknown>;
  readonly height?: number;
  readonly id?: string;
  readonly label: string;
  readonly class?: string;
}

const BASE_LAYOUT = {
  margin: { l: 60, r: 20, t: 40, b: 50 },
  font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size: 12, color: "#1f272d" },
  paper_bgcolor: "#fff",
  plot_bgcolor: "#fff",
  colorway: ["#0194e2", "#e2602b", "#2e9e5b", "#a05cd6", "#d6a21f", "#e0457b", "#17becf", "#7f7f7f"],
};

/** A chart that redraws when its data or layout change. */
export function Plot({ data, layout = {}, height = 320, id, label, class: cls }: PlotProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const [drawMs, setDrawMs] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const el = ref.current;
    if (el === null) return;
    setReady(false);
    loadPlotly()
      .then(async (P) => {
        const t0 = performance.now();
        await P.react(el, data, { ...BASE_LAYOUT, height, autosize: true, ...layout }, { responsive: true, displaylogo: false });
        return performance.now() - t0;
      })
      .then((ms) => {
        if (!live) return;
        setDrawMs(ms);
        setReady(true);
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [JSON.stringify(data), JSON.stringify(layout), height]);
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el !== null) void loadPlotly().then((P) => P.purge(el));
    };
  }, []);
  return (
    <figure class={`chart ${cls ?? ""}`} aria-label={label}>
      {error !== null && <p class="error">Chart failed: {error}</p>}
      <div ref={ref} id={id} data-ready={ready ? "true" : "false"} data-draw-ms={drawMs === null ? undefined : Math.round(drawMs)} data-traces={data.length} style={{ minHeight: `${height}px` }} />
    </figure>
  );
}
