// Types of scripts/deck-check.mjs, for the TypeScript tests that import it.
import type { Browser } from "playwright-core";

/** What checkDeck found in one deck. */
export interface DeckCheck {
  deck: string;
  slides: number;
  charts: number;
  problems: { slide: string; problem: string }[];
  consoleErrors: string[];
  requests: string[];
  screenshots: string[];
}

export const VIEWPORT: { width: number; height: number };
export const MIN_FONT_PX: { body: number; code: number; chart: number };
export function checkDeck(browser: Browser, deck: string, options?: { screenshotDir?: string }): Promise<DeckCheck>;
export function deckReport(result: DeckCheck): string[];
