// Requests-per-minute limits for long runs (`--rpm`): per provider (one bucket shared by its
// models) or per model (its own bucket; Groq and OpenAI both count limits per model). They feed
// an rpm bucket in front of each model's scheduler; the engine's lanes are wrapped so the runtime
// itself is unchanged.
import { AppError } from '#shared/errors.ts';
import { isKeyProviderId, PROVIDERS } from '#shared/providers.ts';
import type { EngineDeps, Lane } from '../graph/engine.ts';
import { PROVIDER_IDS, parseModelSpec } from '../models.ts';
import { HedgedScheduler } from '../providers/hedgedScheduler.ts';
import { ProviderScheduler, RpmBucket, type SchedulerOptions, type SchedulerState } from '../providers/scheduler.ts';

/** Keys: `*` (every provider), a provider (`groq`), `provider:*` (each model of it alone) or a model spec. */
export type RpmLimits = Record<string, number>;

/** Parses `30`, `groq=30,openai=500`, `groq:*=30` or `groq:openai/gpt-oss-20b=30`; model specs must be among `models`. */
export function parseRpm(spec: string, models: readonly string[]): RpmLimits {
  const out: RpmLimits = {};
  const value = (s: string, where: string): number => {
    const n = Number(s.trim());
    if (s.trim() === '' || !Number.isFinite(n) || n <= 0)
      throw new AppError('BAD_INPUT', `--rpm ${where}: "${s.trim()}" is not a positive number of requests per minute`);
    return n;
  };
  for (const part of spec.split(',')) {
    const p = part.trim();
    if (p === '') throw new AppError('BAD_INPUT', `--rpm "${spec}": empty entry`);
    const eq = p.lastIndexOf('=');
    if (eq < 0) {
      out['*'] = value(p, 'for every provider');
      continue;
    }
    const key = p.slice(0, eq).trim();
    const n = value(p.slice(eq + 1), key);
    if ((PROVIDER_IDS as readonly string[]).includes(key)) out[key] = n;
    else if (/^[a-z-]+:\*$/.test(key) && (PROVIDER_IDS as readonly string[]).includes(key.slice(0, -2))) out[key] = n;
    else if (key.includes(':')) {
      const { provider, model } = parseModelSpec(key);
      const canon = `${provider}:${model}`;
      if (!models.includes(canon))
        throw new AppError('BAD_INPUT', `--rpm names ${canon}, which is not among the models (${models.join(', ')})`);
      out[canon] = n;
    } else {
      throw new AppError('BAD_INPUT', `--rpm: "${key}" is neither a provider (${PROVIDER_IDS.join(', ')}) nor provider:model`);
    }
  }
  return out;
}

/** Which bucket a model uses and its rate: its own (`spec` key) or its provider's; null when unlimited. */
export function rpmFor(limits: RpmLimits, spec: string): { key: string; rpm: number } | null {
  const { provider } = parseModelSpec(spec);
  const own = limits[spec] ?? limits[`${provider}:*`];
  if (own !== undefined) return { key: spec, rpm: own };
  const shared = limits[provider] ?? limits['*'];
  return shared === undefined ? null : { key: provider, rpm: shared };
}

/**
 * Engine deps whose lanes go through rpm-limited schedulers, one per model (limits, headers and
 * 429s are per model); a provider-wide limit is one bucket those schedulers share. Buckets start
 * with one token (not a minute's worth): a full minute's burst at start would overrun a provider
 * that counts a sliding 60-second window, and the pacing then keeps the rate just at the limit.
 */
export function withRateLimits(
  deps: EngineDeps,
  limits: RpmLimits,
  scheduler: Omit<SchedulerOptions, 'rpm' | 'rpmBurst' | 'rpmBucket' | 'label'> = {},
): { deps: EngineDeps; states(): Record<string, SchedulerState> } {
  const buckets = new Map<string, RpmBucket>();
  const schedulers = new Map<string, ProviderScheduler>();
  const now = scheduler.now ?? (() => performance.now());
  const lane = (spec: string): Lane => {
    const base = deps.lane(spec);
    const limit = rpmFor(limits, spec);
    if (!limit) return base;
    const key = `${base.providerId}:${base.model}`;
    let s = schedulers.get(key);
    if (!s) {
      let bucket = buckets.get(limit.key);
      if (!bucket) buckets.set(limit.key, (bucket = new RpmBucket(limit.rpm, 1, now())));
      s = new ProviderScheduler({
        ...scheduler,
        label: isKeyProviderId(base.providerId) ? PROVIDERS[base.providerId].name : base.providerId,
        rpmBucket: bucket,
      });
      schedulers.set(key, s);
    }
    // A hedging lane stays hedging, over the rpm-limited scheduler (a hedge takes a token too).
    return { ...base, scheduler: base.scheduler instanceof HedgedScheduler ? base.scheduler.over(s) : s };
  };
  return { deps: { ...deps, lane }, states: () => Object.fromEntries([...schedulers].map(([k, s]) => [k, s.state()])) };
}

/** The least time the calls can take at these limits (the slowest bucket), ms; 0 when nothing is limited. */
export function minimumDurationMs(
  limits: RpmLimits,
  callsPerModel: ReadonlyMap<string, number>,
): { ms: number; bucket: string | null; calls: number; rpm: number } {
  const perBucket = new Map<string, { calls: number; rpm: number }>();
  for (const [spec, calls] of callsPerModel) {
    const l = rpmFor(limits, spec);
    if (!l) continue;
    const b = perBucket.get(l.key) ?? { calls: 0, rpm: l.rpm };
    b.calls += calls;
    perBucket.set(l.key, b);
  }
  let best = { ms: 0, bucket: null as string | null, calls: 0, rpm: 0 };
  for (const [key, b] of perBucket) {
    const ms = (b.calls / b.rpm) * 60_000;
    if (ms > best.ms) best = { ms, bucket: key, calls: b.calls, rpm: b.rpm };
  }
  return best;
}
