// Per-server plumbing: the live options, waits that end early when the client or close() ends the
// response, answer timing, and writing error and JSON bodies (echoing Authorization when asked).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { echoIntoError, type ErrBody } from './errors.ts';
import type { Resolved } from './options.ts';

export interface Io {
  /** The options as configured now (configure() replaces them). */
  readonly opts: Resolved;
  /** Resolves true after ms, or false as soon as the client (or close()) ends the response. */
  wait(ms: number, res: ServerResponse): Promise<boolean>;
  latencyFor(model: string, task: string | null): number;
  ttftFor(model: string, task: string | null, total: number): number;
  /** Error bodies sent on this response echo this Authorization header (echoAuthorization.errorBody). */
  echoInErrors(res: ServerResponse, authorization: string): void;
  sendRaw(res: ServerResponse, err: ErrBody, headers: Record<string, string>): void;
  sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>, pretty: boolean): void;
  /** Ends every wait (as false) and refuses new ones. */
  close(): void;
}

export function createIo(options: () => Resolved): Io {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const echoErrors = new WeakMap<ServerResponse, string>();
  let closing = false;

  return {
    get opts(): Resolved {
      return options();
    },
    wait(ms, res) {
      if (res.destroyed || closing) return Promise.resolve(false);
      if (ms <= 0) return Promise.resolve(true);
      return new Promise((done) => {
        const onClose = (): void => {
          clearTimeout(timer);
          timers.delete(timer);
          done(false);
        };
        const timer = setTimeout(() => {
          timers.delete(timer);
          res.off('close', onClose);
          done(!res.destroyed && !closing);
        }, ms);
        timers.add(timer);
        res.once('close', onClose);
      });
    },
    latencyFor(model, task) {
      const opts = options();
      const base = typeof opts.latencyMs === 'function' ? opts.latencyMs(model, task) : opts.latencyMs;
      const jitter = opts.jitterMs > 0 ? Math.random() * opts.jitterMs : 0;
      return Math.max(0, base + jitter);
    },
    ttftFor(model, task, total) {
      const t = options().ttftMs;
      const v = t === undefined || t === null ? total / 2 : typeof t === 'function' ? t(model, task) : t;
      return Math.max(0, Math.min(v, total));
    },
    echoInErrors(res, authorization) {
      echoErrors.set(res, authorization);
    },
    sendRaw(res, err, headers) {
      if (res.destroyed || res.headersSent) return;
      const echoed = echoErrors.get(res);
      const buf = Buffer.from(echoed === undefined ? err.text : echoIntoError(err.text, echoed), 'utf8');
      res.writeHead(err.status, {
        ...headers,
        'content-type': err.contentType,
        'content-length': String(buf.length),
        ...(err.retryAfterS !== undefined ? { 'retry-after': String(err.retryAfterS) } : {}),
      });
      res.end(buf);
    },
    sendJson(res, status, body, headers, pretty) {
      if (res.destroyed || res.headersSent) return;
      const buf = Buffer.from(pretty ? JSON.stringify(body, null, 2) + '\n' : JSON.stringify(body), 'utf8');
      res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(buf.length) });
      res.end(buf);
    },
    close() {
      closing = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

/** The request body, or null when it is over `limit` bytes or the request failed. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((done) => {
    const parts: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size > limit) over = true;
      else parts.push(d);
    });
    req.on('end', () => done(over ? null : Buffer.concat(parts)));
    req.on('error', () => done(null));
    req.on('close', () => done(over ? null : Buffer.concat(parts)));
  });
}
