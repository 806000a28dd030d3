// The slides' build, shared by `npm run slides`, the presentation test and the bench: UI
// screenshots from the store the notebooks wrote, one offline deck per executed notebook, and
// optionally a PDF per deck and the decks' check (scripts/deck-check.mjs).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { launchChromium } from "./chromium.mjs";
import { checkDeck, deckReport } from "./deck-check.mjs";
import { printDeckPdf } from "./deck-pdf.mjs";
import { EXECUTED_DIR, exportSlides, SLIDES_DIR } from "./presentation-tools.mjs";
import { notebooksTrackingUri, shootUiPages } from "./ui-screenshots.mjs";

/** Where `--check` saves a screenshot per slide for review (git-ignored). */
export const REVIEW_DIR = join(SLIDES_DIR, ".review");

const usesScreenshots = (executed) =>
  JSON.parse(readFileSync(executed, "utf8")).cells.some((c) => typeof c.metadata?.demo?.screenshot === "string");

/**
 * Builds the decks of `executed` notebooks. Returns {decks: [{name, output, bytes, seconds, pdf?,
 * check?}], shots, problems}: `problems` lists what failed (empty when all is well).
 */
export async function buildSlides(executed, options = {}) {
  const {
    outputDir = SLIDES_DIR,
    screenshotDir = join(EXECUTED_DIR, "ui"),
    trackingUri = notebooksTrackingUri(),
    pdf = false,
    check = false,
    reviewDir = REVIEW_DIR,
    log = () => {},
  } = options;
  const problems = [];
  const decks = [];
  let shots = [];
  const browser = await launchChromium();
  try {
    if (executed.some((e) => existsSync(e) && usesScreenshots(e))) {
      const start = performance.now();
      const taken = await shootUiPages(browser, { trackingUri, outDir: screenshotDir });
      shots = taken.shots;
      problems.push(...taken.failures);
      log(`slides: ${shots.length} tracking UI screenshots from ${trackingUri} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
    }
    for (const nb of executed) {
      const name = basename(nb, ".ipynb");
      if (!existsSync(nb)) {
        problems.push(`${nb} is missing: run npm run notebooks first`);
        continue;
      }
      let deck;
      try {
        deck = { name, ...exportSlides(nb, { outputDir, screenshotDir }) };
      } catch (e) {
        problems.push(String(e instanceof Error ? e.message : e));
        continue;
      }
      log(`slides: ${deck.output} (${(deck.bytes / 1e6).toFixed(1)} MB, ${deck.seconds.toFixed(1)} s)`);
      if (pdf) {
        const start = performance.now();
        deck.pdf = await printDeckPdf(browser, deck.output, join(outputDir, `${name}.pdf`));
        const p = deck.pdf;
        log(`slides: ${p.pdf} (${p.pages} pages for ${p.slides} slides, ${p.drawn} of ${p.charts} charts drawn, ${((performance.now() - start) / 1000).toFixed(1)} s)`);
        if (p.pages !== p.slides) problems.push(`${p.pdf}: ${p.pages} pages for ${p.slides} slides`);
        if (p.drawn !== p.charts) problems.push(`${p.pdf}: ${p.charts - p.drawn} of ${p.charts} charts not drawn in the print view`);
      }
      if (check) {
        const dir = join(reviewDir, name);
        mkdirSync(dir, { recursive: true });
        deck.check = await checkDeck(browser, deck.output, { screenshotDir: dir });
        const report = deckReport(deck.check);
        problems.push(...report);
        log(`slides: checked ${deck.check.slides} slides of ${name}: ${report.length === 0 ? "no problems" : `${report.length} problem(s)`}; screenshots in ${dir}`);
      }
      decks.push(deck);
    }
  } finally {
    await browser.close();
  }
  return { decks, shots, problems };
}
