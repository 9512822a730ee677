// A keyless, simulated provider so the product works out of the box: latency drawn around the
// seed article's per-task medians, failures at the article's rates, answers from heuristics.
import path from 'node:path';
import { z } from 'zod';
import { isTaskId, TASK_IDS, type TaskId } from '#shared/tasks.ts';
import { readJsonResource, resolveResourcesDir } from '../resources.ts';
import { heuristicAnswer } from './demo/heuristicAnswers.ts';
import { ProviderError, type ChatProvider, type ChatRequest, type ChatResponse } from './types.ts';
import { seededRandom } from '../random.ts';
import { heuristicVerdict, readJudgeRequest } from '../judge/heuristicJudge.ts';

const taskProfile = z.object({ medianMs: z.number().positive(), successPct: z.number().min(0).max(100) });
const profilesSchema = z.object({
  source: z.string(),
  sigma: z.number().nonnegative(),
  models: z.record(
    z.string(),
    z.object({
      articleModel: z.string(),
      tasks: z.object(Object.fromEntries(TASK_IDS.map((t) => [t, taskProfile])) as Record<TaskId, typeof taskProfile>),
    }),
  ),
});
export type LatencyProfiles = z.infer<typeof profilesSchema>;

export interface DemoProviderOptions {
  /** PRNG seed; the same seed gives the same latencies and failures. Default: random. */
  seed?: number;
  /** Simulate the article's failure rates (INVALID_OUTPUT). Default true. */
  failures?: boolean;
  /** Multiplies every latency (tests use 0.01). Default 1. */
  speed?: number;
  /** Where resources/ lives, when not next to the sources. */
  resourcesDir?: string;
  /** Profiles given directly instead of read from resources/demo/latency-profiles.json. */
  profiles?: LatencyProfiles;
}

/** Loads resources/demo/latency-profiles.json (validated). */
export function loadLatencyProfiles(resourcesDir?: string): LatencyProfiles {
  const file = path.join(resolveResourcesDir(resourcesDir), 'demo', 'latency-profiles.json');
  return readJsonResource(file, profilesSchema);
}

export { seededRandom };

/** The ticket text (last <ticket>…</ticket> block) and Platform:/Product: context lines of a prompt. */
export function readPrompt(messages: ChatRequest['messages']): {
  ticket: string;
  platform: string | null;
  product: string | null;
} {
  const user = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const blocks = [...user.matchAll(/<ticket>([\s\S]*?)<\/ticket>/g)];
  const last = blocks.at(-1);
  const ticket = last?.[1] !== undefined ? last[1].trim() : user.trim();
  // Context lines live outside the ticket block, so a ticket saying "Product: X" can't spoof them.
  const outside = last?.index !== undefined ? user.slice(0, last.index) + user.slice(last.index + last[0].length) : '';
  const line = (name: string): string | null => {
    const v = new RegExp(`^\\s*${name}:\\s*(.+?)\\s*$`, 'im').exec(outside)?.[1] ?? null;
    return v === null || /^(null|none|unknown|n\/a|-)$/i.test(v) ? null : v;
  };
  return { ticket, platform: line('Platform'), product: line('Product') };
}

function sleepFor(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ProviderError({ code: 'CANCELLED', message: 'Cancelled.' }));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ProviderError({ code: 'CANCELLED', message: 'Cancelled.' }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// What the article's failed calls looked like: cut-off JSON or chatty prose around it.
function brokenOutput(good: string, r: number): string {
  if (r < 0.5) return good.slice(0, Math.max(1, Math.floor(good.length / 2)));
  return `Sure! Here is the requested JSON:\n${good}\nLet me know if you need anything else.`;
}

/** Model ids the demo provider serves (from the latency profiles). */
export function demoModels(profiles: LatencyProfiles = loadLatencyProfiles()): string[] {
  return Object.keys(profiles.models);
}

/** A keyless simulated ChatProvider (id 'demo') with the article's latencies and failure rates. */
export function createDemoProvider(opts: DemoProviderOptions = {}): ChatProvider {
  const profiles = opts.profiles ?? loadLatencyProfiles(opts.resourcesDir);
  const random = seededRandom(opts.seed ?? Math.floor(Math.random() * 2 ** 32));
  const failures = opts.failures ?? true;
  const speed = opts.speed ?? 1;
  let counter = 0;

  // Box–Muller: a standard normal from two uniforms.
  const normal = (): number => {
    const u = Math.max(random(), Number.EPSILON);
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };

  async function complete(req: ChatRequest): Promise<ChatResponse> {
    const model = profiles.models[req.model];
    if (!model) {
      throw new ProviderError({
        code: 'MODEL_NOT_FOUND',
        message: `The demo provider has no model ${req.model}; it offers ${Object.keys(profiles.models).join(', ')}.`,
      });
    }
    const taskName = req.task ?? (req.responseFormat.type === 'json_schema' ? req.responseFormat.name : '');
    // A judge request (core/judge): the demo judges with the same heuristics it answers with,
    // disagreeing with the rubric on a tenth of answers so the judge-vs-human figures mean something.
    const judged = taskName.startsWith('judge:') ? readJudgeRequest(req.messages) : null;
    if (judged) {
      const latencyMs = model.tasks[judged.task].medianMs * 1.5 * Math.exp(profiles.sigma * normal()) * speed;
      await sleepFor(Math.min(latencyMs, req.timeoutMs), req.signal);
      const text = JSON.stringify(heuristicVerdict(judged, { disagreeRate: 0.1, seed: 17 }));
      const promptChars = req.messages.reduce((n, m) => n + m.content.length, 0);
      return {
        text,
        finishReason: 'stop',
        inputTokens: Math.ceil(promptChars / 4),
        outputTokens: Math.ceil(text.length / 4),
        cachedTokens: null,
        reasoningTokens: null,
        ttftMs: null,
        queueTimeMs: null,
        providerTotalMs: null,
        requestId: `demo_${++counter}`,
        rateLimit: null,
      };
    }
    if (!isTaskId(taskName)) {
      throw new ProviderError({
        code: 'BAD_REQUEST',
        message: `The demo provider only answers the five triage tasks (got "${taskName || 'no task'}").`,
      });
    }
    const profile = model.tasks[taskName];
    // Draw everything up front so a seed fixes the sequence regardless of timing.
    const latencyMs = profile.medianMs * Math.exp(profiles.sigma * normal()) * speed;
    const fails = failures && random() * 100 >= profile.successPct;
    const breakKind = random();
    const requestId = `demo_${++counter}`;

    const waitMs = Math.min(latencyMs, req.timeoutMs);
    await sleepFor(waitMs, req.signal);
    if (latencyMs > req.timeoutMs) {
      throw new ProviderError({
        code: 'TIMEOUT',
        message: `The demo provider did not answer within ${req.timeoutMs} ms.`,
        retryable: true,
      });
    }

    const prompt = readPrompt(req.messages);
    const good = JSON.stringify(heuristicAnswer(taskName, prompt.ticket, { platform: prompt.platform, product: prompt.product }));
    // A failing model answers with text that is not the requested JSON, as the article's did;
    // the engine's parser classifies it (INVALID_OUTPUT) and may retry, exactly as for a real model.
    const text = fails ? brokenOutput(good, breakKind) : good;
    const promptChars = req.messages.reduce((n, m) => n + m.content.length, 0);
    return {
      text,
      finishReason: 'stop',
      inputTokens: Math.ceil(promptChars / 4),
      outputTokens: Math.ceil(text.length / 4),
      cachedTokens: null,
      reasoningTokens: null,
      // Short JSON answers stream in a few tokens, so most of the latency precedes the first one.
      ttftMs: req.stream ? latencyMs * 0.8 : null,
      queueTimeMs: null,
      providerTotalMs: null,
      requestId,
      rateLimit: null,
    };
  }

  return { id: 'demo', complete };
}
