import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Where `npm run build` writes the officer console (scripts/build-console.js): the package root's dist/console-app. */
export const CONSOLE_ASSETS = join(__dirname, '..', '..', 'dist', 'console-app');

/**
 * The console may load only its own script and styles and talk only to this service; documents
 * are previewed from blob: URLs the console made (images as <img>, PDFs as an <object> handed to
 * the browser's PDF viewer: console/src/pages/venue-documents.ts says why not a sandboxed frame).
 * Chromium checks such an <object> against object-src and then loads the blob into its viewer's
 * inner frame against frame-src, so both name blob:. Nothing may frame the console.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "object-src blob:",
  "frame-src blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the officer console at /console/ (static files, no server-side rendering): the service
 * itself ships it, so a deployment needs no other component. Answers 404 for /console/ when the
 * console was not built (a `tsc`-only build), and says so once in the log.
 */
export async function registerConsoleAssets(app: NestFastifyApplication, warn: (message: string) => void): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/console', (_request, reply) => reply.redirect('/console/', 301));
  if (!existsSync(join(CONSOLE_ASSETS, 'index.html'))) {
    warn(`The officer console is not built (${CONSOLE_ASSETS} is missing): run npm run build`);
    return;
  }
  await app.register(fastifyStatic, {
    root: CONSOLE_ASSETS,
    prefix: '/console/',
    decorateReply: false,
    index: ['index.html'],
    setHeaders: (response) => {
      response.header('content-security-policy', CONSOLE_CSP);
      response.header('x-content-type-options', 'nosniff');
      response.header('referrer-policy', 'no-referrer');
      response.header('cache-control', 'no-cache');
    },
  });
}
