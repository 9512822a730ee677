// The wire thread: the SDKs' HTTP requests run on a worker thread of their own, so the moments a
// call's request leaves and its answer's last byte arrives are stamped by an event loop that does
// nothing else. On the main loop those stamps waited behind whatever casebench was doing when the
// bytes came in (recording the previous answer, building the next prompt, garbage collection):
// at concurrency 16 that added 5–25 ms to calls that took 50–180 ms at the provider (issue 13 §1,
// README "Performance"). Both SDKs take a `fetch`; this is one, with the same contract as the
// global fetch (undici) it runs on the other side: same errors (a `TypeError('fetch failed')`
// with the network code as its cause), same abort behaviour, a streamed body.
//
// The worker is unref'd while no request is in flight, so it never keeps a process alive. If a
// worker cannot be started (or the host's CASEBENCH_WIRE_THREAD=0, passed in as `wireThread: false`), requests go to the global fetch on this
// thread and callTiming.ts times them there, as before.
import { Worker } from 'node:worker_threads';
import { currentCallProbe, type CallProbe } from './callTiming.ts';

type FetchFn = typeof globalThis.fetch;

// Plain CommonJS, evaluated in the worker (no file to bundle or ship beside the app).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const dc = require('node:diagnostics_channel');
const { AsyncLocalStorage } = require('node:async_hooks');
const als = new AsyncLocalStorage();
const byRequest = new WeakMap();
const usedSockets = new WeakSet();
const clock = () => performance.timeOrigin + performance.now();
dc.subscribe('undici:request:create', (m) => {
  const probe = als.getStore();
  if (!probe || !m.request) return;
  probe.sentAt = null; probe.headersAt = null; probe.endedAt = null; probe.cold = null;
  byRequest.set(m.request, probe);
});
dc.subscribe('undici:client:sendHeaders', (m) => {
  const probe = m.request ? byRequest.get(m.request) : undefined;
  if (!probe) return;
  probe.sentAt = clock();
  if (m.socket) { probe.cold = !usedSockets.has(m.socket); usedSockets.add(m.socket); }
});
dc.subscribe('undici:request:headers', (m) => {
  const probe = m.request ? byRequest.get(m.request) : undefined;
  if (probe) probe.headersAt = clock();
});
dc.subscribe('undici:request:trailers', (m) => {
  const probe = m.request ? byRequest.get(m.request) : undefined;
  if (!probe) return;
  probe.endedAt = clock();
  byRequest.delete(m.request);
});
function describe(err) {
  const chain = [];
  for (let cur = err; cur && typeof cur === 'object' && chain.length < 5; cur = cur.cause) {
    chain.push({ name: String(cur.name ?? 'Error'), message: String(cur.message ?? ''), code: typeof cur.code === 'string' ? cur.code : null });
  }
  if (chain.length === 0) chain.push({ name: 'Error', message: String(err), code: null });
  return chain;
}
const live = new Map();
parentPort.on('message', (msg) => {
  if (msg.type === 'abort') { const ac = live.get(msg.id); if (ac) ac.abort(); return; }
  if (msg.type !== 'fetch') return;
  const ac = new AbortController();
  live.set(msg.id, ac);
  const probe = { sentAt: null, headersAt: null, endedAt: null, cold: null };
  als.run(probe, () => run(msg, ac, probe));
});
async function run(msg, ac, probe) {
  const id = msg.id;
  let headSent = false;
  try {
    const res = await fetch(msg.url, { method: msg.method, headers: msg.headers, body: msg.body === null ? undefined : msg.body, signal: ac.signal, redirect: msg.redirect });
    parentPort.postMessage({ type: 'head', id, status: res.status, statusText: res.statusText, headers: [...res.headers], url: res.url, timing: probe });
    headSent = true;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parentPort.postMessage({ type: 'chunk', id, bytes: value });
      }
    }
    parentPort.postMessage({ type: 'end', id, timing: probe });
  } catch (err) {
    parentPort.postMessage({ type: 'error', id, headSent, error: describe(err), timing: probe });
  } finally {
    live.delete(id);
  }
}
`;

interface Pending {
  resolve: (r: Response) => void;
  reject: (e: unknown) => void;
  stream: ReadableStreamDefaultController<Uint8Array> | null;
  probe: CallProbe | undefined;
  /** The reader cancelled the body: the worker's closing message still brings the timing. */
  cancelled: boolean;
  cleanup: () => void;
}

interface WireTiming {
  sentAt: number | null;
  headersAt: number | null;
  endedAt: number | null;
  cold: boolean | null;
}

type ErrorLink = { name: string; message: string; code: string | null };

let worker: Worker | null = null;
let broken = false;
let nextId = 1;
const pending = new Map<number, Pending>();

/** A worker's absolute clock (timeOrigin + now) on this thread's performance.now() scale. */
function local(t: number | null): number | null {
  return t === null ? null : t - performance.timeOrigin;
}

function applyTiming(p: Pending, t: WireTiming | undefined): void {
  if (!p.probe || !t) return;
  p.probe.timing = { sentAt: local(t.sentAt), headersAt: local(t.headersAt), endedAt: local(t.endedAt), cold: t.cold };
}

/** Rebuilds what undici's fetch threw, as undici throws it: outermost error, causes beneath. */
function rebuild(chain: ErrorLink[]): Error {
  let cause: Error | undefined;
  for (const link of [...chain].reverse()) {
    const e: Error & { code?: string } =
      link.name === 'TypeError'
        ? new TypeError(link.message, cause ? { cause } : undefined)
        : new Error(link.message, cause ? { cause } : undefined);
    if (link.name !== 'TypeError' && link.name !== 'Error') e.name = link.name;
    if (link.code) e.code = link.code;
    cause = e;
  }
  return cause!;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function settle(id: number): Pending | undefined {
  const p = pending.get(id);
  if (!p) return undefined;
  pending.delete(id);
  p.cleanup();
  if (pending.size === 0) worker?.unref();
  return p;
}

function onMessage(msg: { type: string; id: number; [k: string]: unknown }): void {
  const p = pending.get(msg.id);
  if (!p) return;
  switch (msg.type) {
    case 'head': {
      applyTiming(p, msg.timing as WireTiming);
      const status = msg.status as number;
      const nullBody = status === 101 || status === 204 || status === 205 || status === 304;
      const body = nullBody
        ? null
        : new ReadableStream<Uint8Array>({
            start: (c) => {
              p.stream = c;
            },
            cancel: () => {
              // The SDK stops reading after the stream's last event ([DONE]); the worker has most
              // likely seen the last byte already and says so in its closing message.
              p.cancelled = true;
              p.stream = null;
              worker?.postMessage({ type: 'abort', id: msg.id });
            },
          });
      const res = new Response(body, { status, statusText: msg.statusText as string, headers: msg.headers as [string, string][] });
      if (msg.url) Object.defineProperty(res, 'url', { value: msg.url });
      p.resolve(res);
      return;
    }
    case 'chunk':
      if (!p.cancelled) p.stream?.enqueue(msg.bytes as Uint8Array);
      return;
    case 'end':
      applyTiming(p, msg.timing as WireTiming);
      settle(msg.id);
      try {
        p.stream?.close();
      } catch {
        // The reader went away first.
      }
      return;
    case 'error': {
      applyTiming(p, msg.timing as WireTiming);
      settle(msg.id);
      if (p.cancelled) return;
      const err = rebuild(msg.error as ErrorLink[]);
      if (msg.headSent) p.stream?.error(err);
      else p.reject(err);
      return;
    }
  }
}

function failAll(reason: string): void {
  const err = new TypeError('fetch failed', { cause: new Error(reason) });
  for (const id of [...pending.keys()]) {
    const p = settle(id)!;
    if (p.cancelled) continue;
    if (p.stream) p.stream.error(err);
    else p.reject(err);
  }
}

function ensureWorker(): Worker | null {
  if (worker) return worker;
  if (broken) return null;
  try {
    const w = new Worker(WORKER_SOURCE, { eval: true, name: 'casebench wire' });
    w.on('message', onMessage);
    w.on('error', (e) => {
      worker = null;
      failAll(`the network thread failed: ${e.message}`);
    });
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll('the network thread stopped');
    });
    // After the listeners: adding a 'message' listener refs the worker's port again, so a process
    // that built a lane but made no call (e.g. `casebench judge` with nothing left) would never exit.
    w.unref();
    worker = w;
    return w;
  } catch {
    broken = true;
    return null;
  }
}

function bodyOf(body: unknown): string | Uint8Array | null | undefined {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return undefined; // a stream or form: not carried across; the caller falls back
}

/** fetch over the wire thread (same contract as the global fetch). */
export const wireFetch: FetchFn = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : null;
  const body = bodyOf(init?.body);
  const w = url !== null && body !== undefined ? ensureWorker() : null;
  if (!w || url === null || body === undefined) return globalThis.fetch(input, init);
  const signal = init?.signal ?? null;
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  const id = nextId++;
  const headers = [...new Headers(init?.headers)];
  return new Promise<Response>((resolve, reject) => {
    const onAbort = (): void => {
      w.postMessage({ type: 'abort', id });
      const p = settle(id);
      if (!p || p.cancelled) return;
      const reason = abortReason(signal!);
      if (p.stream) p.stream.error(reason);
      else p.reject(reason);
    };
    const probe = currentCallProbe();
    let settled = (): void => {};
    if (probe) probe.settled = new Promise<void>((r) => (settled = r));
    const entry: Pending = {
      resolve,
      reject,
      stream: null,
      probe,
      cancelled: false,
      cleanup: () => {
        signal?.removeEventListener('abort', onAbort);
        settled();
      },
    };
    pending.set(id, entry);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (pending.size === 1) w.ref();
    w.postMessage({ type: 'fetch', id, url, method: init?.method ?? 'GET', headers, body, redirect: init?.redirect ?? 'follow' });
  });
};

/** The fetch the providers hand their SDK: the wire thread unless turned off. */
export function transportFetch(wireThread = true): FetchFn | undefined {
  if (!wireThread) return undefined;
  // Started now, beside the work that precedes the first call, not in front of it (~50–200 ms).
  ensureWorker();
  return wireFetch;
}
