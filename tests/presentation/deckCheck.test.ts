// The decks' checker against a deck with known defects, one per slide: it must name each defect
// on its slide and find nothing on the clean slide. Otherwise a passing deck check would prove
// nothing.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { chromiumMissing, launchChromium } from "../../scripts/chromium.mjs";
import { checkDeck, type DeckCheck } from "../../scripts/deck-check.mjs";
import { pdfPageCount, printDeckPdf } from "../../scripts/deck-pdf.mjs";
import { inlineAssets } from "../../scripts/presentation-tools.mjs";
import { loadPlotly, plotlyHtml } from "../../src/display";

/** The page count poppler's pdfinfo reads: truth independent of our own parser. */
export function pdfinfoPages(pdf: string): number {
  const out = execFileSync("/usr/bin/pdfinfo", [pdf], { encoding: "utf8" });
  return Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]);
}
const pdfinfoMissing = !existsSync("/usr/bin/pdfinfo");

const missing = chromiumMissing();
if (missing !== null) console.warn(`SKIPPED the deck checker's own test: ${missing}`);

const notes = `<aside class="notes">What to say here.</aside>`;
const SLIDES = [
  `<section><h2 style="font-size:40px">A clean slide</h2><p style="font-size:24px">Body text at 24 px.</p>${notes}</section>`,
  `<section><p style="font-size:12px">tiny body text</p>${notes}</section>`,
  `<section><table style="width:2000px;font-size:24px"><tr><td>a table wider than the slide</td></tr></table>${notes}</section>`,
  `<section><p style="font-size:24px">a slide without notes</p></section>`,
  `<section>${loadPlotly()}${plotlyHtml({ data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }], layout: { title: "a plain string, which plotly.js 4 ignores" } })}${notes}</section>`,
  `<section><pre style="font-size:14px">small code</pre>${notes}</section>`,
  `<section><p style="font-size:24px">fetches an image</p><img src="http://127.0.0.1:9/x.png" alt="">${notes}</section>`,
];

function deckHtml(slideNumberOverArrows: boolean): string {
  const badge = slideNumberOverArrows ? "" : "<style>.reveal .slide-number { left: 10px; right: auto; }</style>";
  // As the decks' template does: plotly.js arrives inside a slide, its "loaded" line hidden.
  const hidden = "<style>.demo-plotly-loaded { display: none; }</style>";
  return inlineAssets(
    `<!DOCTYPE html><html><head><meta charset="utf-8"><!--@@INLINE style reveal.js/dist/reveal.css@@-->${badge}${hidden}</head><body>` +
      `<div class="reveal"><div class="slides">${SLIDES.join("\n")}</div></div>` +
      `<!--@@INLINE script reveal.js/dist/reveal.js@@--><!--@@INLINE script reveal.js/dist/plugin/notes.js@@-->` +
      `<script>console.error("an error on purpose"); Reveal.initialize({ width: 1280, height: 720, margin: 0, center: false, ` +
      `slideNumber: "c/t", hash: false, pdfMaxPagesPerSlide: 1, plugins: [RevealNotes] });</script></body></html>`,
  );
}

describe.skipIf(missing !== null)("the deck checker finds the defects an audience would see", () => {
  const dir = mkdtempSync(join(tmpdir(), "deck-check-"));
  let browser: Browser;
  let result: DeckCheck;
  beforeAll(async () => {
    browser = await launchChromium();
    const deck = join(dir, "defects.slides.html");
    writeFileSync(deck, deckHtml(true));
    result = await checkDeck(browser, deck, { screenshotDir: join(dir, "shots") });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const on = (n: number): string[] => result.problems.filter((p) => p.slide.startsWith(`slide ${n} `)).map((p) => p.problem);

  it("walks every slide and saves a screenshot of each", () => {
    expect(result.slides).toBe(SLIDES.length);
    expect(result.screenshots.length).toBe(SLIDES.length);
    for (const file of result.screenshots) expect(readFileSync(file).subarray(1, 4).toString()).toBe("PNG");
  });

  it("finds nothing wrong on the clean slide but the slide number over the arrows", () => {
    expect(on(1)).toEqual([expect.stringMatching(/slide number overlaps/)]);
  });

  it("names small body text, an overflowing table, missing notes and small code", () => {
    expect(on(2)).toContain('body text at 12.0 px < 24 px: "tiny body text"');
    expect(on(3).some((p) => /<table> "a table wider than the slide" overflows the slide/.test(p))).toBe(true);
    expect(on(4)).toContain("no speaker notes");
    expect(on(6)).toContain('code text at 14.0 px < 18 px: "small code"');
  });

  it("names a chart without a title or axis titles", () => {
    expect(on(5)).toEqual(expect.arrayContaining(["a chart has no title", 'chart "": axis x has no title', 'chart "": axis y has no title']));
  });

  it("records console errors and blocks network requests", () => {
    expect(result.consoleErrors).toContain("an error on purpose");
    expect(result.requests).toEqual(["http://127.0.0.1:9/x.png"]);
  });

  it("prints the deck one slide per page", async () => {
    const deck = join(dir, "clean.slides.html");
    writeFileSync(deck, deckHtml(false));
    const pdf = await printDeckPdf(browser, deck, join(dir, "clean.pdf"));
    expect(pdf.slides).toBe(SLIDES.length);
    expect(pdf.pages).toBe(SLIDES.length);
    expect(pdfPageCount(readFileSync(pdf.pdf))).toBe(SLIDES.length);
    expect(pdf.charts).toBe(1);
    expect(pdf.drawn).toBe(1);
    if (pdfinfoMissing) console.warn("SKIPPED counting the PDF's pages with pdfinfo: /usr/bin/pdfinfo is missing (apt-get install poppler-utils)");
    else expect(pdfinfoPages(pdf.pdf)).toBe(SLIDES.length);
  }, 60_000);
});
