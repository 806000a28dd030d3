// A deck as a PDF for sharing after the talk: Chromium prints reveal.js's print view
// (?print-pdf), one slide per page (the template sets pdfMaxPagesPerSlide: 1), charts included.
import { readFileSync } from "node:fs";

/** Pages of a PDF: its page objects (`/Type /Page`, not `/Pages`), as Chromium writes them uncompressed. */
export function pdfPageCount(bytes) {
  const text = Buffer.from(bytes).toString("latin1");
  return (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

/**
 * Prints `deck` (a file path) to `pdf`; returns {pdf, pages, slides, charts, drawn}: the PDF's
 * pages, the deck's slides, and its charts and how many were drawn in the print view.
 */
export async function printDeckPdf(browser, deck, pdf) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  try {
    await page.goto(`file://${deck}?print-pdf`);
    await page.waitForFunction("window.Reveal !== undefined && window.Reveal.isReady()", undefined, { timeout: 60_000 });
    await page.waitForFunction("document.querySelectorAll('.pdf-page').length > 0", undefined, { timeout: 30_000 });
    const slides = await page.evaluate("Reveal.getTotalSlides()");
    // Every chart drawn, with a non-empty size, in the laid-out print view.
    const charts = await page.evaluate(`(() => {
      const all = [...document.querySelectorAll(".demo-plotly-chart")];
      for (const c of all) if (window.Plotly) window.Plotly.Plots.resize(c);
      return { all: all.length, drawn: all.filter((c) => { const s = c.querySelector("svg.main-svg"); return s && s.getBoundingClientRect().width > 100; }).length };
    })()`);
    await page.waitForTimeout(300);
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    return { pdf, pages: pdfPageCount(readFileSync(pdf)), slides, charts: charts.all, drawn: charts.drawn };
  } finally {
    await page.close();
  }
}
