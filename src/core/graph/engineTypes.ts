// What the triage engine (engine.ts) is given and what it reports: the deps and lanes it calls
// through, the scheduler and spend gate each call passes, and the record of every attempt.
import type { ErrorCode } from '#shared/errors.ts';
import type { TaskId } from '#shared/tasks.ts';
import type { HedgeMark } from '../providers/hedgedScheduler.ts';
import type { ChatMessage, ChatProvider, ChatResponse, ResponseFormat } from '../providers/types.ts';

export interface SchedulerLike {
  run<T>(
    /** `queuedMs`: how long this attempt waited for a free slot (concurrency, rate limit), when the scheduler knows. */
    /** `hedge`: how this attempt takes part in a hedged call (providers/hedge.ts), when it does. */
    attempt: (signal: AbortSignal, attemptNo: number, queuedMs?: number, hedge?: HedgeMark) => Promise<T>,
    opts: {
      signal?: AbortSignal;
      timeoutMs: number;
      /** What a successful attempt says about the provider's limits (headers, tokens used), for pacing; and its own time, for hedging. */
      observe?: (
        value: T,
      ) => { rateLimit: ChatResponse['rateLimit']; tokens: number | null; latencyMs?: number | null; cold?: boolean | null } | null;
      /** The task, for a hedging scheduler (its p95 is per model × task). */
      task?: TaskId;
    },
  ): Promise<{ value: T; attempts: number }>;
}

export interface Lane {
  providerId: string;
  model: string;
  provider: ChatProvider;
  scheduler: SchedulerLike;
}

export type ParsedAnswer = { ok: true; value: unknown } | { ok: false; message: string };

/** One attempt as the engine saw it, for the store's calls table. */
export interface AttemptRecord {
  ticketId: string;
  task: TaskId;
  modelSpec: string;
  provider: string;
  model: string;
  attempt: number;
  promptVersion: string;
  /** Epoch ms when the request went out (when it was seen on the socket; else when the attempt began). */
  startedAt: number;
  /** The call itself: request sent → answer received, from the transport where it was observed. */
  latencyMs: number;
  /** Time this attempt waited for a free slot before it began; null when the scheduler does not say. */
  slotWaitMs: number | null;
  /** The request was the first on its connection; null when unknown. */
  cold: boolean | null;
  response: ChatResponse | null;
  costUsd: number | null;
  error: { code: ErrorCode; message: string; status: number | null } | null;
  raw: string | null;
  /**
   * Part of a hedged call: `primary` (it ran past the p95 and a duplicate was sent) or `hedge`
   * (that duplicate, same attempt number); null/absent when not hedged.
   */
  hedge?: 'primary' | 'hedge' | null;
  /** Cancelled because the other attempt of its hedged call answered first (cost: estimated as billed). */
  hedgeLost?: boolean;
  /**
   * Set on calls made on a guessed upstream value (speculative execution, speculate.ts): `kept`
   * when the guess proved right (the call is the one a sequential run makes), `discarded` when not.
   */
  speculation?: 'kept' | 'discarded';
}

/** The spend limit as the engine sees it (core/spend/guard.ts): asked before every attempt. */
export interface SpendGate {
  /** Throws a SPEND_LIMIT ProviderError when the call must not be sent. */
  beforeCall(spec: string): void;
  /** The cost of a call that was answered (null when unknown). */
  charge(spec: string, costUsd: number | null): void;
}

export interface EngineDeps {
  /** `spec` (the task's model) picks the prompt version when versions differ per model or a spec carries a prompt variant. */
  buildMessages(task: TaskId, text: string, upstream: { platform?: string | null; product?: string | null }, spec?: string): ChatMessage[];
  promptVersion(task: TaskId, spec?: string): string;
  responseFormat(spec: string, task: TaskId): ResponseFormat;
  parseAnswer(task: TaskId, raw: string, ctx: { platform: string | null }): ParsedAnswer;
  cost(spec: string, usage: { inputTokens: number | null; cachedTokens: number | null; outputTokens: number | null }): number | null;
  /** The provider lane for a model spec; throws AppError (KEY_MISSING, BAD_INPUT) when it cannot be used. */
  lane(spec: string): Lane;
  /** Removes secrets from any text before it leaves the engine. */
  scrub(text: string): string;
  /** Removes known keys from every string of a parsed value (answers are data: no pattern masking). */
  scrubDeep?<T>(value: T): T;
  now?: () => number;
  /** Spend limit checked where each call is dispatched; absent: no limit. */
  spend?: SpendGate;
  /**
   * Masks a ticket's secrets and personal data before any call (secrets/mask.ts): the models see
   * `text`, answers are put back with `restore`. Absent or null: the ticket goes as it is.
   */
  redact?: (text: string) => { text: string; items: ReadonlyArray<{ value: string; placeholder: string }>; restore<T>(value: T): T } | null;
}
