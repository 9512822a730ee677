// Prices imported calls that carry tokens but no cost, from resources/models.json, so a Groq call
// exported by LangSmith or Langfuse is not "price unknown" when its price and tokens are on
// record. Matching is conservative: the provider must be one casebench prices (or be unnamed),
// provider prefixes in the model id (`groq/openai/gpt-oss-20b`) are read, OpenAI's dated snapshots
// are priced as their family, and an unnamed provider needs a model id only one provider has.
// Whatever is priced says which price (its date and source) and how the model was matched.
import { findModel, modelsRegistry, type ModelsRegistry } from '../models.ts';

/** One priced model, as the importing thread hands it to the reading thread (plain data). */
export interface PriceEntry {
  id: string;
  provider: string;
  model: string;
  aliases: string[];
  input: number;
  cachedInput: number | null;
  output: number;
  priceDate: string | null;
  priceSource: string | null;
}

/** The models with a price, for the mapper (demo models are simulations: they price nothing imported). */
export function priceEntries(registry: ModelsRegistry): PriceEntry[] {
  const out: PriceEntry[] = [];
  for (const m of registry.models) {
    if (m.price === null || m.provider === 'demo' || m.provider === 'openai-compatible') continue;
    out.push({
      id: m.id,
      provider: m.provider,
      model: m.model,
      aliases: m.aliases,
      input: m.price.input,
      cachedInput: m.price.cachedInput,
      output: m.price.output,
      priceDate: m.priceDate,
      priceSource: m.priceSource,
    });
  }
  return out;
}

/** The priced models of the registry in use; none when resources/models.json cannot be read (imports then leave costs as they are). */
export function defaultPriceEntries(): PriceEntry[] {
  try {
    return priceEntries(modelsRegistry());
  } catch {
    return [];
  }
}

/** Stored with the call (metadata.cost_estimate): which price of resources/models.json, as of when, and how the id was matched when not exactly. */
export interface CostNote {
  price: string;
  price_date: string | null;
  matched?: string;
}

export interface PricedCost {
  usd: number;
  /** One object per model matched, shared by its calls (it is only serialised). */
  note: CostNote;
}

/** Providers that name a gateway or a host, not the model's seller: their model ids may name the real provider. */
const UNNAMED = new Set(['', 'unknown', 'litellm', 'openrouter', 'langchain', 'vercel', 'ai-sdk']);

export class ImportPricer {
  private readonly registry: ModelsRegistry;
  private readonly byModel = new Map<string, PriceEntry[]>();
  private readonly cache = new Map<string, { entry: PriceEntry; matched: string; note: CostNote } | null>();

  constructor(entries: readonly PriceEntry[]) {
    const models = entries.map((e) => ({
      id: e.id,
      provider: e.provider as never,
      model: e.model,
      displayName: e.id,
      aliases: e.aliases,
      structuredOutput: 'none' as const,
      streaming: true,
      price: { input: e.input, cachedInput: e.cachedInput, output: e.output },
      priceDate: e.priceDate,
      priceSource: e.priceSource,
      status: 'production' as const,
      retiredOn: null,
      retirementSource: null,
      replacement: null,
      simulates: null,
      notes: null,
    }));
    this.registry = { models, byId: new Map(models.map((m) => [m.id, m])) };
    for (const e of entries) {
      for (const name of [e.model, ...e.aliases]) {
        const k = name.toLowerCase();
        const list = this.byModel.get(k) ?? [];
        list.push(e);
        this.byModel.set(k, list);
      }
    }
  }

  private entry(id: string): PriceEntry | null {
    const m = this.registry.byId.get(id);
    return m
      ? {
          id: m.id,
          provider: m.provider,
          model: m.model,
          aliases: m.aliases,
          input: m.price!.input,
          cachedInput: m.price!.cachedInput,
          output: m.price!.output,
          priceDate: m.priceDate,
          priceSource: m.priceSource,
        }
      : null;
  }

  /** The registry entry an imported provider + model id stands for, or null when that is not certain. */
  match(provider: string | null, model: string | null): { entry: PriceEntry; matched: string; note: CostNote } | null {
    if (!model) return null;
    // one provider and model in a whole file is the common case: remembered without building a key
    if (provider === this.lastProvider && model === this.lastModel) return this.last;
    const key = `${provider ?? ''}\u0000${model}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      const r = this.find((provider ?? '').trim().toLowerCase(), model.trim());
      hit = r && {
        ...r,
        note: {
          price: r.entry.id,
          price_date: r.entry.priceDate,
          ...(r.matched === `${r.entry.id} exactly` ? {} : { matched: r.matched }),
        },
      };
      this.cache.set(key, hit);
    }
    this.lastProvider = provider;
    this.lastModel = model;
    this.last = hit;
    return hit;
  }

  private lastProvider: string | null | undefined = undefined;
  private lastModel: string | null = null;
  private last: { entry: PriceEntry; matched: string; note: CostNote } | null = null;

  private find(provider: string, model: string): { entry: PriceEntry; matched: string } | null {
    const lookup = (p: string, m: string): PriceEntry | null => {
      const f = findModel(`${p}:${m}`, this.registry);
      return f ? this.entry(f.id) : null;
    };
    const how = (e: PriceEntry, p: string, m: string): string => {
      if (`${p}:${m}` === e.id) return `${e.id} exactly`;
      if (e.aliases.includes(m)) return `${p}:${m}, an alias of ${e.id}`;
      return `${p}:${m}, a dated snapshot of ${e.id}`;
    };
    const named = !UNNAMED.has(provider);
    // 1. the provider as given (groq, openai)
    if (named) {
      const e = lookup(provider, model);
      if (e) return { entry: e, matched: how(e, provider, model) };
    }
    // 2. a provider prefix in the model id: "groq/openai/gpt-oss-20b", "openai/gpt-4o" (LiteLLM, OpenRouter, Vercel ids)
    const slash = model.indexOf('/');
    if (slash > 0) {
      const p = model.slice(0, slash).toLowerCase();
      const rest = model.slice(slash + 1);
      if ((p === 'groq' || p === 'openai') && (!named || provider === p)) {
        const e = lookup(p, rest);
        if (e) return { entry: e, matched: `${model}: ${how(e, p, rest)}` };
      }
    }
    // 3. no provider named: a model id (or alias, or dated OpenAI snapshot) that only one provider has
    if (!named) {
      const undated = /^(.+)-\d{4}-\d{2}-\d{2}$/.exec(model)?.[1];
      const list =
        this.byModel.get(model.toLowerCase()) ??
        (undated ? this.byModel.get(undated.toLowerCase())?.filter((e) => e.provider === 'openai') : undefined) ??
        [];
      const ids = new Set(list.map((e) => e.id));
      if (ids.size === 1) {
        const e = list[0]!;
        return { entry: e, matched: `${model} (no provider named; only ${e.id} has this model id): ${how(e, e.provider, model)}` };
      }
    }
    return null;
  }

  /** The cost of a call from its tokens, or null when the model's price or the tokens are unknown. */
  cost(
    provider: string | null,
    model: string | null,
    inputTokens: number | null,
    outputTokens: number | null,
    cachedTokens: number | null,
  ): PricedCost | null {
    if (inputTokens === null || outputTokens === null) return null;
    const m = this.match(provider, model);
    if (!m) return null;
    const e = m.entry;
    const input = Math.max(0, inputTokens);
    const cached = Math.min(input, Math.max(0, cachedTokens ?? 0));
    const usd = ((input - cached) * e.input + cached * (e.cachedInput ?? e.input) + Math.max(0, outputTokens) * e.output) / 1_000_000;
    return { usd, note: m.note };
  }
}
