// Types of scripts/deck-pdf.mjs, for the TypeScript tests that import it.
import type { Browser } from "playwright-core";

/** What printDeckPdf printed. */
export interface DeckPdf {
  pdf: string;
  pages: number;
  slides: number;
  charts: number;
  drawn: number;
}

export function pdfPageCount(bytes: Uint8Array): number;
export function printDeckPdf(browser: Browser, deck: string, pdf: string): Promise<DeckPdf>;
