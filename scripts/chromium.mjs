// Debian's Chromium driven by playwright-core, launched the one way this project does it (headless,
// no sandbox for root, no background networking), for the decks' check, PDFs and UI screenshots.
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** What is missing to drive Chromium, as a message naming the fix, or null. */
export function chromiumMissing() {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing: sudo apt-get install -y chromium`;
}

/** Launches headless Chromium; close it when done. */
export function launchChromium() {
  const missing = chromiumMissing();
  if (missing !== null) throw new Error(missing);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
