// The helpers around one call of the triage engine (engine.ts): waiting on an abort or timeout,
// scrubbing errors and responses, the call's span and the attempt record's hedge fields.
import { AppError, type ErrorCode } from '#shared/errors.ts';
import { ProviderError, type CallSpan, type ChatResponse } from '../providers/types.ts';
import type { HedgeMark } from '../providers/hedgedScheduler.ts';
import type { AttemptRecord, EngineDeps } from './engineTypes.ts';

/** A model spec's provider and model (`groq:llama` → groq, llama; no colon: the provider alone). */
export const splitSpec = (spec: string): { provider: string; model: string } => {
  const i = spec.indexOf(':');
  return i < 0 ? { provider: spec, model: '' } : { provider: spec.slice(0, i), model: spec.slice(i + 1) };
};

/**
 * The call's own span where the transport saw it, else our clock around the call: `wall0` is the
 * epoch ms the attempt began, `wallMs` the time since then on the engine's clock.
 */
export function callSpan(
  s: CallSpan | null | undefined,
  wall0: number,
  wallMs: number,
): { startedAt: number; latencyMs: number; cold: boolean | null } {
  const callMs = s?.callMs ?? null;
  const sentAt = s?.sentAt ?? null;
  const startedAt = sentAt !== null ? Date.now() - (performance.now() - sentAt) : wall0;
  return { startedAt, latencyMs: callMs ?? wallMs, cold: s?.cold ?? null };
}

/** An attempt record's hedge fields (absent when the attempt was not part of a hedged call). */
export function hedgeOf(h: HedgeMark | undefined): Pick<AttemptRecord, 'hedge' | 'hedgeLost'> {
  return h?.role ? { hedge: h.role, hedgeLost: h.lost } : {};
}

/** Tokens a call used, when the provider said. */
export function tokensOf(r: ChatResponse): number | null {
  return r.inputTokens === null && r.outputTokens === null ? null : (r.inputTokens ?? 0) + (r.outputTokens ?? 0);
}

/**
 * Settles with the call, or as soon as the attempt's signal aborts (timeout or cancel), so the
 * attempt is recorded before the scheduler moves on even if the SDK is slow to notice the abort.
 */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal, timeoutMs));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal, timeoutMs));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function abortError(signal: AbortSignal, timeoutMs: number): ProviderError {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError'
    ? new ProviderError({ code: 'TIMEOUT', message: `no answer within ${timeoutMs} ms`, retryable: true })
    : new ProviderError({ code: 'CANCELLED', message: 'cancelled' });
}

/** What an attempt record keeps of a response: its texts scrubbed (a gateway may echo the key into a request id). */
export function scrubResponse(r: ChatResponse, deps: EngineDeps): ChatResponse {
  return { ...r, text: deps.scrub(r.text), requestId: r.requestId === null ? null : deps.scrub(r.requestId) };
}

/** An error as a result or an attempt record keeps it: its code and scrubbed message (a bare AbortError is a cancel). */
export function toError(e: unknown, scrub: (s: string) => string): { code: ErrorCode; message: string } {
  if (e instanceof ProviderError || e instanceof AppError) return { code: e.code, message: scrub(e.message) };
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof Error && e.name === 'AbortError') return { code: 'CANCELLED', message: 'cancelled' };
  return { code: 'INTERNAL', message: scrub(msg) };
}
