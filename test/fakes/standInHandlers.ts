// A test-only stand-in for the core: implements RouteHandlers and plays a ticket through the
// task graph with scripted latencies, values and failures. Never used by the app itself.
import type { AppErrorShape, Result } from '#shared/errors.ts';
import type { TaskResult } from '#shared/results.ts';
import type { AppEvent, KeyStatus, RouteHandlers, RouteName, RouteOutputs } from '#shared/routes.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';

export interface StandInOptions {
  /** Latency per task, ms (default 40–120). */
  latencies?: Partial<Record<TaskId, number>>;
  values?: Partial<Record<TaskId, unknown>>;
  failures?: Partial<Record<TaskId, AppErrorShape>>;
  assignment?: Record<TaskId, string>;
  keys?: KeyStatus[];
  /** Prices unknown for these tasks (cost null). */
  unpriced?: TaskId[];
}

export const SAMPLE_VALUES: Record<TaskId, unknown> = {
  platform: 'gcp',
  product: 'Google Kubernetes Engine',
  technical_details: {
    present: ['cluster version 1.29.4-gke.1043', 'region europe-west1', 'error: 502 from ingress', 'started after upgrade'],
    missing: ['node pool name', 'pod events / kubectl describe output', 'time of first failure (UTC)'],
  },
  asset_ids: ['acme-prod-42', 'gke-prod-eu-1', 'projects/acme-prod-42/zones/europe-west1-b'],
  severity: 'urgent',
};

export const DEFAULT_ASSIGNMENT: Record<TaskId, string> = {
  platform: 'groq:llama-3.1-8b-instant',
  product: 'groq:openai/gpt-oss-20b',
  technical_details: 'groq:openai/gpt-oss-120b',
  asset_ids: 'groq:llama-3.1-8b-instant',
  severity: 'openai:gpt-5-mini',
};

const DEFAULT_LATENCY: Record<TaskId, number> = { platform: 60, product: 90, technical_details: 140, asset_ids: 70, severity: 110 };

export interface StandIn extends RouteHandlers {
  calls: { route: RouteName; input: unknown }[];
  emit(e: AppEvent): void;
  listenerCount(): number;
  close(): void;
}

export function createStandInHandlers(opts: StandInOptions = {}): StandIn {
  const listeners = new Set<(e: AppEvent) => void>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const calls: { route: RouteName; input: unknown }[] = [];
  const assignment = opts.assignment ?? DEFAULT_ASSIGNMENT;
  let seq = 0;
  const cancelled = new Set<string>();

  const emit = (e: AppEvent): void => {
    for (const l of listeners) l(e);
  };
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  function play(ticketId: string): void {
    const t0 = performance.now();
    const elapsed = (): number => performance.now() - t0;
    const results = new Map<TaskId, TaskResult>();
    const started = new Set<TaskId>();

    const finish = (r: TaskResult): void => {
      if (cancelled.has(ticketId)) return;
      results.set(r.task, r);
      emit({
        type: 'task.result',
        ticketId,
        runId: `triage-${ticketId}`,
        result: r,
        emittedAt: performance.timeOrigin + performance.now(),
      });
      if (results.size === TASK_IDS.length) emit({ type: 'ticket.done', ticketId, runId: `triage-${ticketId}`, totalMs: elapsed() });
      else tick();
    };

    const base = (task: TaskId, startedMs: number): TaskResult => {
      const [provider, ...rest] = assignment[task].split(':');
      return {
        task,
        status: 'ok',
        value: null,
        raw: null,
        provider: provider ?? '',
        model: rest.join(':'),
        promptVersion: 'v1',
        startedMs,
        endedMs: startedMs,
        latencyMs: 0,
        ttftMs: null,
        queueTimeMs: null,
        providerTotalMs: null,
        inputTokens: null,
        outputTokens: null,
        cachedTokens: null,
        reasoningTokens: null,
        costUsd: null,
        attempts: 1,
        error: null,
      };
    };

    function tick(): void {
      for (const task of TASK_IDS) {
        if (started.has(task) || results.has(task)) continue;
        const deps = TASKS[task].dependsOn;
        if (!deps.every((d) => results.has(d))) continue;
        const failedDep = deps.find((d) => results.get(d)!.status !== 'ok');
        started.add(task);
        if (failedDep) {
          const now = elapsed();
          finish({ ...base(task, now), status: 'skipped', error: { code: 'SKIPPED', message: `${failedDep} failed` } });
          continue;
        }
        const startedMs = elapsed();
        const r0 = base(task, startedMs);
        emit({ type: 'task.started', ticketId, runId: `triage-${ticketId}`, task, provider: r0.provider, model: r0.model, startedMs });
        later(opts.latencies?.[task] ?? DEFAULT_LATENCY[task], () => {
          const endedMs = elapsed();
          const failure = opts.failures?.[task];
          const timing = {
            endedMs,
            latencyMs: endedMs - startedMs,
            inputTokens: 380 + task.length * 17,
            outputTokens: 9 + task.length * 3,
          };
          if (failure) {
            finish({ ...r0, ...timing, status: 'error', error: failure, attempts: 3 });
          } else {
            const priced = !opts.unpriced?.includes(task);
            finish({
              ...r0,
              ...timing,
              status: 'ok',
              value: opts.values?.[task] ?? SAMPLE_VALUES[task],
              costUsd: priced ? timing.inputTokens * 5e-8 + timing.outputTokens * 2e-7 : null,
            });
          }
        });
      }
    }
    tick();
  }

  return {
    calls,
    emit,
    listenerCount: () => listeners.size,
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      listeners.clear();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async request<R extends RouteName>(route: R, input: unknown): Promise<Result<RouteOutputs[R]>> {
      calls.push({ route, input });
      const ok = (data: unknown): Result<RouteOutputs[R]> => ({ ok: true, data: data as RouteOutputs[R] });
      switch (route) {
        case 'triage.start': {
          const text = (input as { text: string }).text;
          if (text.trim().length < 3) return { ok: false, error: { code: 'EMPTY_TICKET', message: 'nothing to triage' } };
          const ticketId = `t-${++seq}`;
          // Like a real engine, the first events may leave before the reply.
          queueMicrotask(() => play(ticketId));
          return ok({ ticketId, assignment, runId: `triage-${ticketId}` });
        }
        case 'triage.cancel': {
          const { ticketId } = input as { ticketId: string };
          cancelled.add(ticketId);
          return ok({ cancelled: true });
        }
        case 'keys.status':
          return ok(
            opts.keys ?? [
              { provider: 'groq', set: true, last4: 'abcd', source: 'keychain' },
              { provider: 'openai', set: false, last4: null, source: null },
            ],
          );
        case 'models.list':
          return ok([]);
        case 'config.get':
          return ok({ assignment, demo: false });
        default:
          return { ok: false, error: { code: 'BAD_INPUT', message: `unknown route ${route}` } };
      }
    },
  };
}
