// The fake server's resolved options, its counters, and what one chat request carries through the
// handler (body, flavour, model, task).
import type { TaskId } from '#shared/tasks.ts';
import {
  DEFAULT_GROQ_MODELS,
  DEFAULT_OPENAI_MODELS,
  DEFAULT_RETIRED,
  type ApiFlavor,
  type FakeServerOptions,
  type FakeLogEntry,
  type FakeServerStats,
} from './types.ts';

export interface Resolved {
  port: number;
  apiKeys: FakeServerOptions['apiKeys'];
  latencyMs: NonNullable<FakeServerOptions['latencyMs']>;
  ttftMs: FakeServerOptions['ttftMs'];
  jitterMs: number;
  models: { groq: readonly string[]; openai: readonly string[] };
  retired: readonly string[];
  rpm: FakeServerOptions['rpm'];
  tpm: FakeServerOptions['tpm'];
  limitWindowMs: number;
  faults: FakeServerOptions['faults'];
  judge: FakeServerOptions['judge'];
  answer: FakeServerOptions['answer'];
  maxBodyBytes: number;
  maxHangMs: number;
  logLimit: number;
  groqRegion: string;
  echoAuthorization: FakeServerOptions['echoAuthorization'];
}

export function resolveOptions(base: Resolved | null, o: Partial<FakeServerOptions>): Resolved {
  const has = (k: keyof FakeServerOptions): boolean => Object.hasOwn(o, k);
  const prev: Resolved = base ?? {
    port: 0,
    apiKeys: null,
    latencyMs: 20,
    ttftMs: undefined,
    jitterMs: 0,
    models: { groq: DEFAULT_GROQ_MODELS, openai: DEFAULT_OPENAI_MODELS },
    retired: DEFAULT_RETIRED,
    rpm: null,
    tpm: null,
    limitWindowMs: 60_000,
    faults: null,
    answer: null,
    judge: null,
    maxBodyBytes: 4 * 1024 * 1024,
    maxHangMs: 120_000,
    logLimit: 1000,
    groqRegion: 'us-west-1',
    echoAuthorization: null,
  };
  return {
    port: o.port ?? prev.port,
    apiKeys: has('apiKeys') ? o.apiKeys : prev.apiKeys,
    latencyMs: o.latencyMs ?? prev.latencyMs,
    ttftMs: has('ttftMs') ? o.ttftMs : prev.ttftMs,
    jitterMs: o.jitterMs ?? prev.jitterMs,
    models: {
      groq: o.models?.groq ?? prev.models.groq,
      openai: o.models?.openai ?? prev.models.openai,
    },
    retired: o.retired ?? prev.retired,
    rpm: has('rpm') ? o.rpm : prev.rpm,
    tpm: has('tpm') ? o.tpm : prev.tpm,
    limitWindowMs: o.limitWindowMs ?? prev.limitWindowMs,
    faults: has('faults') ? o.faults : prev.faults,
    answer: has('answer') ? o.answer : prev.answer,
    judge: has('judge') ? o.judge : prev.judge,
    maxBodyBytes: o.maxBodyBytes ?? prev.maxBodyBytes,
    maxHangMs: o.maxHangMs ?? prev.maxHangMs,
    logLimit: o.logLimit ?? prev.logLimit,
    groqRegion: o.groqRegion ?? prev.groqRegion,
    echoAuthorization: has('echoAuthorization') ? o.echoAuthorization : prev.echoAuthorization,
  };
}

export function emptyStats(): FakeServerStats {
  return {
    total: 0,
    other: 0,
    perApi: {},
    perModel: {},
    perTask: {},
    perStatus: {},
    perFault: {},
    inFlight: 0,
    peakInFlight: 0,
    log: [],
  };
}

export function bump(rec: Record<string, number>, key: string): void {
  rec[key] = (rec[key] ?? 0) + 1;
}

export interface ChatBody {
  model?: unknown;
  messages?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown; include_obfuscation?: unknown } | null;
  response_format?: { type?: unknown; json_schema?: { name?: unknown; schema?: unknown; strict?: unknown } } | null;
  temperature?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  n?: unknown;
  seed?: unknown;
  service_tier?: unknown;
  include_reasoning?: unknown;
  reasoning_format?: unknown;
}

export interface ReqCtx {
  api: ApiFlavor;
  model: string;
  body: ChatBody;
  stream: boolean;
  task: TaskId | null;
  entry: FakeLogEntry;
  start: number;
  /** performance.now() when the request arrived, for the delay header. */
  arrived: number;
  requestId: string;
  promptTokens: number;
  authorization: string;
}
