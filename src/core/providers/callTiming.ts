// The time of a call as the network saw it: from the moment its request head was written to the
// socket to the moment the last byte of its response arrived. Both SDKs call the global fetch
// (undici), which publishes these moments on node:diagnostics_channel; an AsyncLocalStorage store
// ties each request to the provider call that issued it. What this leaves out of the measured span
// is ours, not the provider's: building and serialising the request in the SDK, waiting for a free
// connection (and opening one), the SDK's response plumbing, stream and answer parsing, and any
// other work that happens to hold the event loop between the response and the caller's clock.
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import { ProviderError, type ChatResponse } from './types.ts';

/** What the transport saw of one provider call (the last HTTP request it made). */
export interface CallTiming {
  /** performance.now() when the request head was written to the socket; null if it never was. */
  sentAt: number | null;
  /** performance.now() when the response head arrived. */
  headersAt: number | null;
  /** performance.now() when the response's last byte arrived. */
  endedAt: number | null;
  /** The request went out on a connection opened for it (its time includes no set-up, but the server's first-request costs). */
  cold: boolean | null;
}

interface Probe {
  timing: CallTiming;
}

const als = new AsyncLocalStorage<Probe>();
/** Requests in flight → the call they belong to (weak: a request dropped by undici frees its entry). */
const byRequest = new WeakMap<object, Probe>();
/** Sockets that have carried a request already. */
const usedSockets = new WeakSet<object>();
let subscribed = false;

function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  diagnosticsChannel.subscribe('undici:request:create', (m) => {
    const probe = als.getStore();
    const req = (m as { request?: object }).request;
    if (!probe || !req) return;
    // A new request of the same call (a redirect, say): the call is timed from its last request.
    probe.timing = { sentAt: null, headersAt: null, endedAt: null, cold: null };
    byRequest.set(req, probe);
  });
  diagnosticsChannel.subscribe('undici:client:sendHeaders', (m) => {
    const { request, socket } = m as { request?: object; socket?: object };
    const probe = request ? byRequest.get(request) : undefined;
    if (!probe) return;
    probe.timing.sentAt = performance.now();
    if (socket) {
      probe.timing.cold = !usedSockets.has(socket);
      usedSockets.add(socket);
    }
  });
  diagnosticsChannel.subscribe('undici:request:headers', (m) => {
    const req = (m as { request?: object }).request;
    const probe = req ? byRequest.get(req) : undefined;
    if (probe) probe.timing.headersAt = performance.now();
  });
  diagnosticsChannel.subscribe('undici:request:trailers', (m) => {
    const req = (m as { request?: object }).request;
    const probe = req ? byRequest.get(req) : undefined;
    if (!probe) return;
    probe.timing.endedAt = performance.now();
    byRequest.delete(req!);
  });
}

/**
 * Runs `fn` (one provider call) and returns, with its outcome, what the transport saw of it. The
 * timing object is filled as the request progresses; read it after `fn` settles.
 */
export function timedCall<T>(fn: () => Promise<T>): { result: Promise<T>; timing: () => CallTiming } {
  subscribe();
  const probe: Probe = { timing: { sentAt: null, headersAt: null, endedAt: null, cold: null } };
  const result = als.run(probe, fn);
  return { result, timing: () => probe.timing };
}

/** The call's own time, ms: request written → response complete; null when either end was not seen. */
export function callMsOf(t: CallTiming): number | null {
  return t.sentAt !== null && t.endedAt !== null ? t.endedAt - t.sentAt : null;
}

/**
 * Runs one provider call under the transport's clock: the answer comes back with its `callMs`,
 * `sentAt` and `cold`, and a TTFT measured from `clockStart` (performance.now() when the provider
 * began, or null when its clock is not performance.now) is re-based to the request's sending; a
 * failure that had a request out carries the same in `err.span`.
 */
export async function withCallSpan(fn: () => Promise<ChatResponse>, clockStart: number | null): Promise<ChatResponse> {
  const call = timedCall(fn);
  try {
    const res = await call.result;
    const t = call.timing();
    const callMs = callMsOf(t);
    if (callMs === null) return res;
    const ttftMs =
      res.ttftMs !== null && clockStart !== null && t.sentAt !== null ? Math.max(0, res.ttftMs - (t.sentAt - clockStart)) : res.ttftMs;
    return { ...res, ttftMs, callMs, sentAt: t.sentAt, cold: t.cold };
  } catch (err) {
    const t = call.timing();
    if (err instanceof ProviderError && t.sentAt !== null) {
      // A failure with no complete answer (a cut, a timeout) ran until the caller gave up: no call time.
      err.span = { callMs: callMsOf(t), sentAt: t.sentAt, cold: t.cold };
    }
    throw err;
  }
}
