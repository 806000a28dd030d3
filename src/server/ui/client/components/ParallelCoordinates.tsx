/**
 * Parallel coordinates without WebGL: lines on a 2D canvas (a thousand runs paint in a few
 * milliseconds even where WebGL falls back to a software rasteriser: a VM, a remote desktop,
 * a laptop without GPU acceleration), axes, ticks, labels, brushes and the colour bar in SVG
 * over it, as real text. Drag along an axis to select a range (ranges on different axes
 * combine with AND), click a range to remove it; the count of selected runs is shown and the
 * rest are dimmed. Hovering a line shows the run's values; a click on it opens the run.
 * `data-ready` tells tests (and the talk's screenshots) when it is drawn, `data-draw-ms` how
 * long its first drawing of the lines took.
 */
import { useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { AxisValue } from "../lib/axisScale";
import { brushAxis, clickAxis, NO_BRUSHES, selection, type Brushes } from "../lib/brushing";
import { colorBarStops } from "../lib/colorScale";
import { roundNumber } from "../lib/format";
import { ticksOf, type ParallelData } from "../lib/parallelData";
import { nearestRun } from "../lib/parallelHit";
import { parallelLayout, tOf, yOf } from "../lib/parallelLayout";
import { linePaint } from "../lib/parallelPaint";
import { describeBrushes, summary } from "../lib/parallelText";
import { href, navigate } from "../lib/router";
import { paintHover, paintLines } from "./parallelCanvas";

/** Props of {@link ParallelCoordinates}. */
export interface ParallelCoordinatesProps {
  readonly data: ParallelData;
  /** The element's id (the figure, which carries `data-ready`). */
  readonly id?: string;
  /** Height of the drawing in CSS pixels (the width is the container's). */
  readonly height?: number;
  /** What the chart shows, for screen readers (the canvas' label starts with it). */
  readonly label: string;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const LABEL_FONT = `600 13px ${FONT}`;
const TICK_FONT = `12px ${FONT}`;
/** A drag shorter than this (CSS pixels) is a click. */
const CLICK_SLOP = 3;
/** How far from a line the pointer may be to hover it. */
const REACH = 6;

let measurer: CanvasRenderingContext2D | null | undefined;
function textWidth(text: string, font: string): number {
  if (measurer === undefined) measurer = document.createElement("canvas").getContext("2d");
  if (measurer === null) return text.length * 7;
  measurer.font = font;
  return measurer.measureText(text).width;
}

function shown(v: AxisValue): string {
  if (v === null) return "missing";
  return typeof v === "number" ? roundNumber(v) : v;
}

let instances = 0;

/** The chart. */
export function ParallelCoordinates({ data, id, height = 380, label }: ParallelCoordinatesProps) {
  const figure = useRef<HTMLElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const lines = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const [uid] = useState(() => `pc${++instances}`);
  const [size, setSize] = useState<{ width: number; dpr: number } | null>(null);
  const axesKey = data.axes.map((a) => a.id).join("\n");
  const [brushState, setBrushState] = useState<{ key: string; brushes: Brushes }>({ key: axesKey, brushes: NO_BRUSHES });
  const brushes = brushState.key === axesKey ? brushState.brushes : NO_BRUSHES;
  const [drag, setDrag] = useState<{ axis: number; y0: number; y1: number } | null>(null);
  const dragRef = useRef(drag);
  dragRef.current = drag;
  const down = useRef<{ x: number; y: number } | null>(null);
  const [hoverState, setHover] = useState<{ run: number; x: number; y: number } | null>(null);
  const hover = hoverState !== null && hoverState.run < data.runs.length ? hoverState : null; // runs may have changed since
  const [ready, setReady] = useState(false);

  const empty = data.runs.length === 0 || data.axes.length === 0;
  // The drawing follows its container's width and the screen's pixel ratio (once there is a drawing).
  useLayoutEffect(() => {
    const el = box.current;
    if (el === null) return;
    const read = (): void => {
      const width = Math.floor(el.clientWidth);
      const dpr = window.devicePixelRatio || 1;
      setSize((prev) => (prev !== null && prev.width === width && prev.dpr === dpr ? prev : { width, dpr }));
    };
    read();
    // Read on the next frame: a size set inside the observer's callback could trip its loop check.
    let frame = 0;
    const resize = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(read);
    });
    resize.observe(el);
    let query: MediaQueryList | null = null;
    const onRatio = (): void => {
      read();
      watchRatio();
    };
    const watchRatio = (): void => {
      query?.removeEventListener("change", onRatio);
      query = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
      query.addEventListener("change", onRatio);
    };
    watchRatio();
    return () => {
      cancelAnimationFrame(frame);
      resize.disconnect();
      query?.removeEventListener("change", onRatio);
    };
  }, [empty]);

  const paint = useMemo(() => linePaint(data), [data]);
  const tickCount = Math.max(2, Math.floor((height - 90) / 42));
  const ticks = useMemo(() => ticksOf(data, tickCount), [data, tickCount]);
  const hasMissing = data.axes.some((a) => a.missing > 0);
  const colorAxis = data.colorAxis;
  const layout = useMemo(() => {
    if (size === null || data.axes.length === 0) return null;
    const widest = (labels: readonly string[]): number => Math.max(0, ...labels.map((t) => textWidth(t, TICK_FONT)));
    return parallelLayout({
      width: size.width,
      height,
      labels: data.axes.map((a) => a.label),
      leftTickWidth: widest([...(ticks[0] ?? []).map((t) => t.label), ...((data.axes[0]?.missing ?? 0) > 0 ? ["missing"] : [])]),
      colorBar: colorAxis === null ? null : { tickWidth: widest((ticks[colorAxis] ?? []).map((t) => t.label)) },
      missing: hasMissing,
      measure: (t) => textWidth(t, LABEL_FONT),
    });
  }, [size, data, ticks, height]);

  // While dragging, the range being drawn already selects.
  const live = useMemo(() => {
    if (drag === null || layout === null || Math.abs(drag.y1 - drag.y0) < CLICK_SLOP) return brushes;
    return brushAxis(brushes, drag.axis, tOf(layout, drag.y0), tOf(layout, drag.y1));
  }, [brushes, drag, layout]);
  const selected = useMemo(() => selection(data.positions, data.axes.length, live), [data, live]);

  useLayoutEffect(() => {
    const canvas = lines.current;
    if (canvas === null || layout === null || size === null) return;
    const t0 = performance.now();
    paintLines(canvas, layout, size.dpr, data, paint, selected.mask);
    if (!ready) {
      // The first drawing's time, rasterising included (a one-pixel read waits for it; reading on
      // every redraw would make the browser keep the canvas in memory for reads).
      canvas.getContext("2d")?.getImageData(0, 0, 1, 1);
      figure.current?.setAttribute("data-draw-ms", String(Math.round(performance.now() - t0)));
      performance.mark("parallel-coordinates-drawn"); // for bench/ui.mjs's breakdown of the page's time
      setReady(true);
    }
  }, [layout, size, data, paint, selected]);

  useLayoutEffect(() => {
    if (overlay.current !== null && layout !== null && size !== null) paintHover(overlay.current, layout, size.dpr, data, hover?.run ?? null);
  }, [hover?.run, layout, size, data]);

  const at = (e: PointerEvent): { x: number; y: number } => {
    const r = (svg.current as SVGSVGElement).getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const startBrush = (axis: number) => (e: PointerEvent): void => {
    if (e.button !== 0 || layout === null) return;
    e.preventDefault();
    e.stopPropagation();
    svg.current?.setPointerCapture(e.pointerId);
    const { y } = at(e);
    setHover(null);
    setDrag({ axis, y0: y, y1: y });
  };
  const onPointerDown = (e: PointerEvent): void => {
    down.current = e.button === 0 ? at(e) : null;
  };
  const onPointerMove = (e: PointerEvent): void => {
    if (layout === null) return;
    const p = at(e);
    const d = dragRef.current;
    if (d !== null) {
      setDrag({ ...d, y1: p.y });
      return;
    }
    const run = nearestRun(layout, data.positions, data.axes.length, p.x, p.y, REACH, paint.order, brushes.size > 0 ? selected.mask : null);
    setHover(run === null ? null : { run, x: p.x, y: p.y });
  };
  const onPointerUp = (e: PointerEvent): void => {
    const d = dragRef.current;
    const p = at(e);
    if (d !== null && layout !== null) {
      const next = Math.abs(p.y - d.y0) < CLICK_SLOP ? clickAxis(brushes, d.axis, tOf(layout, d.y0)) : brushAxis(brushes, d.axis, tOf(layout, d.y0), tOf(layout, p.y));
      setBrushState({ key: axesKey, brushes: next });
      setDrag(null);
      return;
    }
    const start = down.current;
    down.current = null;
    if (start !== null && hover !== null && Math.hypot(p.x - start.x, p.y - start.y) < CLICK_SLOP) {
      const run = data.runs[hover.run];
      if (run !== undefined) navigate(href({ page: "run", runId: run.id }));
    }
  };

  const runs = data.runs.length;
  const objective = colorAxis === null ? null : (data.axes[colorAxis]?.label ?? null);
  const brushed = live.size > 0;
  const countText = brushed ? `${selected.count} of ${runs} runs selected` : `${runs} run${runs === 1 ? "" : "s"}`;
  const missingAxes = data.axes.filter((a) => a.missing > 0);
  const tip = hover === null || size === null ? null : data.runs[hover.run];
  const bar = layout?.colorBar ?? null;
  const barRight = bar === null ? 0 : bar.x + bar.width;
  // The tooltip beside the pointer, on the side with room, kept inside the drawing's height.
  const tipTop = hover === null ? 0 : Math.max(0, Math.min(hover.y - 24, height - (46 + 19 * data.axes.length)));
  return (
    <figure ref={figure} id={id} class="chart parcoords" data-ready={ready || empty ? "true" : "false"} data-runs={runs} data-selected={selected.count}>
      <div class="pc-head">
        <span class="pc-count" aria-live="polite">
          {countText}
        </span>
        {brushed && <span class="pc-brushes muted">{describeBrushes(data, live)}</span>}
        {brushState.key === axesKey && brushState.brushes.size > 0 && (
          <button type="button" class="link pc-clear" onClick={() => setBrushState({ key: axesKey, brushes: NO_BRUSHES })}>
            Clear selection
          </button>
        )}
        {runs > 0 && !brushed && <span class="pc-hint muted">Drag along an axis to select runs; hover a line for its values.</span>}
      </div>
      {empty ? (
        <p class="muted pc-empty">No runs to draw: none has a value on the chosen axes.</p>
      ) : (
        <div ref={box} class="pc-box" style={{ height: `${height}px` }}>
          <canvas ref={lines} class="pc-lines" role="img" aria-label={summary(data, label, brushed ? selected.count : null)} style={size === null ? undefined : { width: `${size.width}px`, height: `${height}px` }} />
          <canvas ref={overlay} class="pc-overlay" aria-hidden="true" style={size === null ? undefined : { width: `${size.width}px`, height: `${height}px` }} />
          {layout !== null && (
            <svg
              ref={svg}
              class={`pc-svg${hover !== null ? " pc-on-line" : ""}${drag !== null ? " pc-dragging" : ""}`}
              width={layout.width}
              height={layout.height}
              role="group"
              aria-label="Axes"
              onPointerDown={onPointerDown}
              onPointerMove={onPointerMove}
              onPointerUp={onPointerUp}
              onPointerLeave={() => setHover(null)}
            >
              {data.axes.map((a, i) => {
                const x = layout.axisX[i] as number;
                const name = layout.labels[i];
                return (
                  <g class="pc-axis" key={a.id} data-axis={a.id}>
                    <line class="pc-axis-line" x1={x} x2={x} y1={layout.top} y2={layout.bottom} />
                    {(ticks[i] ?? []).map((t) => (
                      <g class="pc-tick" key={t.label} transform={`translate(${x},${yOf(layout, t.t)})`}>
                        <line x1={-4} x2={0} y1={0} y2={0} />
                        <text x={-7} dy="0.32em">
                          {t.label}
                        </text>
                      </g>
                    ))}
                    {a.missing > 0 && layout.missingY !== null && (
                      <g class="pc-tick pc-missing" transform={`translate(${x},${layout.missingY})`}>
                        <line x1={-4} x2={4} y1={0} y2={0} />
                        <text x={-7} dy="0.32em">
                          missing
                        </text>
                      </g>
                    )}
                    {name !== undefined && (
                      <text class="pc-label" x={name.x} y={name.y}>
                        {name.text}
                        {name.text !== name.full && <title>{name.full}</title>}
                      </text>
                    )}
                    {(live.get(i) ?? []).map((r) => (
                      <rect class="pc-brush" key={`${r.lo}-${r.hi}`} x={x - 7} width={14} y={yOf(layout, r.hi)} height={Math.max(1, yOf(layout, r.lo) - yOf(layout, r.hi))} />
                    ))}
                    <rect class="pc-hit" x={x - 12} width={24} y={layout.top - 6} height={layout.bottom - layout.top + 12} onPointerDown={startBrush(i)}>
                      <title>Drag along {a.label} to select a range</title>
                    </rect>
                  </g>
                );
              })}
              {layout.colorBar !== null && colorAxis !== null && (
                <g class="pc-colorbar">
                  <defs>
                    <linearGradient id={`${uid}-scale`} x1="0" y1="1" x2="0" y2="0">
                      {colorBarStops(data.lowerIsBetter).map((s) => (
                        <stop key={s.offset} offset={s.offset} stop-color={s.color} />
                      ))}
                    </linearGradient>
                  </defs>
                  <text class="pc-bar-title" transform={`translate(${layout.colorBar.titleX},${(layout.top + layout.bottom) / 2}) rotate(-90)`} dy="0.32em">
                    {objective} ({data.lowerIsBetter ? "lower" : "higher"} is better)
                  </text>
                  <rect class="pc-bar" x={layout.colorBar.x} y={layout.top} width={layout.colorBar.width} height={layout.bottom - layout.top} fill={`url(#${uid}-scale)`} />
                  {(ticks[colorAxis] ?? []).map((t) => (
                    <g class="pc-bar-tick" key={t.label} transform={`translate(${barRight},${yOf(layout, t.t)})`}>
                      <line x1={0} x2={4} y1={0} y2={0} />
                      <text x={7} dy="0.32em">
                        {t.label}
                      </text>
                    </g>
                  ))}
                </g>
              )}
            </svg>
          )}
          {tip !== null && tip !== undefined && hover !== null && size !== null && (
            <div class="pc-tip" role="tooltip" style={hover.x > size.width / 2 ? { right: `${size.width - hover.x + 14}px`, top: `${tipTop}px` } : { left: `${hover.x + 14}px`, top: `${tipTop}px` }}>
              <strong>{tip.name}</strong>
              <table>
                <tbody>
                  {data.axes.map((a, i) => (
                    <tr key={a.id}>
                      <th scope="row">{a.label}</th>
                      <td>{shown(data.values[i]?.[hover.run] ?? null)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <span class="muted small">Click to open the run</span>
            </div>
          )}
        </div>
      )}
      <figcaption class="pc-legend muted small">
        {objective !== null && runs > 0 && (
          <span>
            Colour: {objective}, darker is better ({data.lowerIsBetter ? "lower" : "higher"} is better).{" "}
          </span>
        )}
        {missingAxes.length > 0 && (
          <span class="pc-missing-note">
            Runs without a value are drawn at the axis' “missing” mark: {missingAxes.map((a) => `${a.label} (${a.missing} run${a.missing === 1 ? "" : "s"})`).join(", ")}.
          </span>
        )}
      </figcaption>
    </figure>
  );
}
