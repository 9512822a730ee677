// The time of a call as the network saw it: from the moment its request head was written to the
// socket to the moment the last byte of its response arrived. The SDKs' requests run on the wire
// thread (wireThread.ts), which stamps those moments on its own idle event loop and writes them
// into the call's probe; where it is off, they call the global fetch (undici) here, which
// publishes these moments on node:diagnostics_channel. Either way an AsyncLocalStorage store ties
// each request to the provider call that issued it. What this leaves out of the measured span
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

export interface CallProbe {
  timing: CallTiming;
  /**
   * Set by a fetch that learns the timing after the caller may be done with the body (the wire
   * thread, when the SDK cancels a stream after its last event): resolves once the timing is in.
   */
  settled?: Promise<void>;
}
type Probe = CallProbe;

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
 * The timing record of the provider call this code runs inside, if any: a fetch that does its
 * own timing (wireThread.ts) writes what it saw there.
 */
export function currentCallProbe(): CallProbe | undefined {
  return als.getStore();
}

/**
 * Runs `fn` (one provider call) and returns, with its outcome, what the transport saw of it. The
 * timing object is filled as the request progresses; read it after `fn` settles.
 */
export function timedCall<T>(fn: () => Promise<T>): { result: Promise<T>; timing: () => Promise<CallTiming> } {
  subscribe();
  const probe: Probe = { timing: { sentAt: null, headersAt: null, endedAt: null, cold: null } };
  const result = als.run(probe, fn);
  return {
    result,
    timing: async () => {
      // The wire thread's last word on a cancelled stream is one message away; never wait long.
      if (probe.settled) await Promise.race([probe.settled, new Promise((r) => setTimeout(r, SETTLE_WAIT_MS).unref())]);
      return probe.timing;
    },
  };
}

/** Longest wait for a transport's timing after the call itself is over. */
const SETTLE_WAIT_MS = 250;

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
    const t = await call.timing();
    const callMs = callMsOf(t);
    if (callMs === null) return res;
    const ttftMs =
      res.ttftMs !== null && clockStart !== null && t.sentAt !== null ? Math.max(0, res.ttftMs - (t.sentAt - clockStart)) : res.ttftMs;
    return { ...res, ttftMs, callMs, sentAt: t.sentAt, cold: t.cold };
  } catch (err) {
    const t = await call.timing();
    if (err instanceof ProviderError && t.sentAt !== null) {
      // A failure with no complete answer (a cut, a timeout) ran until the caller gave up: no call time.
      err.span = { callMs: callMsOf(t), sentAt: t.sentAt, cold: t.cold };
    }
    throw err;
  }
}
