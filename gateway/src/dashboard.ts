import fs from 'node:fs';
import path from 'node:path';
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { sendText, type RouteHandler } from '@wanxin/platform';

/** graphql-ws's own browser build (UMD, global `graphqlWs`), served from the installed package. */
const CLIENT_SCRIPT_PATH = path.join(path.dirname(require.resolve('graphql-ws')), '..', 'umd', 'graphql-ws.min.js');
/**
 * uPlot's browser build (global `uPlot`) and its stylesheet, served from the installed package like graphql-ws:
 * no CDN. It styles its elements through the DOM (element.style), which style-src 'self' allows.
 */
const CHART_SCRIPT_PATH = require.resolve('uplot/dist/uPlot.iife.min.js');
const CHART_STYLES_PATH = require.resolve('uplot/dist/uPlot.min.css');
/** The page's own files: gateway/static, in the package beside dist (this file runs as dist/src/dashboard.js). */
const STATIC_DIRECTORY = path.join(__dirname, '..', '..', 'static');
/** Fundraising loans followed live at once; the page says when there are more. */
const LIVE_LOANS_MAX = 20;

/**
 * The page runs only its own script and styles, served from this origin (no inline code, so no injected
 * markup can run), talks only to this origin (GraphQL over HTTP and WebSocket), and may not be framed (no
 * clickjacking of the admin's sign-in).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** One file of the page, read once at start. */
interface PageFile {
  contentType: string;
  body: Buffer;
}

function staticFile(fileName: string, contentType: string): PageFile {
  return { contentType, body: fs.readFileSync(path.join(STATIC_DIRECTORY, fileName)) };
}

/** A platformStats field and its scalar's name (Int, Money, Date…), so the page formats money as money. */
interface StatField {
  field: string;
  type: string;
}

function statFieldsOf(apiSchema: GraphQLSchema): StatField[] {
  const statsType = apiSchema.getQueryType()?.getFields().platformStats?.type;
  const named = statsType === undefined ? undefined : getNamedType(statsType);
  if (!isObjectType(named)) return [];
  return Object.values(named.getFields())
    .filter(({ name }) => name !== 'date')
    .map(({ name, type }) => ({ field: name, type: getNamedType(type).name }));
}

/**
 * The admin dashboard: `GET /dashboard` (gateway/static/dashboard.html), its script and styles, the graphql-ws
 * and uPlot browser builds it loads, and `settings.json`: the stats fields of the schema served (with their
 * types) and how many loans the page follows live.
 */
export function dashboardRoutes(apiSchema: GraphQLSchema): Record<string, RouteHandler> {
  const settings = { statFields: statFieldsOf(apiSchema), liveLoansMax: LIVE_LOANS_MAX };
  const javascript = 'text/javascript; charset=utf-8';
  const files: Record<string, PageFile> = {
    '/dashboard': staticFile('dashboard.html', 'text/html; charset=utf-8'),
    '/dashboard/dashboard.js': staticFile('dashboard.js', javascript),
    '/dashboard/dashboard.css': staticFile('dashboard.css', 'text/css; charset=utf-8'),
    '/dashboard/settings.json': { contentType: 'application/json', body: Buffer.from(JSON.stringify(settings)) },
    '/dashboard/graphql-ws.js': { contentType: javascript, body: fs.readFileSync(CLIENT_SCRIPT_PATH) },
    '/dashboard/uplot.js': { contentType: javascript, body: fs.readFileSync(CHART_SCRIPT_PATH) },
    '/dashboard/uplot.css': { contentType: 'text/css; charset=utf-8', body: fs.readFileSync(CHART_STYLES_PATH) },
  };
  const headers = {
    'cache-control': 'no-store',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  return Object.fromEntries(
    Object.entries(files).map(([route, file]): [string, RouteHandler] => [
      route,
      (request, response) => {
        if (request.method !== 'GET') return sendText(response, 405, 'method not allowed');
        response.writeHead(200, { ...headers, 'content-type': file.contentType });
        response.end(file.body);
      },
    ]),
  );
}
