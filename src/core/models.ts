// The model registry as data (resources/models.json): ids, structured-output support, prices with
// their date and source, lifecycle (status, shutdown date, replacement). Costs of models without a
// known price are null — never 0 — so reports can say "unknown" instead of "free".
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '#shared/errors.ts';
import { TASKS, type TaskId } from '#shared/tasks.ts';
import type { ProviderId, ResponseFormat } from './providers/types.ts';
import { readJsonResource, resolveResourcesDir } from './resources.ts';

/** Provider prefixes a model spec may carry (contracts §4): the provider registry's ids. */
export { PROVIDER_IDS } from '#shared/providers.ts';
import { PROVIDER_IDS } from '#shared/providers.ts';

export const STRUCTURED_OUTPUT_LEVELS = ['strict', 'json_schema', 'json_object', 'none'] as const;
export type StructuredOutput = (typeof STRUCTURED_OUTPUT_LEVELS)[number];
export const MODEL_STATUSES = ['production', 'preview', 'deprecated', 'retired'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/** USD per 1M tokens; cachedInput null = no cached-input discount known (billed at the input rate). */
export interface ModelPrice {
  input: number;
  cachedInput: number | null;
  output: number;
}

export interface ModelInfo {
  /** `provider:model`. */
  id: string;
  provider: ProviderId;
  /** The model id as the provider knows it. */
  model: string;
  displayName: string;
  /** Other names the provider reports for it (dated snapshots, short names). */
  aliases: string[];
  structuredOutput: StructuredOutput;
  streaming: boolean;
  price: ModelPrice | null;
  priceDate: string | null;
  priceSource: string | null;
  status: ModelStatus;
  /** Shutdown date, past or scheduled (YYYY-MM-DD, or YYYY-MM when only the month is known). */
  retiredOn: string | null;
  retirementSource: string | null;
  /** Spec of the suggested replacement. */
  replacement: string | null;
  /** For demo models: the spec of the real model they imitate. */
  simulates: string | null;
  notes: string | null;
}

export interface ModelsRegistry {
  models: ModelInfo[];
  byId: Map<string, ModelInfo>;
}

export interface TokenUsage {
  inputTokens: number | null;
  /** Subset of inputTokens served from the provider's prompt cache. */
  cachedTokens?: number | null;
  outputTokens: number | null;
}

/** Models compared by default (Nov 2026): current Groq models and OpenAI's baseline plus two cheaper ones. */
export const DEFAULT_MODELS: readonly string[] = [
  'groq:openai/gpt-oss-20b',
  'groq:openai/gpt-oss-120b',
  'groq:qwen/qwen3.8-27b',
  'openai:gpt-4o',
  'openai:gpt-4.1-mini',
  'openai:gpt-5-mini',
];
/** The seed article's baseline. */
export const DEFAULT_BASELINE = 'openai:gpt-4o';

const isoDate = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'expected YYYY-MM-DD or YYYY-MM');
const money = z.number().nonnegative();
const entrySchema = z.object({
  id: z.string().min(3),
  display_name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  simulates: z.string().nullable().default(null),
  structured_output: z.enum(STRUCTURED_OUTPUT_LEVELS),
  streaming: z.boolean(),
  price: z.object({ input: money, cached_input: money.nullable(), output: money }).nullable(),
  price_date: isoDate.nullable(),
  price_source: z.string().min(1).nullable(),
  status: z.enum(MODEL_STATUSES),
  retired_on: isoDate.nullable(),
  retirement_source: z.string().nullable().default(null),
  replacement: z.string().nullable(),
  notes: z.string().nullable().default(null),
});
const fileSchema = z.object({ models: z.array(entrySchema).min(1) });

/** Splits `provider:model` at the first colon; throws BAD_INPUT naming what is wrong. */
export function parseModelSpec(spec: string): { provider: ProviderId; model: string } {
  // A prompt variant (`…@asset_ids=v3`, prompts/promptLibrary.ts) picks a prompt, not a model.
  const s = spec.trim().replace(/@[a-z_]+=v\d+$/, '');
  const i = s.indexOf(':');
  if (i < 0) {
    throw new AppError('BAD_INPUT', `model "${s}" has no provider prefix (write provider:model, e.g. groq:openai/gpt-oss-20b)`);
  }
  const provider = s.slice(0, i).trim();
  const model = s.slice(i + 1).trim();
  if (!(PROVIDER_IDS as readonly string[]).includes(provider)) {
    throw new AppError('BAD_INPUT', `unknown provider "${provider}" in "${s}" (expected one of ${PROVIDER_IDS.join(', ')})`);
  }
  if (model === '') throw new AppError('BAD_INPUT', `model "${s}" names no model after "${provider}:"`);
  return { provider: provider as ProviderId, model };
}

function tryParseSpec(spec: string): { provider: ProviderId; model: string } | null {
  try {
    return parseModelSpec(spec);
  } catch {
    return null;
  }
}

let active: ModelsRegistry | null = null;

/** Loads and validates resources/models.json; the result becomes the default registry. */
export function loadModels(resourcesDir?: string): ModelsRegistry {
  const file = path.join(resolveResourcesDir(resourcesDir), 'models.json');
  const raw = readJsonResource(file, fileSchema);
  const byId = new Map<string, ModelInfo>();
  const fail = (msg: string): never => {
    throw new AppError('BAD_INPUT', `${file}: ${msg}`);
  };
  for (const e of raw.models) {
    const spec = tryParseSpec(e.id) ?? fail(`model id "${e.id}" is not provider:model with a known provider`);
    if (byId.has(e.id)) fail(`model "${e.id}" is listed twice`);
    if (e.price !== null && (e.price_date === null || e.price_source === null)) {
      fail(`model "${e.id}" has a price without price_date and price_source`);
    }
    if (e.status === 'retired' && e.retired_on === null) fail(`model "${e.id}" is retired but has no retired_on`);
    byId.set(e.id, {
      id: e.id,
      provider: spec.provider,
      model: spec.model,
      displayName: e.display_name,
      aliases: e.aliases,
      structuredOutput: e.structured_output,
      streaming: e.streaming,
      price: e.price && { input: e.price.input, cachedInput: e.price.cached_input, output: e.price.output },
      priceDate: e.price_date,
      priceSource: e.price_source,
      status: e.status,
      retiredOn: e.retired_on,
      retirementSource: e.retirement_source,
      replacement: e.replacement,
      simulates: e.simulates,
      notes: e.notes,
    });
  }
  for (const m of byId.values()) {
    if (m.replacement !== null && !byId.has(m.replacement)) fail(`model "${m.id}" names unknown replacement "${m.replacement}"`);
    if (m.simulates !== null && !byId.has(m.simulates)) fail(`model "${m.id}" simulates unknown model "${m.simulates}"`);
  }
  active = { models: [...byId.values()], byId };
  return active;
}

function current(registry?: ModelsRegistry): ModelsRegistry {
  return registry ?? active ?? loadModels();
}

/** The registry in use (loaded from resources/models.json on first use). */
export function modelsRegistry(): ModelsRegistry {
  return current();
}

/** The registry entry for a spec (also matching aliases and OpenAI's dated snapshots), or null when unknown. */
export function findModel(spec: string, registry?: ModelsRegistry): ModelInfo | null {
  const parsed = tryParseSpec(spec);
  if (!parsed) return null;
  const reg = current(registry);
  const id = `${parsed.provider}:${parsed.model}`;
  const exact = reg.byId.get(id);
  if (exact) return exact;
  const byAlias = reg.models.find((m) => m.provider === parsed.provider && m.aliases.includes(parsed.model));
  if (byAlias) return byAlias;
  // OpenAI answers with dated snapshots ("gpt-4.1-mini-2025-04-14"); price them as their family.
  const undated = /^(.+)-\d{4}-\d{2}-\d{2}$/.exec(parsed.model);
  if (undated?.[1] && (parsed.provider === 'openai' || parsed.provider === 'demo')) {
    return reg.byId.get(`${parsed.provider}:${undated[1]}`) ?? null;
  }
  return null;
}

function toIsoDay(today: Date | string): string {
  if (typeof today === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new AppError('BAD_INPUT', `date "${today}" is not YYYY-MM-DD`);
    return today;
  }
  if (Number.isNaN(today.getTime())) throw new AppError('BAD_INPUT', 'invalid date');
  return today.toISOString().slice(0, 10);
}

function isRetired(m: ModelInfo, day: string): boolean {
  // Lexical order works for ISO dates, and a month-only date ("2026-08") sorts before its first day.
  return m.status === 'retired' || (m.retiredOn !== null && m.retiredOn <= day);
}

/** When the model is shut down as of `today` (status retired, or shutdown date <= today): its date and replacement; else null. */
export function retiredInfo(
  provider: string,
  model: string,
  today: Date | string = new Date(),
  registry?: ModelsRegistry,
): { retiredOn: string; replacement: string | null } | null {
  const m = findModel(`${provider}:${model}`, registry);
  if (!m || !isRetired(m, toIsoDay(today))) return null;
  return { retiredOn: m.retiredOn ?? 'unknown date', replacement: m.replacement };
}

/** Cost of one call in USD; null when the model's price or the token counts are unknown (never 0 for unknown). */
export function costUsd(spec: string, usage: TokenUsage, registry?: ModelsRegistry): number | null {
  const price = findModel(spec, registry)?.price ?? null;
  if (price === null || usage.inputTokens === null || usage.outputTokens === null) return null;
  const input = Math.max(0, usage.inputTokens);
  const cached = Math.min(input, Math.max(0, usage.cachedTokens ?? 0));
  const cachedRate = price.cachedInput ?? price.input;
  return ((input - cached) * price.input + cached * cachedRate + Math.max(0, usage.outputTokens) * price.output) / 1_000_000;
}

/** The response_format for a task on a model: strict json_schema where supported, json_object where only JSON mode exists, non-strict json_schema for unknown models. */
export function responseFormatFor(spec: string, task: TaskId, registry?: ModelsRegistry): ResponseFormat {
  const level: StructuredOutput = findModel(spec, registry)?.structuredOutput ?? 'json_schema';
  // 'none' has no better option than JSON mode: the prompt still asks for JSON and the parser checks it.
  if (level === 'json_object' || level === 'none') return { type: 'json_object' };
  return { type: 'json_schema', name: task, schema: TASKS[task].jsonSchema, strict: level === 'strict' };
}

function daysBetween(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}

function shortSpec(spec: string, provider: ProviderId): string {
  const p = tryParseSpec(spec);
  return p && p.provider === provider ? p.model : spec;
}

/** A one-line lifecycle warning for a model as of `today` (shut down, shutting down, deprecated, preview), or null. */
export function deprecationWarning(spec: string, today: Date | string = new Date(), registry?: ModelsRegistry): string | null {
  const m = findModel(spec, registry);
  if (!m) return null;
  const day = toIsoDay(today);
  const repl = m.replacement ? `; replacement ${shortSpec(m.replacement, m.provider)}` : '';
  if (isRetired(m, day)) {
    return (
      `${m.model} was shut down ${m.retiredOn ? (m.retiredOn.length === 7 ? `in ${m.retiredOn}` : `on ${m.retiredOn}`) : ''}`.trimEnd() +
      repl
    );
  }
  if (m.retiredOn !== null) {
    if (m.retiredOn.length === 7) return `${m.model} shuts down in ${m.retiredOn}${repl}`;
    const d = daysBetween(day, m.retiredOn);
    return `${m.model} shuts down on ${m.retiredOn} (${d} day${d === 1 ? '' : 's'})${repl}`;
  }
  if (m.status === 'deprecated') return `${m.model} is deprecated${repl}`;
  if (m.status === 'preview') return `${m.model} is a preview model and may be removed at short notice`;
  return null;
}
