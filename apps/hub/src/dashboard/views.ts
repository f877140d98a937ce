import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Response } from 'express';
import nunjucks from 'nunjucks';

/** govuk-frontend's dist folder: its Nunjucks macros, compiled CSS/JS, fonts and images. */
export const govukFrontendDir = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
/** The dashboard's own templates and static files (outside src: tsc does not copy them). */
export const viewsDir = join(__dirname, '..', '..', 'views');
export const publicDir = join(__dirname, '..', '..', 'public');

/**
 * Server-side rendering with Nunjucks, the engine GOV.UK Frontend's component macros are written
 * for: pages use `govukTable`, `govukErrorSummary`... so their markup (and its accessibility) is
 * GOV.UK's own, not a copy. Autoescaping is on: every value is HTML-escaped unless marked safe.
 */
const environment = new nunjucks.Environment(
  new nunjucks.FileSystemLoader([viewsDir, govukFrontendDir], { noCache: process.env.NODE_ENV === 'development' }),
  { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
);

/**
 * Renders a page with a strict Content-Security-Policy: scripts and styles only from the hub,
 * plus the one inline line of GOV.UK's template (allowed by a per-response nonce).
 */
export function renderPage(response: Response, template: string, context: Record<string, unknown>, status = 200): void {
  const cspNonce = randomBytes(16).toString('base64');
  const html = environment.render(template, { ...context, cspNonce });
  response
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': [
        "default-src 'self'", `script-src 'self' 'nonce-${cspNonce}'`, "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
        "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
      ].join('; '),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    })
    .send(html);
}
