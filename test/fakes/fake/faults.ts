// Fault injection: the queue of faults tests ask for, the seeded (or chosen) random faults, the
// error body of each fault kind, and what a fault does to a request before any answer is written.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FAULT_KINDS, type FakeServerOptions, type FaultInfo, type FaultKind } from './types.ts';
import { cloudflare502, groqError, type ErrBody } from './errors.ts';
import type { Flavour } from './flavours.ts';
import { groqStreamErrorPayload } from './groq.ts';
import { makeRng } from './helpers.ts';
import type { Io } from './io.ts';
import type { ReqCtx, Resolved } from './options.ts';

function seedOf(f: FakeServerOptions['faults']): number {
  return f && typeof f === 'object' && typeof f.seed === 'number' ? f.seed : 0x5eed;
}

export interface FaultSource {
  /** The next queued fault, if any (taken off the queue). */
  queued(): FaultKind | null;
  /** A random (seeded) or chosen fault for this request, or null. */
  draw(info: FaultInfo): FaultKind | null;
  queue(kinds: readonly FaultKind[]): void;
  /** Restarts the seeded sequence (after the faults option changed). */
  reseed(): void;
}

export function createFaultSource(options: () => Resolved): FaultSource {
  let rng = makeRng(seedOf(options().faults));
  const pending: FaultKind[] = [];
  return {
    queued: () => pending.shift() ?? null,
    draw(info) {
      const f = options().faults;
      if (!f) return null;
      if (typeof f === 'function') return f(info);
      // Two draws per request, always, so the sequence for a seed does not depend on the outcomes.
      const r = rng();
      const k = rng();
      if (f.rate <= 0 || f.kinds.length === 0 || r >= f.rate) return null;
      return f.kinds[Math.floor(k * f.kinds.length)] ?? null;
    },
    queue(kinds) {
      for (const k of kinds) {
        if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new Error(`unknown fault kind: ${String(k)}`);
        pending.push(k);
      }
    },
    reseed() {
      rng = makeRng(seedOf(options().faults));
    },
  };
}

export function faultError(f: Flavour, kind: FaultKind, model: string, promptTokens: number): ErrBody {
  switch (kind) {
    case '429':
    case '429-long':
    case '500':
    case '503':
    case '498':
      // Numbers consistent with a refusal: used + requested exceeds the limit.
      return f.faultError(kind, model, Math.max(400, promptTokens));
    case '413':
      return f.tooLarge(model, 8000, Math.max(12328, promptTokens));
    case '502':
      return cloudflare502();
    case 'json-validate-failed':
      return groqError(400, {
        message: "Failed to generate JSON. Please adjust your prompt. See 'failed_generation' for more details.",
        type: 'invalid_request_error',
        code: 'json_validate_failed',
        failed_generation: '{"platform": "aws",\n  "reason": "the ticket mentions EC2',
      });
    case 'stream-error-event':
      // Outside a stream, the same generation failure is an ordinary 400.
      return groqError(400, groqStreamErrorPayload().error);
    default:
      return groqError(500, { message: 'Internal Server Error', type: 'internal_server_error' });
  }
}

/**
 * Carries out what a fault does before an answer: a reset or hang, or an error after the usual
 * latency. Returns 'done' when the request is finished with, else the fault the answer shows
 * (json-validate-failed becomes invalid-json where the API has no such error).
 */
export async function actOnFault(
  io: Io,
  f: Flavour,
  c: ReqCtx,
  fault: FaultKind | null,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
  onHang: () => void,
): Promise<FaultKind | null | 'done'> {
  const failAfterLatency = async (kind: FaultKind): Promise<'done'> => {
    if (await io.wait(io.latencyFor(c.model, c.task), res)) io.sendRaw(res, faultError(f, kind, c.model, c.promptTokens), headers);
    return 'done';
  };
  switch (fault) {
    case 'reset':
      req.socket.destroy();
      return 'done';
    case 'hang':
      onHang();
      // Ends when the client gives up, on close(), or after maxHangMs.
      if (await io.wait(io.opts.maxHangMs, res)) res.destroy();
      return 'done';
    case '429':
    case '429-long':
    case '413':
      io.sendRaw(res, faultError(f, fault, c.model, c.promptTokens), headers);
      return 'done';
    case '500':
    case '502':
    case '503':
    case '498':
      return failAfterLatency(fault);
    case 'json-validate-failed':
      if (f.jsonValidateFails) return failAfterLatency(fault);
      return 'invalid-json';
    case 'stream-error-event':
      if (!c.stream) return failAfterLatency(fault);
      return fault;
    default:
      return fault;
  }
}
