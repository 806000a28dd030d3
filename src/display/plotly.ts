import { readFileSync } from "node:fs";
import { scriptJson } from "./html";

/** A plotly.js figure: traces, layout and config as plotly.js takes them. */
export interface PlotlyChart {
  readonly data: readonly object[];
  readonly layout?: object;
  readonly config?: object;
}

/** Options of {@link plotlyHtml}. */
export interface PlotlyHtmlOptions {
  /** Height of the chart in pixels (default: the layout's height, else 420). */
  readonly height?: number;
}

/** CSS class of every chart container that {@link plotlyHtml} emits (tests and slides look for it). */
export const PLOTLY_CHART_CLASS = "demo-plotly-chart";

/** The charts' base font size in pixels (plotly.js's default of 12 is too small on a projector). */
export const PLOTLY_FONT_SIZE = 16;

let plotlyScript: string | undefined;
let chartCounter = 0;

/** plotly.js-dist-min's version, read from its package.json. */
export function plotlyVersion(): string {
  const pkg = JSON.parse(readFileSync(require.resolve("plotly.js-dist-min/package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/**
 * The whole of plotly.js (about 4.7 MB), inlined in one `<script>` that sets `window.Plotly`:
 * display it once, at the top of a notebook, and every later {@link plotlyHtml} chart is a
 * small div plus a call. Works offline, in Jupyter and in the exported slides alike.
 */
export function loadPlotly(): string {
  if (plotlyScript === undefined) {
    // Inline scripts end at the first "</script"; "<!--" could start an escaped state.
    const source = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8")
      .replace(/<\/script/gi, "<\\/script")
      .replace(/<!--/g, "<\\!--");
    plotlyScript = `<script type="text/javascript">${source}</script>`;
  }
  return (
    `${plotlyScript}\n<p class="demo-plotly-loaded" style="font-size:60%;color:#888">` +
    `plotly.js ${plotlyVersion()} loaded once for this page; charts below reuse it.</p>`
  );
}

/**
 * A chart as HTML: a div and a short script that draws it with the page's `window.Plotly`
 * (from {@link loadPlotly}); when plotly.js is missing the div says so instead of failing silently.
 * Text is {@link PLOTLY_FONT_SIZE} px unless the layout sets a font size; the mode bar stays hidden.
 */
export function plotlyHtml(figure: PlotlyChart, options: PlotlyHtmlOptions = {}): string {
  const layout = (figure.layout ?? {}) as { height?: number; font?: object };
  const height = options.height ?? layout.height ?? 420;
  const id = `demo-plotly-${process.pid}-${++chartCounter}`;
  const config = { responsive: true, displaylogo: false, displayModeBar: false, ...(figure.config ?? {}) };
  const fullLayout = { ...layout, font: { size: PLOTLY_FONT_SIZE, ...(layout.font ?? {}) }, height, autosize: true };
  return (
    `<div id="${id}" class="${PLOTLY_CHART_CLASS}" style="width:100%;height:${height}px"></div>\n` +
    `<script type="text/javascript">(function () {\n` +
    `  var el = document.getElementById(${scriptJson(id)});\n` +
    `  if (!window.Plotly) { el.textContent = "plotly.js is not loaded on this page: display loadPlotly() first."; return; }\n` +
    `  window.Plotly.newPlot(el, ${scriptJson(figure.data)}, ${scriptJson(fullLayout)}, ${scriptJson(config)});\n` +
    `})();</script>`
  );
}
