// Composition of the core for one host process: shipped data (prompts, catalog, models), keys,
// one provider client per provider and one scheduler per model, and the engine's dependencies built from them.
// Hosts pass configuration in; nothing here reads process.env or argv.
import { AppError } from '#shared/errors.ts';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import type { Assignment, EngineDeps, Lane } from './graph/engine.ts';
import { buildMessages, loadPrompts, type PromptRegistry, type PromptTemplate } from './graph/prompts.ts';
import { parseAnswer } from './graph/normalise.ts';
import { checkTicket } from './graph/ticketGate.ts';
import { checkInformation, DEFAULT_INFO_GATE, type InfoGateSettings } from './graph/infoGate.ts';
import { DEFAULT_REDACTION, maskTicket, type RedactionSettings } from './secrets/mask.ts';
import { loadCatalog } from './catalog.ts';
import { costUsd, loadModels, parseModelSpec, responseFormatFor, retiredInfo, type ModelsRegistry } from './models.ts';
import { DEFAULT_ASSIGNMENT, parseAssignment } from './assignment.ts';
import { createGroqProvider } from './providers/groqProvider.ts';
import { createOpenAIProvider } from './providers/openaiProvider.ts';
import { createDemoProvider } from './providers/demoProvider.ts';
import { ProviderScheduler, type SchedulerOptions, type SchedulerState } from './providers/scheduler.ts';
import type { ChatProvider, ProviderId } from './providers/types.ts';
import { Hedger } from './providers/hedge.ts';
import type { HedgeSettings } from './providers/hedgeSettings.ts';
import {
  resolveKey,
  keyStatus,
  missingKeyMessage,
  KEY_PROVIDERS,
  type KeyProvider,
  type ResolvedKey,
  type SecretStore,
} from './secrets/secretStore.ts';
import { Scrubber } from './secrets/scrub.ts';
import { checkAssignmentLifecycle } from './modelLifecycle.ts';
import { localDay } from './spend/day.ts';
import type { KeyStatus } from '#shared/routes.ts';
import { endpointOf, isKeyProviderId, PROVIDERS, type Endpoints } from '#shared/providers.ts';

export interface RuntimeConfig {
  /** Keys and base URLs from the environment (they win over the keychain and over `endpoints`). */
  env: Record<string, string | undefined>;
  /** Base URLs chosen in Settings (the environment's variables take precedence). */
  endpoints?: Endpoints;
  secretStore: SecretStore | null;
  resourcesDir?: string;
  scheduler?: Pick<SchedulerOptions, 'maxConcurrency' | 'maxRetries' | 'retryAfterCapMs' | 'rpm'>;
  /** Hedged calls (providers/hedge.ts); default DEFAULT_HEDGE. The workspace's history is given later (`hedger.configure`). */
  hedge?: Partial<HedgeSettings>;
  /** Demo provider latency scale (1 = the article's latencies). */
  demoSpeed?: number;
  demoSeed?: number;
  /** ISO day used for retirement checks; default the clock's local day. */
  today?: string;
  /** The clock for lifecycle checks (tests inject dates); default the system clock. */
  clock?: () => Date;
  /** Minimum-information gate. */
  gate?: { minChars?: number; minWords?: number; maxBytes?: number };
  /** Privacy and information settings (the workspace's `privacy` setting); default DEFAULT_PRIVACY. */
  privacy?: Partial<PrivacySettings>;
  /**
   * The process's scrubber, when the host already has one (its store and logs use it too); the
   * runtime adds every key it resolves. Default: a new one.
   */
  scrubber?: Scrubber;
}

/** What is masked before model calls, and the information gate (settings/privacy.ts stores them per workspace). */
export interface PrivacySettings {
  redaction: RedactionSettings;
  infoGate: InfoGateSettings;
}

export const DEFAULT_PRIVACY: PrivacySettings = { redaction: DEFAULT_REDACTION, infoGate: DEFAULT_INFO_GATE };

export interface Runtime {
  deps: EngineDeps;
  models: ModelsRegistry;
  /**
   * Knows every key this runtime has held (each provider, the OpenAI-compatible endpoint, keys set
   * in Settings), kept after a key is replaced or removed. `deps.scrub` is its `scrub`.
   */
  scrubber: Scrubber;
  /** Parses an assignment spec (or the default) into a model per task; refuses retired models (MODEL_RETIRED, replacement named). */
  assignment(spec?: string): Assignment;
  /** Refuses an assignment with a retired model; returns warnings for deprecated ones (with their shutdown date). */
  checkModels(assignment: Assignment, where?: string): string[];
  /** The local day lifecycle checks use (YYYY-MM-DD). */
  today(): string;
  /** Throws KEY_MISSING naming the first provider of the assignment without a key. */
  checkKeys(assignment: Assignment): void;
  /** The length gate, then the information gate (NEEDS_INFO, with what to ask the customer). */
  gate(text: string): { ok: true } | { ok: false; code: 'EMPTY_TICKET' | 'NEEDS_INFO' | 'BAD_INPUT'; message: string };
  /** Current privacy settings; `setPrivacy` changes them for the next ticket. */
  privacy(): PrivacySettings;
  setPrivacy(p: Partial<PrivacySettings>): void;
  keyStatus(): KeyStatus[];
  /** Per model spec. */
  schedulerStates(): Record<string, SchedulerState>;
  /** Hedged calls: settings, the workspace's recorded latencies (`configure({ history })`), counts. */
  hedger: Hedger;
  /**
   * Where each call's prompt comes from (the workspace's active versions: prompts/promptLibrary.ts);
   * until set, the newest shipped version of each task.
   */
  usePrompts(resolve: ((task: TaskId, spec?: string) => PromptTemplate) | null): void;
  /**
   * Re-reads keys (environment, then keychain) and rebuilds every provider lane, so the next call
   * uses a changed key, endpoint or retry policy. Calls in flight finish on the old lanes.
   */
  reload(changes?: {
    env?: Record<string, string | undefined>;
    endpoints?: Endpoints;
    scheduler?: RuntimeConfig['scheduler'];
  }): Promise<void>;
  close(): Promise<void>;
}

/** Builds the runtime: loads shipped data and resolves keys once. */
export async function createRuntime(cfg: RuntimeConfig): Promise<Runtime> {
  let env = cfg.env;
  let endpoints = cfg.endpoints;
  const endpoint = (p: ProviderId): string | undefined => endpointOf(p, env, endpoints);
  let schedulerOpts = cfg.scheduler;
  const prompts = loadPrompts(cfg.resourcesDir);
  const catalog = loadCatalog(cfg.resourcesDir);
  let promptOf: (task: TaskId, spec?: string) => PromptTemplate = (task) => prompts[task];
  const models = loadModels(cfg.resourcesDir);
  // The clock, read at each check: a workbench left open past a shutdown date refuses the model.
  const today = (): string => cfg.today ?? localDay((cfg.clock ?? (() => new Date()))());
  const keys = new Map<KeyProvider, ResolvedKey>();
  for (const p of KEY_PROVIDERS) keys.set(p, await resolveKey(p, env, cfg.secretStore));
  // Keys once known stay scrubbed, even after they are replaced: every provider's, and the
  // OpenAI-compatible endpoint's (a gateway may echo any of them).
  const scrubber = cfg.scrubber ?? new Scrubber();
  const remember = (): void => {
    scrubber.add([...keys.values()].map((k) => k.key));
    scrubber.add(env[PROVIDERS['openai-compatible'].keyEnv!]);
  };
  remember();
  const scrub = scrubber.scrub;
  const isRetired = (provider: string, model: string) => retiredInfo(provider, model, today(), models);
  const checkModels = (a: Assignment, where?: string): string[] => checkAssignmentLifecycle(a, today(), models, where);
  const clients = new Map<ProviderId, ChatProvider>();
  /** Keyed by model spec (`provider:model`). */
  const schedulers = new Map<string, ProviderScheduler>();
  const hedger = new Hedger(cfg.hedge);
  let privacy: PrivacySettings = { ...DEFAULT_PRIVACY, ...cfg.privacy };

  const keyFor = (p: ProviderId): string | null => {
    if (isKeyProviderId(p)) {
      const k = keys.get(p)!;
      if (!k.key) throw new AppError('KEY_MISSING', missingKeyMessage(p, k.keychainError), { provider: p });
      return k.key;
    }
    const keyEnv = PROVIDERS[p].keyEnv;
    return keyEnv ? (env[keyEnv] ?? null) : null;
  };

  // The host's env (never process.env): CASEBENCH_WIRE_THREAD=0 sends requests from this thread.
  const wireThread = (): boolean => env.CASEBENCH_WIRE_THREAD !== '0';
  const makeProvider = (p: ProviderId): ChatProvider => {
    switch (p) {
      case 'groq':
        return createGroqProvider({ apiKey: keyFor('groq')!, baseURL: endpoint('groq'), isRetired, scrubber, wireThread: wireThread() });
      case 'openai':
        return createOpenAIProvider({
          provider: 'openai',
          apiKey: keyFor('openai'),
          baseURL: endpoint('openai'),
          isRetired,
          scrubber,
          wireThread: wireThread(),
        });
      case 'openai-compatible': {
        const baseURL = endpoint('openai-compatible');
        if (!baseURL)
          throw new AppError(
            'BAD_INPUT',
            `openai-compatible models need ${PROVIDERS['openai-compatible'].endpointEnv} (e.g. http://127.0.0.1:11434/v1)`,
          );
        return createOpenAIProvider({
          provider: 'openai-compatible',
          apiKey: keyFor('openai-compatible'),
          baseURL,
          name: env.OPENAI_COMPATIBLE_NAME,
          isRetired,
          scrubber,
          wireThread: wireThread(),
        });
      }
      case 'demo':
        return createDemoProvider({ seed: cfg.demoSeed, speed: cfg.demoSpeed });
    }
  };

  // One SDK client per provider, one scheduler per model: Groq and OpenAI count limits per model,
  // so a rate-limited model must not hold back another model of the same provider.
  const lane = (spec: string): Lane => {
    const { provider, model } = parseModelSpec(spec);
    let client = clients.get(provider);
    if (!client) {
      client = makeProvider(provider);
      clients.set(provider, client);
    }
    const key = `${provider}:${model}`;
    let scheduler = schedulers.get(key);
    if (!scheduler) {
      scheduler = new ProviderScheduler({
        label: isKeyProviderId(provider) ? PROVIDERS[provider].name : provider,
        ...schedulerOpts,
      });
      schedulers.set(key, scheduler);
    }
    return { providerId: provider, model, provider: client, scheduler: hedger.wrap(key, scheduler) };
  };

  const deps: EngineDeps = {
    buildMessages: (task, text, upstream, spec) =>
      buildMessages(task, text, upstream, { [task]: promptOf(task, spec) } as PromptRegistry, catalog),
    promptVersion: (task, spec) => promptOf(task, spec).version,
    responseFormat: (spec, task) => responseFormatFor(spec, task, models),
    parseAnswer: (task, raw, ctx) => {
      const r = parseAnswer(task, raw, { platform: ctx.platform, catalog });
      return r.ok ? { ok: true, value: r.value } : { ok: false, message: r.message };
    },
    cost: (spec, usage) => costUsd(spec, usage, models),
    lane,
    scrub,
    scrubDeep: scrubber.scrubDeep,
    redact: (text) => {
      const r = privacy.redaction;
      return r.secrets || r.personal ? maskTicket(text, r, scrubber) : null;
    },
  };

  return {
    deps,
    models,
    scrubber,
    assignment: (spec) => {
      const a = spec ? parseAssignment(spec, { fallback: DEFAULT_ASSIGNMENT }) : { ...DEFAULT_ASSIGNMENT };
      checkModels(a, spec ? '--assign' : 'the default assignment');
      return a;
    },
    checkModels,
    today,
    checkKeys(assignment) {
      const providers = new Set(TASK_IDS.map((t: TaskId) => parseModelSpec(assignment[t]).provider));
      for (const p of providers) {
        if (isKeyProviderId(p)) keyFor(p);
        if (p === 'openai-compatible' && !endpoint('openai-compatible')) lane(`openai-compatible:x`);
      }
    },
    gate: (text) => {
      const length = checkTicket(text, cfg.gate);
      if (!length.ok) return length;
      const info = checkInformation(text, privacy.infoGate);
      return info.held ? { ok: false, code: 'NEEDS_INFO', message: info.message! } : { ok: true };
    },
    privacy: () => privacy,
    setPrivacy: (p) => {
      privacy = { ...privacy, ...p };
    },
    keyStatus: () => KEY_PROVIDERS.map((p) => keyStatus(keys.get(p)!)),
    schedulerStates: () => Object.fromEntries([...schedulers].map(([p, s]) => [p, s.state()])),
    hedger,
    usePrompts(resolve) {
      promptOf = resolve ?? ((task) => prompts[task]);
    },
    async reload(changes = {}) {
      if (changes.env) env = changes.env;
      if (changes.endpoints) endpoints = changes.endpoints;
      if (changes.scheduler) schedulerOpts = { ...schedulerOpts, ...changes.scheduler };
      for (const p of KEY_PROVIDERS) keys.set(p, await resolveKey(p, env, cfg.secretStore));
      remember();
      clients.clear();
      schedulers.clear();
    },
    close: async () => {},
  };
}
