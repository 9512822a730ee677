// The core services every interactive host (Electron main, `casebench serve`) exposes to the
// renderer through the route contract of src/shared/routes.ts.
import { randomUUID } from 'node:crypto';
import { AppError, type Result } from '../shared/errors.ts';
import { routeInputs, type AppEvent, type RouteHandlers, type RouteName, type RouteOutputs, type ModelInfo as RouteModel } from '../shared/routes.ts';
import type { TaskId } from '../shared/tasks.ts';
import { triageTicket, type Assignment } from './graph/engine.ts';
import { recorder } from './experiments/batchRun.ts';
import { openStore } from './store/store.ts';
import { createRuntime, type RuntimeConfig } from './runtime.ts';
import { retiredInfo } from './models.ts';
import { parseAssignment } from './assignment.ts';
import { keytarSecretStore } from './secrets/secretStore.ts';

export interface CoreConfig {
  dbPath: string;
  resourcesDir?: string;
  env: Record<string, string | undefined>;
  /** Defaults to the OS keychain. */
  secretStore?: RuntimeConfig['secretStore'];
  demoSpeed?: number;
}

export interface CoreServices extends RouteHandlers {
  /** Runs left unfinished by a previous session, marked interrupted at start. */
  readonly interruptedRuns: number;
  close(): Promise<void>;
}

const DEMO_ASSIGNMENT = 'demo';

/** Builds the core for an interactive host: runtime, store, and the route handlers over them. */
export async function createCoreServices(cfg: CoreConfig): Promise<CoreServices> {
  const rt = await createRuntime({
    env: cfg.env,
    secretStore: cfg.secretStore === undefined ? keytarSecretStore() : cfg.secretStore,
    resourcesDir: cfg.resourcesDir,
    demoSpeed: cfg.demoSpeed,
  });
  const store = openStore(cfg.dbPath);
  const interruptedRuns = store.markInterruptedRuns();
  const listeners = new Set<(e: AppEvent) => void>();
  const inFlight = new Map<string, AbortController>();
  const emit = (e: AppEvent): void => {
    for (const l of listeners) {
      try {
        l(e);
      } catch {
        // A broken listener must not stop the others or the engine.
      }
    }
  };

  // With no key at all, the workbench starts on the keyless demo so it shows something real.
  const noKeys = rt.keyStatus().every((k) => !k.set);
  const defaultAssignment = (): Assignment => rt.assignment(noKeys ? DEMO_ASSIGNMENT : undefined);

  const handlers: { [R in RouteName]: (input: never) => Promise<RouteOutputs[R]> } = {
    'triage.start': async (input: { text: string; title?: string; assign?: string }) => {
      const gate = rt.gate(input.text);
      if (!gate.ok) throw new AppError(gate.code, gate.message);
      const assignment = input.assign ? parseAssignment(input.assign, { fallback: defaultAssignment() }) : defaultAssignment();
      rt.checkKeys(assignment);
      const ticketId = `t-${randomUUID().slice(0, 8)}`;
      const runId = `triage-${ticketId}`;
      store.upsertTicket({ id: ticketId, text: input.text, ...(input.title ? { title: input.title } : {}) }, 'paste');
      store.createRun({ id: runId, kind: 'triage', assignment });
      store.setRunTicket(runId, ticketId, 'pending');
      const rec = recorder(store, runId);
      const ac = new AbortController();
      inFlight.set(ticketId, ac);
      void triageTicket(rt.deps, { id: ticketId, text: input.text }, assignment, {
        signal: ac.signal,
        stream: true,
        onStarted: (task, spec, startedMs) => {
          const i = spec.indexOf(':');
          emit({ type: 'task.started', ticketId, task, provider: spec.slice(0, i), model: spec.slice(i + 1), startedMs });
        },
        onAttempt: rec.onAttempt,
        onResult: (r, spec) => {
          rec.onResult(r, spec, ticketId);
          emit({ type: 'task.result', ticketId, result: r });
        },
      })
        .then((r) => {
          store.setRunTicket(runId, ticketId, ac.signal.aborted ? 'cancelled' : 'done', r.totalMs);
          store.setRunStatus(runId, ac.signal.aborted ? 'interrupted' : 'done');
          emit({ type: 'ticket.done', ticketId, totalMs: r.totalMs });
        })
        .finally(() => inFlight.delete(ticketId));
      return { ticketId, assignment };
    },
    'triage.cancel': async (input: { ticketId: string }) => {
      const ac = inFlight.get(input.ticketId);
      ac?.abort();
      return { cancelled: Boolean(ac) };
    },
    'keys.status': async () => rt.keyStatus(),
    'models.list': async () =>
      rt.models.models.map((m): RouteModel => {
        const retired = retiredInfo(m.provider, m.model, undefined, rt.models);
        return {
          spec: m.id, provider: m.provider, name: m.displayName, status: retired ? 'retired' : m.status,
          priceKnown: m.price !== null, retiredOn: m.retiredOn, replacement: m.replacement,
        };
      }),
    'config.get': async () => ({ assignment: defaultAssignment() as Record<TaskId, string>, demo: noKeys }),
  };

  return {
    interruptedRuns,
    async request<R extends RouteName>(route: R, input: unknown): Promise<Result<RouteOutputs[R]>> {
      const schema = routeInputs[route];
      if (!schema) return { ok: false, error: { code: 'BAD_INPUT', message: `unknown route ${String(route)}` } };
      const parsed = schema.safeParse(input ?? {});
      if (!parsed.success) return { ok: false, error: { code: 'BAD_INPUT', message: `${route}: ${parsed.error.issues[0]?.message ?? 'invalid input'}` } };
      try {
        const fn = handlers[route] as (i: unknown) => Promise<RouteOutputs[R]>;
        return { ok: true, data: await fn(parsed.data ?? {}) };
      } catch (e) {
        if (e instanceof AppError) return { ok: false, error: { code: e.code, message: rt.deps.scrub(e.message) } };
        return { ok: false, error: { code: 'INTERNAL', message: rt.deps.scrub((e as Error).message ?? String(e)) } };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      for (const ac of inFlight.values()) ac.abort();
      listeners.clear();
      store.close();
      await rt.close();
    },
  };
}
