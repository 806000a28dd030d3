// arquero tables as HTML: rounding, thousands separators, the row limit, long text, escaping and
// transposition by structure; then the tables of notebook 02's arquero cells (the cells' own code,
// from scripts/add-explore-cells.mjs) laid out in Chromium at 1280x720 with the slides' table
// style: none is wider than a slide, and a table too wide for the page scrolls inside its box.
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOlx } from "../../src";
import * as frames from "../../src/frames";
import { arquero, arqueroHtml, formatTableNumber, olxArquero, TABLE_SCROLL_CLASS } from "../../src/frames";
import { EXPLORE_CELLS } from "../../scripts/add-explore-cells.mjs";

describe("formatTableNumber", () => {
  it("rounds to significant digits without cutting the integer part, groups thousands from 10,000, leaves NaN empty", () => {
    expect(formatTableNumber(62_818)).toBe("62,818");
    expect(formatTableNumber(2022)).toBe("2022");
    expect(formatTableNumber(2022, 4, true)).toBe("2,022");
    expect(formatTableNumber(512_345.678)).toBe("512,346");
    expect(formatTableNumber(55.3421)).toBe("55.34");
    expect(formatTableNumber(55.3421, 6)).toBe("55.3421");
    expect(formatTableNumber(0.000123456)).toBe("0.0001235");
    expect(formatTableNumber(-12_345.6)).toBe("-12,346");
    expect(formatTableNumber(9_999.96)).toBe("10,000");
    expect(formatTableNumber(2.5)).toBe("2.5");
    expect(formatTableNumber(0)).toBe("0");
    expect(formatTableNumber(NaN)).toBe("");
    expect(formatTableNumber(Infinity)).toBe("∞");
  });
});

describe("arqueroHtml", () => {
  const aq = arquero();
  const t = aq.table({
    city: ["Łódź", "<b>Kraków</b>", null, "Gdańsk"],
    price: Float64Array.from([350_000, 512_345.5, NaN, 4_321.25]),
    title: ["a".repeat(60), "short", "x & y", ""],
  });

  it("shows at most maxRows rows, in the table's order, then how many more", () => {
    const html = arqueroHtml(t.orderby(aq.desc("price")), { maxRows: 2 });
    expect(html.match(/<tr>/g)).toHaveLength(3);
    expect(html.indexOf("512,346")).toBeLessThan(html.indexOf("350,000"));
    expect(html).toContain('<p class="demo-table-more">… 2 more rows (4 in all)</p>');
    expect(arqueroHtml(t)).not.toContain("demo-table-more");
  });

  it("groups a column of measured quantities from 1,000 (a median per m² of 8,145), but not years or counts below 10,000", () => {
    const stats = aq.table({ year: [2021, 2022], offers: [1250, 9800], median_per_m2: [8145.25, 999.4], share: [0.5, 1234.5] });
    const html = arqueroHtml(stats);
    expect(html).toContain('<td style="text-align:right">2022</td>');
    expect(html).toContain('<td style="text-align:right">9800</td>');
    expect(html).toContain('<td style="text-align:right">8,145</td>');
    expect(html).toContain('<td style="text-align:right">999.4</td>');
    expect(html).toContain('<td style="text-align:right">1,235</td>');
  });

  it("right-aligns numbers and their header, groups a whole column when one of its numbers reaches 10,000, leaves missing cells empty", () => {
    const html = arqueroHtml(t);
    expect(html).toContain('<th style="text-align:right">price</th>');
    expect(html).toContain("<th>city</th>");
    expect(html).toContain('<td style="text-align:right">4,321</td>');
    expect(html).toContain('<td style="text-align:right"></td>');
    expect(html).toContain("<tr><td></td>");
  });

  it("escapes text, cuts long text with the whole of it in the tooltip, keeps Polish letters", () => {
    const html = arqueroHtml(t, { maxTextLength: 20 });
    expect(html).toContain("&lt;b&gt;Kraków&lt;/b&gt;");
    expect(html).not.toContain("<b>");
    expect(html).toContain(`<td title="${"a".repeat(60)}">${"a".repeat(19)}…</td>`);
    expect(html).toContain("x &amp; y");
    expect(html).toContain("<td>Łódź</td>");
  });

  it("transposes: one row per column, headed by the first column's values", () => {
    const html = arqueroHtml(t.select("city", "price"), { transpose: true, maxRows: 2 });
    expect(html).toContain('<thead><tr><th>city</th><th style="text-align:right">Łódź</th><th style="text-align:right">&lt;b&gt;Kraków&lt;/b&gt;</th></tr></thead>');
    expect(html).toContain('<tr><td>price</td><td style="text-align:right">350,000</td><td style="text-align:right">512,346</td></tr>');
    expect(html).toContain("… 2 more rows (4 in all)");
  });

  it("has the project's table classes inside a box that scrolls sideways", () => {
    const html = arqueroHtml(t);
    expect(html).toMatch(new RegExp(`^<div class="${TABLE_SCROLL_CLASS}" style="max-width:100%;overflow-x:auto"><table class="demo-table">`));
  });
});

/**
 * The notebook's arquero cells run as they are (their code is TypeScript without annotations):
 * the HTML each displays. Their one import, of the built `../dist/frames`, is handed `src/frames`.
 */
function exploreCellsHtml(): string[] {
  const shown: string[] = [];
  const tslab = { display: { html: (h: string) => shown.push(h) } };
  const IMPORT = 'import * as frames from "../dist/frames";';
  const body = EXPLORE_CELLS.filter((c) => c.cell_type === "code")
    .map((c) => c.source)
    .join("\n");
  expect(body.split("\n").filter((l) => l.startsWith("import ")).map((l) => l.slice(0, IMPORT.length))).toEqual([IMPORT]);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function("frames", "tslab", "data", body.replace(/^import .*$/m, ""))(frames, tslab, loadOlx());
  return shown;
}

// The slides' table style (slides/template/index.html.j2): 24 px text, cells padded 0.14em 0.5em,
// a 1280x720 slide with 40 px side padding.
const SLIDE_CSS = `
  body { margin: 0; font-family: sans-serif; }
  section { width: 1280px; height: 720px; padding: 14px 40px 0 40px; box-sizing: border-box; font-size: 24px; }
  table.demo-table { font-size: 24px; border-collapse: collapse; }
  table.demo-table th, table.demo-table td { padding: 0.14em 0.5em; font-size: 24px; line-height: 1.25; vertical-align: top; text-align: left; }
  .demo-table-more { font-size: 24px; }`;

const CHROMIUM = "/usr/bin/chromium";
const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing) console.warn(`SKIPPED laying the arquero tables out in Chromium: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(chromiumMissing)("the notebook's arquero tables in Chromium at 1280x720", () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  interface Box {
    tableWidth: number;
    boxRight: number;
    boxWidth: number;
    scrollWidth: number;
    bottom: number;
  }

  async function layout(html: string): Promise<Box> {
    await page.setContent(`<!doctype html><meta charset="utf-8"><style>${SLIDE_CSS}</style><section>${html}</section>`);
    return (await page.evaluate(`(() => {
      const box = document.querySelector(".${TABLE_SCROLL_CLASS}");
      const last = document.querySelector("section").lastElementChild;
      return { tableWidth: box.querySelector("table").getBoundingClientRect().width, boxRight: box.getBoundingClientRect().right,
               boxWidth: box.clientWidth, scrollWidth: box.scrollWidth, bottom: last.getBoundingClientRect().bottom };
    })()`)) as Box;
  }

  it("each table of the cells fits a slide's width, and its height leaves room for a title and the code", async () => {
    const tables = exploreCellsHtml();
    expect(tables).toHaveLength(EXPLORE_CELLS.filter((c) => c.metadata.demo?.expect === "table").length);
    for (const html of tables) {
      expect(html).toContain('class="demo-table"');
      const box = await layout(html);
      expect(box.tableWidth, html.slice(0, 300)).toBeLessThanOrEqual(1200);
      expect(box.scrollWidth, html.slice(0, 300)).toBeLessThanOrEqual(box.boxWidth);
      // Title (~70 px) and up to four lines of code (~110 px) above it.
      expect(box.bottom, html.slice(0, 300)).toBeLessThanOrEqual(720 - 180);
    }
  });

  it("a table wider than the page scrolls inside its box; transposed, a few rows fit", async () => {
    const olx = olxArquero();
    const wide = await layout(arqueroHtml(olx, { maxRows: 3 }));
    expect(wide.tableWidth).toBeGreaterThan(1200);
    expect(wide.boxRight).toBeLessThanOrEqual(1240);
    expect(wide.scrollWidth).toBeGreaterThan(wide.boxWidth);
    const onItsSide = await layout(arqueroHtml(olx.select("city_name", "price", "area", "rooms", "market", "voivodeship"), { maxRows: 3, transpose: true }));
    expect(onItsSide.tableWidth).toBeLessThanOrEqual(1200);
  });
});
