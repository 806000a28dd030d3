/**
 * Markdown as MLflow's UI shows descriptions: rendered by markdown-it with raw HTML off
 * (so text is escaped) and its link validation (no `javascript:` links). Table alignment
 * becomes a class, not a style attribute, so our CSP stays strict.
 */
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: false, linkify: true, breaks: true });
md.renderer.rules.th_open = md.renderer.rules.td_open = (tokens, idx) => {
  const align = /text-align:(\w+)/.exec(String(tokens[idx]?.attrGet("style") ?? ""))?.[1];
  return `<${tokens[idx]?.tag}${align === undefined ? "" : ` class="align-${align}"`}>`;
};
const defaultLink = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet("rel", "noopener noreferrer");
  return defaultLink(tokens, idx, options, env, self);
};

/** The HTML of a markdown text (safe to insert: markdown-it escapes everything else). */
export function markdownHtml(text: string): string {
  return md.render(text);
}

/** Rendered markdown. */
export function Markdown({ text, id }: { readonly text: string; readonly id?: string }) {
  return <div class="markdown" id={id} dangerouslySetInnerHTML={{ __html: markdownHtml(text) }} />;
}
