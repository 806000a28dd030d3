// Types of scripts/chromium.mjs, for the TypeScript tests and benches that import it.
import type { Browser } from "playwright-core";

export const CHROMIUM: string;
export const CHROMIUM_ARGS: string[];
export function chromiumMissing(): string | null;
export function launchChromium(): Promise<Browser>;
