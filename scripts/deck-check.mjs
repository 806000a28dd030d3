// The decks as the audience sees them: walks every slide of a deck in Chromium at 1280x720 and
// reports what a projector would show wrong: console errors, network requests, elements outside
// their slide, text below the minimum sizes (body 24 px, code 18 px, chart text 14 px), charts
// without a title or axis titles or with clipped labels, slides without speaker notes, and the
// slide number over the navigation arrows. Saves a screenshot per slide for review.
// Generic on purpose: slides added to the notebooks later are checked the same way.
import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";

export const VIEWPORT = { width: 1280, height: 720 };
export const MIN_FONT_PX = { body: 24, code: 18, chart: 14 };

/** Runs in the page: the problems of the current slide (strings), and what it holds. */
function inspectSlide(min) {
  const slide = Reveal.getCurrentSlide();
  const problems = [];
  const rect = slide.getBoundingClientRect();
  // The slide's own scale: layout pixels to screen pixels (reveal scales the slides to the window).
  const scale = slide.offsetWidth > 0 ? rect.width / slide.offsetWidth : 1;
  const bounds = { left: Math.max(0, rect.left), top: Math.max(0, rect.top), right: Math.min(innerWidth, rect.right), bottom: Math.min(innerHeight, rect.bottom) };
  const visible = (el) => {
    const s = getComputedStyle(el);
    if (s.display === "none" || s.visibility === "hidden" || Number(s.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const describe = (el) => {
    const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 50);
    return `<${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? ` class="${el.className.split(" ")[0]}"` : ""}>${text ? ` "${text}"` : ""}`;
  };
  const inside = (r, b, tol = 1.5) => r.left >= b.left - tol && r.top >= b.top - tol && r.right <= b.right + tol && r.bottom <= b.bottom + tol;
  const inNotes = (el) => el.closest("aside.notes") !== null;

  // 1. Nothing outside the slide (HTML elements and whole SVGs; chart internals are checked below).
  const overflowing = [];
  for (const el of slide.querySelectorAll("*")) {
    if (inNotes(el) || (el.closest("svg") !== null && el.tagName.toLowerCase() !== "svg")) continue;
    if (el.tagName.toLowerCase() === "svg" && el.parentElement?.closest("svg") !== null) continue;
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (!inside(r, bounds)) overflowing.push(el);
  }
  // Report the outermost offenders only.
  for (const el of overflowing) {
    if (overflowing.some((o) => o !== el && o.contains(el))) continue;
    const r = el.getBoundingClientRect();
    problems.push(`${describe(el)} overflows the slide (box ${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)})`);
  }
  if (slide.scrollHeight > slide.clientHeight + 2) problems.push(`the slide's content is ${slide.scrollHeight - slide.clientHeight} px taller than the slide`);

  // 2. Minimum font sizes, by kind of text.
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  const small = new Map();
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    if (node.textContent.trim() === "") continue;
    const el = node.parentElement;
    if (el === null || inNotes(el) || !visible(el)) continue;
    const svg = el.closest("svg");
    let kind = "body";
    let px = parseFloat(getComputedStyle(el).fontSize) * scale;
    if (svg !== null) {
      kind = "chart";
      const vb = svg.viewBox?.baseVal;
      const r = svg.getBoundingClientRect();
      if (vb && vb.width > 0) px = parseFloat(getComputedStyle(el).fontSize) * (r.width / vb.width);
    } else if (el.closest("pre, code, .jp-InputArea-editor, .highlight") !== null) kind = "code";
    if (px + 0.05 < min[kind]) {
      const key = `${kind}:${Math.round(px * 10) / 10}`;
      if (!small.has(key)) small.set(key, `${kind} text at ${px.toFixed(1)} px < ${min[kind]} px: "${node.textContent.trim().slice(0, 40)}"`);
    }
  }
  problems.push(...small.values());

  // 2b. No text under reveal's navigation arrows.
  const arrows = [...document.querySelectorAll(".reveal .controls button")]
    .filter((b) => getComputedStyle(b).display !== "none" && getComputedStyle(b).visibility !== "hidden")
    .map((b) => b.getBoundingClientRect())
    .filter((r) => r.width > 0);
  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const covered = new Set();
  const texts = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  for (let node = texts.nextNode(); node !== null; node = texts.nextNode()) {
    const el = node.parentElement;
    if (node.textContent.trim() === "" || el === null || inNotes(el) || !visible(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (arrows.some((a) => overlaps(r, a))) covered.add(node.textContent.trim().slice(0, 40));
    }
  }
  for (const t of covered) problems.push(`text under the navigation arrows: "${t}"`);

  // 3. Charts: a title, every axis titled, no label outside the chart.
  const charts = [...slide.querySelectorAll(".js-plotly-plot")];
  for (const chart of charts) {
    const name = chart.querySelector(".gtitle")?.textContent?.trim() ?? "";
    if (name === "") problems.push(`a chart has no title`);
    const layout = chart._fullLayout;
    const axes = layout?._subplots ? [...(layout._subplots.xaxis ?? []), ...(layout._subplots.yaxis ?? [])] : [];
    for (const id of axes) {
      const axis = layout[id.replace(/^x/, "xaxis").replace(/^y/, "yaxis")];
      if (axis === undefined || axis.visible === false) continue;
      // An axis that shares another's scale without labels of its own (shared y axes) is titled by that one.
      if (typeof axis.matches === "string" && axis.showticklabels === false) continue;
      const title = chart.querySelector(`text.${id}title`)?.textContent?.trim() ?? "";
      if (title === "") problems.push(`chart "${name}": axis ${id} has no title`);
    }
    const box = chart.querySelector("svg.main-svg")?.getBoundingClientRect();
    if (box === undefined || box.width === 0) {
      problems.push(`chart "${name}" is not drawn`);
      continue;
    }
    for (const t of chart.querySelectorAll("svg text")) {
      if (!visible(t) || t.textContent.trim() === "") continue;
      if (!inside(t.getBoundingClientRect(), box, 2)) problems.push(`chart "${name}": label "${t.textContent.trim().slice(0, 30)}" is cut by the chart's edge`);
    }
  }
  for (const svg of slide.querySelectorAll("svg.demo-diagram")) {
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll("text")) {
      if (!inside(t.getBoundingClientRect(), box, 2)) problems.push(`diagram: label "${t.textContent.trim().slice(0, 30)}" is cut by its edge`);
    }
  }

  // 4. Speaker notes.
  const notes = (Reveal.getSlideNotes(slide) ?? "").replace(/<[^>]*>/g, "").trim();
  if (notes === "") problems.push("no speaker notes");

  // 5. The slide shows something.
  const text = slide.innerText.trim().length;
  if (text === 0 && slide.querySelectorAll("table, svg, img").length === 0) problems.push("the slide is empty");
  return { problems, charts: charts.length, notes: notes.length };
}

/** Runs in the page: whether reveal's slide-number badge overlaps its navigation arrows. */
function badgeOverArrows() {
  const badge = document.querySelector(".reveal .slide-number");
  if (badge === null || getComputedStyle(badge).display === "none") return null;
  const b = badge.getBoundingClientRect();
  for (const arrow of document.querySelectorAll(".reveal .controls button")) {
    if (getComputedStyle(arrow).display === "none") continue;
    const a = arrow.getBoundingClientRect();
    if (a.width === 0) continue;
    if (b.left < a.right && a.left < b.right && b.top < a.bottom && a.top < b.bottom) return `the slide number overlaps the ${arrow.className.split(" ")[0]} arrow`;
  }
  return null;
}

/**
 * Walks every slide of `deck` (a file path) in a fresh page at 1280x720. Returns {slides,
 * problems: [{slide, problem}], consoleErrors, requests, screenshots}. With `screenshotDir`,
 * saves <deck>-NN.png per slide.
 */
export async function checkDeck(browser, deck, { screenshotDir } = {}) {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const consoleErrors = [];
  const requests = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  await page.route(/^(?!file:|data:|blob:)/, async (route) => {
    requests.push(route.request().url());
    await route.abort();
  });
  try {
    await page.goto(`file://${deck}`);
    await page.waitForFunction("window.Reveal !== undefined && window.Reveal.isReady()", undefined, { timeout: 60_000 });
    await page.evaluate("Reveal.configure({ transition: 'none', backgroundTransition: 'none' })");
    const indices = await page.evaluate("Reveal.getSlides().map((s) => Reveal.getIndices(s))");
    const problems = [];
    const screenshots = [];
    const name = basename(deck).replace(/\.slides\.html$/, "");
    if (screenshotDir !== undefined) mkdirSync(screenshotDir, { recursive: true });
    let n = 0;
    let charts = 0;
    for (const { h, v } of indices) {
      n++;
      await page.evaluate(`Reveal.slide(${h}, ${v ?? 0})`);
      // Charts resize on slidechanged (the deck's own script); wait for those resizes to finish.
      await page.evaluate(`Promise.all([...Reveal.getCurrentSlide().querySelectorAll(".js-plotly-plot")].map((c) => window.Plotly.Plots.resize(c)))`);
      await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
      const where = `slide ${n} (${h}/${v ?? 0})`;
      const result = await page.evaluate(inspectSlide, MIN_FONT_PX);
      charts += result.charts;
      for (const p of result.problems) problems.push({ slide: where, problem: p });
      const badge = await page.evaluate(badgeOverArrows);
      if (badge !== null) problems.push({ slide: where, problem: badge });
      if (screenshotDir !== undefined) {
        const file = join(screenshotDir, `${name}-${String(n).padStart(2, "0")}.png`);
        await page.screenshot({ path: file });
        screenshots.push(file);
      }
    }
    return { deck, slides: indices.length, charts, problems, consoleErrors, requests, screenshots };
  } finally {
    await page.close();
  }
}

/** The check's findings as readable lines (empty when the deck is clean). */
export function deckReport(result) {
  const lines = [];
  for (const e of result.consoleErrors) lines.push(`console error: ${e}`);
  for (const r of result.requests) lines.push(`network request: ${r}`);
  for (const p of result.problems) lines.push(`${p.slide}: ${p.problem}`);
  return lines.map((l) => `${basename(result.deck)}: ${l}`);
}
