// Types of scripts/build-slides.mjs, for the TypeScript tests and benches that import it.
import type { DeckCheck } from "./deck-check.mjs";
import type { DeckPdf } from "./deck-pdf.mjs";

/** One built deck. */
export interface BuiltDeck {
  name: string;
  output: string;
  bytes: number;
  seconds: number;
  pdf?: DeckPdf;
  check?: DeckCheck;
}

export const REVIEW_DIR: string;
export function buildSlides(
  executed: string[],
  options?: {
    outputDir?: string;
    screenshotDir?: string;
    trackingUri?: string;
    pdf?: boolean;
    check?: boolean;
    reviewDir?: string;
    log?: (line: string) => void;
  },
): Promise<{ decks: BuiltDeck[]; shots: { name: string; file: string; url: string }[]; problems: string[] }>;
