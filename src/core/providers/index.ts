// The provider factory: configuration in, ChatProvider out. Hosts read keys and endpoints
// (keychain, env) and pass them in; nothing here reads process.env.
import { AppError } from '../../shared/errors.ts';
import type { RetiredLookup } from './classifyError.ts';
import { createDemoProvider, type DemoProviderOptions } from './demoProvider.ts';
import { createGroqProvider } from './groqProvider.ts';
import { createOpenAIProvider } from './openaiProvider.ts';
import type { ChatProvider, ProviderConfig } from './types.ts';

// One parser for `provider:model` lives with the model registry; re-exported for callers here.
export { parseModelSpec } from '../models.ts';
export { classifyError, type RetiredLookup } from './classifyError.ts';
export { parseRateLimitHeaders } from './rateLimitHeaders.ts';
export { ProviderScheduler, type AttemptOutcome, type SchedulerOptions, type SchedulerState } from './scheduler.ts';
export { createDemoProvider, type DemoProviderOptions } from './demoProvider.ts';
export * from './types.ts';

export interface ProviderDeps {
  /** Registry lookup so a 404 on a retired model says when it retired and what replaces it. */
  isRetired: RetiredLookup;
  /** Options for the simulated provider (seed, failures, speed). */
  demo?: DemoProviderOptions;
  /** Monotonic clock for TTFT; defaults to performance.now. */
  now?: () => number;
}

/** Builds the ChatProvider for a configuration; throws KEY_MISSING / BAD_INPUT AppErrors. */
export function createProvider(config: ProviderConfig, deps: ProviderDeps): ChatProvider {
  const key = config.apiKey?.trim() ? config.apiKey.trim() : null;
  switch (config.provider) {
    case 'groq':
      if (!key) {
        throw new AppError('KEY_MISSING', 'No Groq API key. Set one with `casebench keys set groq` or GROQ_API_KEY.');
      }
      return createGroqProvider({
        apiKey: key,
        ...(config.baseURL ? { baseURL: config.baseURL } : {}),
        isRetired: deps.isRetired,
        ...(deps.now ? { now: deps.now } : {}),
      });
    case 'openai':
      if (!key) {
        throw new AppError(
          'KEY_MISSING',
          'No OpenAI API key. Set one with `casebench keys set openai` or OPENAI_API_KEY.',
        );
      }
      return createOpenAIProvider({
        provider: 'openai',
        apiKey: key,
        ...(config.baseURL ? { baseURL: config.baseURL } : {}),
        isRetired: deps.isRetired,
        ...(deps.now ? { now: deps.now } : {}),
      });
    case 'openai-compatible':
      if (!config.baseURL) {
        throw new AppError(
          'BAD_INPUT',
          'openai-compatible models need the endpoint\'s base URL (including /v1, e.g. http://127.0.0.1:8000/v1); set OPENAI_COMPATIBLE_BASE_URL or configure it in Settings.',
        );
      }
      // Local servers (vLLM, Ollama) usually take no key; the SDK still wants a string.
      return createOpenAIProvider({
        provider: 'openai-compatible',
        apiKey: key,
        baseURL: config.baseURL,
        ...(config.name ? { name: config.name } : {}),
        isRetired: deps.isRetired,
        ...(deps.now ? { now: deps.now } : {}),
      });
    case 'demo':
      return createDemoProvider(deps.demo);
    default: {
      const never: never = config.provider;
      throw new AppError('BAD_INPUT', `Unknown provider "${String(never)}".`);
    }
  }
}
