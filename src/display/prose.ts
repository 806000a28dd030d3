import { escapeHtml } from "./html";

/** CSS class of the sentences that display helpers generate from the data (slides size them as body text). */
export const PROSE_CLASS = "demo-prose";

/**
 * Sentences as HTML: one paragraph, or a bullet list when `bullets` is set. Text between
 * `**` is bold, between backticks is code; everything else is escaped.
 */
export function proseHtml(sentences: readonly string[], options: { bullets?: boolean } = {}): string {
  const inline = (s: string): string =>
    escapeHtml(s)
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
      .replace(/`([^`]+)`/g, "<code>$1</code>");
  if (options.bullets === true) return `<ul class="${PROSE_CLASS}">${sentences.map((s) => `<li>${inline(s)}</li>`).join("")}</ul>`;
  return `<p class="${PROSE_CLASS}">${sentences.map(inline).join(" ")}</p>`;
}
