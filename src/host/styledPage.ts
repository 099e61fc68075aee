// A small page the host serves itself, without the renderer (no session yet: the launch link used
// twice, an expired session, a resting kiosk). The host's CSP refuses inline style, and a stylesheet
// file would itself need a session, so the page's one <style> block is allowed by its hash in that
// response's own CSP — nothing else inline is.
import { createHash } from 'node:crypto';
import { CONTENT_SECURITY_POLICY } from './security';

export interface StyledPage {
  html: string;
  /** The CSP for this response: the host's, with this page's style block allowed by its hash. */
  csp: string;
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `paragraphs` are plain text (escaped here); `lang` is the page's language tag. */
export function styledPage(o: { lang: string; title: string; heading: string; paragraphs: string[]; css: string }): StyledPage {
  const hash = createHash('sha256').update(o.css, 'utf8').digest('base64');
  const html = `<!doctype html><html lang="${escapeHtml(o.lang)}"><head><meta charset="utf-8"><title>${escapeHtml(o.title)}</title><style>${o.css}</style></head>
<body><main><h1>${escapeHtml(o.heading)}</h1>${o.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</main></body></html>`;
  return { html, csp: CONTENT_SECURITY_POLICY.replace("style-src 'self'", `style-src 'self' 'sha256-${hash}'`) };
}
