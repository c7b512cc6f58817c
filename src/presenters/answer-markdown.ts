import MarkdownIt from 'markdown-it';

/**
 * Safe, limited formatting for official answers written on this platform: Markdown through markdown-it with raw
 * HTML OFF (`<script>` and every other tag is shown as text), no images (nothing remote is loaded by a page or a
 * mail), no tables; links only to http(s) addresses (markdown-it's `validateLink` refuses `javascript:`, `data:`,
 * `vbscript:` and relative tricks) and rendered with `rel="noopener nofollow external"`. What remains: paragraphs,
 * emphasis, headings, lists, block quotes, code, horizontal rules, links (including bare URLs via linkify).
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.disable(['image', 'table']);
md.validateLink = (url: string) => /^https?:\/\//i.test(url.trim());
const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]?.attrSet('rel', 'noopener nofollow external');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/**
 * The HTML of an answer body written in Markdown (see the module comment for what is allowed).
 * @param body Markdown text (already validated: no NUL, valid text)
 * @returns an HTML fragment safe to insert into a page as is
 */
export function renderAnswerMarkdown(body: string): string {
  return md.render(body);
}
