import { escapeHtml } from "./html";

/** A box of a diagram: a title and a few lines of text, top-left at (x, y). */
export interface DiagramBox {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly title: string;
  readonly lines?: readonly string[];
  /** Fill colour (default a light grey). */
  readonly fill?: string;
}

/** A dashed boundary around boxes (a network, a security group), labelled at its top left. */
export interface DiagramGroup {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly label: string;
  /** Label at the bottom left instead: for a group an arrow enters from above, which would strike through the label. */
  readonly labelAtBottom?: boolean;
}

/** An arrow from one box's side to another's, with a label near its middle. */
export interface DiagramArrow {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  /** Draw arrowheads at both ends. */
  readonly both?: boolean;
  /** Shift the label from the middle of the arrow, in pixels. */
  readonly labelDx?: number;
  readonly labelDy?: number;
}

/** A whole diagram, in pixels of its own coordinate system. */
export interface DiagramSpec {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly groups?: readonly DiagramGroup[];
  readonly boxes: readonly DiagramBox[];
  readonly arrows?: readonly DiagramArrow[];
}

/** CSS class of the diagrams' `<svg>` (the slides' checks treat its text as chart text). */
export const DIAGRAM_CLASS = "demo-diagram";

const FONT = 19;
const TITLE_FONT = 21;
const LINE = 25;

type Point = { x: number; y: number };

/** Where the segment from a box's centre towards `toward` leaves the box. */
function exitPoint(b: DiagramBox, toward: Point): Point {
  const c = { x: b.x + b.w / 2, y: b.y + b.h / 2 };
  const dx = toward.x - c.x;
  const dy = toward.y - c.y;
  if (dx === 0 && dy === 0) return c;
  const sx = dx === 0 ? Infinity : b.w / 2 / Math.abs(dx);
  const sy = dy === 0 ? Infinity : b.h / 2 / Math.abs(dy);
  const s = Math.min(sx, sy);
  return { x: c.x + dx * s, y: c.y + dy * s };
}

/**
 * A diagram as inline SVG: dashed groups, boxes with a bold title and lines of text, arrows with
 * labels on a white backing. The SVG's size is its coordinate system's, so 19 px text stays
 * 19 px unless the slide is narrower.
 */
export function diagramSvg(spec: DiagramSpec): string {
  const boxes = new Map(spec.boxes.map((b) => [b.id, b]));
  const parts: string[] = [];
  parts.push(
    `<defs><marker id="demo-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">` +
      `<path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>`,
  );
  for (const g of spec.groups ?? []) {
    parts.push(
      `<rect x="${g.x}" y="${g.y}" width="${g.w}" height="${g.h}" rx="10" fill="none" stroke="#888" stroke-width="2" stroke-dasharray="8 6"/>` +
        `<text x="${g.x + 12}" y="${g.labelAtBottom === true ? g.y + g.h - 12 : g.y + 24}" font-size="${FONT}" fill="#555" font-style="italic">${escapeHtml(g.label)}</text>`,
    );
  }
  for (const b of spec.boxes) {
    const lines = b.lines ?? [];
    const top = b.y + b.h / 2 - ((lines.length + 1) * LINE) / 2 + LINE * 0.75;
    parts.push(
      `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" rx="8" fill="${b.fill ?? "#F1F3F4"}" stroke="#5F6368" stroke-width="2"/>` +
        `<text x="${b.x + b.w / 2}" y="${top}" text-anchor="middle" font-size="${TITLE_FONT}" font-weight="bold" fill="#202124">${escapeHtml(b.title)}</text>` +
        lines
          .map((l, i) => `<text x="${b.x + b.w / 2}" y="${top + (i + 1) * LINE}" text-anchor="middle" font-size="${FONT}" fill="#3C4043">${escapeHtml(l)}</text>`)
          .join(""),
    );
  }
  for (const a of spec.arrows ?? []) {
    const from = boxes.get(a.from);
    const to = boxes.get(a.to);
    if (from === undefined || to === undefined) throw new Error(`diagramSvg: arrow ${a.from} -> ${a.to} names a box that does not exist`);
    const p = exitPoint(from, { x: to.x + to.w / 2, y: to.y + to.h / 2 });
    const q = exitPoint(to, { x: from.x + from.w / 2, y: from.y + from.h / 2 });
    parts.push(
      `<line x1="${p.x}" y1="${p.y}" x2="${q.x}" y2="${q.y}" stroke="#444" stroke-width="2.5" marker-end="url(#demo-arrow)"${a.both === true ? ` marker-start="url(#demo-arrow)"` : ""}/>`,
    );
    if (a.label !== undefined) {
      const mx = (p.x + q.x) / 2 + (a.labelDx ?? 0);
      const my = (p.y + q.y) / 2 + (a.labelDy ?? 0);
      const width = a.label.length * FONT * 0.56 + 12;
      parts.push(
        `<rect x="${mx - width / 2}" y="${my - FONT * 0.9}" width="${width}" height="${FONT * 1.4}" fill="white" opacity="0.92"/>` +
          `<text x="${mx}" y="${my + FONT * 0.25}" text-anchor="middle" font-size="${FONT}" fill="#202124">${escapeHtml(a.label)}</text>`,
      );
    }
  }
  return (
    `<svg class="${DIAGRAM_CLASS}" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(spec.title)}" ` +
    `width="${spec.width}" height="${spec.height}" viewBox="0 0 ${spec.width} ${spec.height}" style="max-width:100%;height:auto;font-family:sans-serif">` +
    `<title>${escapeHtml(spec.title)}</title>${parts.join("")}</svg>`
  );
}
