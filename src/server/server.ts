// Browser mode host: the route contract over HTTP + SSE on loopback, with the built renderer as
// static files. Every API call needs the per-start token; Host and Origin are checked so that
// neither another web page nor a DNS-rebound name can reach the API.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forwardRoute, validateRoute } from '#shared/dispatch.ts';
import { AppError, type ErrorCode, type Result } from '#shared/errors.ts';
import { CSP } from '#shared/csp.ts';
import { isRouteName, type AppEvent, type RouteHandlers } from '#shared/routes.ts';
import { lookupStatic } from './staticFiles.ts';
import { INTAKE_PATH, serveIntake, type IntakeEndpoint } from './intakeEndpoint.ts';

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Header that carries the token on API requests (EventSource uses ?token= instead). */
export const TOKEN_HEADER = 'x-casebench-token';
const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

export interface ServerOptions {
  handlers: RouteHandlers;
  /** Folder of the built renderer (out/renderer). */
  staticDir: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Loopback only: '127.0.0.1' (default) or 'localhost'. */
  host?: string;
  /** SSE heartbeat period, ms. */
  heartbeatMs?: number;
  /** The HTTP ticket intake (POST /intake/tickets, bearer token); absent: no such endpoint. */
  intake?: IntakeEndpoint;
}

export interface RunningServer {
  /** What a user opens: http://127.0.0.1:<port>/#token=<token>. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** The first stdout line of `casebench serve` (contracts §5). */
export function listeningLine(url: string): string {
  return `casebench listening on ${url}`;
}

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...extra,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, extra?: Record<string, string>): void {
  const body: Result<never> = { ok: false, error: { code, message } };
  sendJson(res, status, body, extra);
}

type BodyRead = { kind: 'ok'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    let settled = false;
    const done = (r: BodyRead): void => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (tooLarge) {
        chunks.length = 0;
        // Keep draining so the client can read our 413, but not forever.
        if (size > DRAIN_CAP_BYTES) {
          done({ kind: 'too-large' });
          req.destroy();
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => done(tooLarge ? { kind: 'too-large' } : { kind: 'ok', body: Buffer.concat(chunks) }));
    req.on('error', () => done({ kind: 'aborted' }));
    req.on('close', () => done(tooLarge ? { kind: 'too-large' } : { kind: 'aborted' }));
  });
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== 'localhost') {
    throw new AppError('BAD_INPUT', `casebench serve listens on loopback only (127.0.0.1), not ${host}`);
  }
  let staticRoot: string;
  try {
    staticRoot = await realpath(opts.staticDir);
  } catch {
    throw new AppError('BAD_INPUT', `renderer not built: ${opts.staticDir} is missing (run: npx electron-vite build)`);
  }
  const { handlers } = opts;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const token = randomBytes(32).toString('base64url');
  const tokenDigest = createHash('sha256').update(token).digest();
  const tokenMatches = (given: string | undefined | null): boolean =>
    typeof given === 'string' && timingSafeEqual(createHash('sha256').update(given).digest(), tokenDigest);

  let port = 0;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);
  const streams = new Set<ServerResponse>();

  function serveEvents(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    if (req.method !== 'GET') return sendError(res, 405, 'BAD_INPUT', 'use GET for /api/events', { allow: 'GET' });
    if (!tokenMatches(query.get('token') ?? headerValue(req.headers[TOKEN_HEADER]))) {
      return sendError(res, 401, 'AUTH', 'missing or wrong casebench token');
    }
    req.socket.setTimeout(0);
    req.socket.setNoDelay(true);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    streams.add(res);
    const unsubscribe = handlers.subscribe((e: AppEvent) => {
      if (!res.writableEnded) res.write(`data: ${JSON.stringify(e)}\n\n`);
    });
    const beat = setInterval(() => {
      if (!res.writableEnded) res.write(`: heartbeat ${Date.now()}\n\n`);
    }, heartbeatMs);
    beat.unref();
    res.on('close', () => {
      clearInterval(beat);
      unsubscribe();
      streams.delete(res);
    });
  }

  async function serveApi(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    if (req.method !== 'POST') return sendError(res, 405, 'BAD_INPUT', `use POST for /api/${route}`, { allow: 'POST' });
    if (!tokenMatches(headerValue(req.headers[TOKEN_HEADER]))) {
      return sendError(res, 401, 'AUTH', `missing or wrong casebench token (send it in the ${TOKEN_HEADER} header)`);
    }
    if (!isRouteName(route)) return sendError(res, 404, 'BAD_INPUT', `unknown route: ${JSON.stringify(route.slice(0, 64))}`);
    const ctype = headerValue(req.headers['content-type']) ?? '';
    if (ctype && !/^application\/json\s*(;|$)/i.test(ctype)) {
      return sendError(res, 415, 'BAD_INPUT', 'request body must be application/json');
    }
    const read = await readBody(req, MAX_BODY_BYTES);
    if (read.kind === 'aborted') return;
    if (read.kind === 'too-large') {
      return sendError(res, 413, 'BAD_INPUT', `request body exceeds the limit of ${MAX_BODY_BYTES} bytes (2 MB)`, {
        connection: 'close',
      });
    }
    let input: unknown;
    const text = read.body.toString('utf8');
    if (text.trim() !== '') {
      try {
        input = JSON.parse(text);
      } catch (err) {
        const why = err instanceof Error ? err.message : 'parse error';
        return sendError(res, 400, 'BAD_INPUT', `request body is not valid JSON: ${why}`);
      }
    }
    const v = validateRoute(route, input);
    if (!v.ok) return sendError(res, 400, v.error.code, v.error.message);
    const result = await forwardRoute(handlers, v.data.route, v.data.input);
    sendJson(res, 200, result);
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...SECURITY_HEADERS, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('method not allowed\n');
    }
    const found = await lookupStatic(staticRoot, rawPath);
    if (found.kind === 'bad') {
      res.writeHead(found.status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      return void res.end(`${found.status === 400 ? 'bad request' : 'not found'}\n`);
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': found.contentType,
      'content-length': String(found.size),
      // Vite fingerprints everything under assets/; the page itself must always be fresh.
      'cache-control': rawPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    const stream = createReadStream(found.path);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Webhooks come from servers (often through a proxy, so under another Host): the intake route
    // has its own bearer token instead of the window's start token and Host/Origin checks.
    if (opts.intake && (req.url === INTAKE_PATH || req.url?.startsWith(`${INTAKE_PATH}?`))) return serveIntake(req, res, opts.intake);
    // DNS rebinding: a foreign name resolving to 127.0.0.1 still carries its own Host header.
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts().includes(hostHeader)) {
      return sendError(res, 403, 'BAD_INPUT', 'forbidden host');
    }
    const origin = headerValue(req.headers.origin);
    if (origin !== undefined && !allowedOrigins().includes(origin)) {
      return sendError(res, 403, 'BAD_INPUT', 'forbidden origin');
    }
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const rawPath = q === -1 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));
    if (rawPath === '/api/events') return serveEvents(req, res, query);
    if (rawPath.startsWith('/api/')) return serveApi(req, res, rawPath.slice('/api/'.length));
    if (rawPath === '/api') return sendError(res, 404, 'BAD_INPUT', 'no such endpoint');
    return serveStatic(req, res, rawPath);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'internal server error');
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  let closed: Promise<void> | null = null;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
