// Builds an ImportedCall from what an adapter read, in one place, so every format gets the same
// rules: times kept to the ns and rendered as ISO UTC, latency recomputed from the two timestamps
// (summary latency fields are only a fallback), statuses lower-cased, errors classified.
import { ticketFromUserMessage } from '../graph/prompts.ts';
import type { CallExtras, ChatMessage, ImportedCall, SourceIds, TraceFormat } from './types.ts';
import { diffMs, nsToIso } from './values.ts';

export interface DraftInput {
  format: TraceFormat;
  id: string | null;
  parentId: string | null;
  traceId: string;
  startNs: bigint;
  endNs: bigint | null;
  /** Used only when there is no end time (promptfoo, LangSmith v2 latency_seconds). */
  latencyMs?: number | null;
  ttftMs?: number | null;
  provider: string | null;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  status: 'success' | 'error' | 'pending';
  error: string | null;
  input: ChatMessage[];
  output: string | null;
  parsed: unknown;
  metadata: Record<string, unknown>;
  ticketId?: string | null;
  task?: string | null;
  source?: Partial<SourceIds>;
  x?: Partial<CallExtras>;
  where: string;
}

/** The ImportedCall for a draft; latency is end − start whenever both are known. */
export function makeCall(d: DraftInput): ImportedCall {
  const latency = d.endNs !== null ? diffMs(d.startNs, d.endNs) : (d.latencyMs ?? null);
  const endNs = d.endNs ?? (latency !== null ? d.startNs + BigInt(Math.round(latency * 1e6)) : null);
  const source: SourceIds = { format: d.format, id: d.id, parent_id: d.parentId, trace_id: d.traceId, ...d.source };
  // Adapters build a fresh metadata object per call: it takes the source ids as its last key.
  const metadata = d.metadata as Record<string, unknown> & { source: SourceIds };
  metadata.source = source;
  const dx = d.x;
  const x: CallExtras = {
    spanId: dx?.spanId ?? null,
    parentSpanId: dx?.parentSpanId ?? null,
    ticketText: dx?.ticketText ?? null,
    cachedTokens: dx?.cachedTokens ?? null,
    reasoningTokens: dx?.reasoningTokens ?? null,
    requestId: dx?.requestId ?? null,
    errorCode: dx?.errorCode ?? null,
    httpStatus: dx?.httpStatus ?? null,
    queueTimeMs: dx?.queueTimeMs ?? null,
    providerTotalMs: dx?.providerTotalMs ?? null,
    attempt: dx?.attempt ?? null,
    promptVersion: dx?.promptVersion ?? null,
    modelSpec: dx?.modelSpec ?? null,
    groupKey: dx?.groupKey ?? null,
    generic: false,
    startedAtMs: dx?.startedAtMs ?? null,
    startNs: d.startNs,
    endNs,
    run: dx?.run ?? null,
  };
  if (x.ticketText === null) {
    // A casebench prompt carries the ticket verbatim in its user message.
    for (const m of d.input) {
      if (m.role !== 'user') continue;
      const t = ticketFromUserMessage(m.content);
      if (t !== null) {
        x.ticketText = t;
        break;
      }
    }
  }
  if (d.status === 'error' && x.errorCode === null) x.errorCode = classifyErrorText(d.error ?? '');
  // The ISO forms are rendered when read (an import stores the ns; only messages and tests read these).
  let startedAt: string | undefined;
  let endedAt: string | null | undefined;
  return {
    record: {
      trace_id: d.traceId,
      ticket_id: d.ticketId ?? null,
      task: d.task ?? null,
      provider: d.provider,
      model: d.model,
      get started_at(): string {
        return (startedAt ??= nsToIso(d.startNs));
      },
      set started_at(v: string) {
        startedAt = v;
      },
      get ended_at(): string | null {
        if (endedAt === undefined) endedAt = endNs === null ? null : nsToIso(endNs);
        return endedAt;
      },
      set ended_at(v: string | null) {
        endedAt = v;
      },
      latency_ms: latency,
      ttft_ms: d.ttftMs ?? null,
      input_tokens: d.inputTokens,
      output_tokens: d.outputTokens,
      cost_usd: d.costUsd,
      status: d.status,
      error: d.error,
      input_messages: d.input,
      output_text: d.output,
      parsed_output: d.parsed ?? null,
      metadata,
    },
    x,
    where: d.where,
  };
}

/** A stable casebench error code for an error text from another tool. */
export function classifyErrorText(text: string): string {
  if (/\b429\b|rate.?limit|too many requests/i.test(text)) return 'RATE_LIMITED';
  if (/time[d ]?out|deadline exceeded/i.test(text)) return 'TIMEOUT';
  if (/\b40[13]\b|unauthori[sz]ed|forbidden|invalid api key|authentication/i.test(text)) return 'AUTH';
  if (/ECONN(RESET|REFUSED)|ENOTFOUND|EAI_AGAIN|socket hang up|network/i.test(text)) return 'NETWORK';
  if (/model.{0,40}(not found|does not exist|decommissioned)/i.test(text)) return 'MODEL_NOT_FOUND';
  if (/\b400\b|bad request|invalid request/i.test(text)) return 'BAD_REQUEST';
  return 'PROVIDER_ERROR';
}

/** The provider a model name implies, when the source names none (Langfuse has no provider field). */
export function inferProvider(model: string | null): string | null {
  if (!model) return null;
  const m = model.toLowerCase();
  if (/^(gpt-|o\d\b|o\d-|chatgpt|text-davinci|davinci|text-embedding)/.test(m)) return 'openai';
  if (m.startsWith('claude')) return 'anthropic';
  if (m.startsWith('gemini') || m.startsWith('models/gemini')) return 'google';
  if (/^(mistral|mixtral|codestral|ministral)/.test(m)) return 'mistral';
  return null;
}

/**
 * A provider name as casebench keys it: lower-case, no surrounding space, and without the API the
 * Vercel AI SDK appends to it ("openai.responses", "groq.chat" → "openai", "groq"). Semantic
 * convention names with a dot ("gcp.gemini", "aws.bedrock") are kept.
 */
export function providerName(p: string | null): string | null {
  const t = p?.trim().toLowerCase();
  if (!t) return null;
  const api = /^([a-z0-9-]+)\.(chat|responses|completion|completions|messages|embedding|embeddings|image)$/.exec(t);
  return api ? api[1]! : t;
}
