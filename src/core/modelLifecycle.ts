// Models past their shutdown date are refused before anything is called, everywhere a model is
// chosen (CLI assignments, Settings, Compare, imports, the plan), naming the replacement; models
// with a shutdown date ahead (or deprecated) are allowed with a warning that says when.
import { AppError } from '#shared/errors.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import type { Assignment } from './graph/engine.ts';
import { deprecationWarning, findModel, loadModels, parseModelSpec, retiredInfo, type ModelsRegistry } from './models.ts';

export interface Lifecycle {
  status: 'retired' | 'deprecated';
  /** Shutdown date (past for retired, ahead for deprecated; null when not announced). */
  shutdownOn: string | null;
  replacement: string | null;
  /** One line for people: "gpt-5-mini shuts down on 2026-12-11 (7 days); replacement gpt-6.1-terra". */
  message: string;
}

/** A model's lifecycle as of `today` (YYYY-MM-DD): retired, deprecated (or shutting down), or null when current. */
export function lifecycleOf(spec: string, today: string, registry: ModelsRegistry): Lifecycle | null {
  const m = findModel(spec, registry);
  if (!m) return null;
  const retired = retiredInfo(m.provider, m.model, today, registry);
  if (retired) {
    return {
      status: 'retired',
      shutdownOn: m.retiredOn,
      replacement: m.replacement,
      message: retiredMessage(spec, retired.retiredOn, m.replacement),
    };
  }
  if (m.status === 'deprecated' || m.retiredOn !== null) {
    return {
      status: 'deprecated',
      shutdownOn: m.retiredOn,
      replacement: m.replacement,
      message: deprecationWarning(spec, today, registry) ?? `${m.model} is deprecated`,
    };
  }
  return null;
}

function retiredMessage(spec: string, on: string, replacement: string | null): string {
  return `${spec} was shut down on ${on}${replacement ? `; use ${replacement} instead` : ' and has no named replacement'}`;
}

/** Throws MODEL_RETIRED for the first retired model among `specs`, naming its replacement. */
export function refuseRetired(specs: Iterable<string>, today: string, registry: ModelsRegistry, where?: string): void {
  for (const spec of specs) {
    let provider: string;
    let model: string;
    try {
      ({ provider, model } = parseModelSpec(spec));
    } catch {
      continue; // malformed specs are refused by their own parser with its own message
    }
    const r = retiredInfo(provider, model, today, registry);
    if (r) {
      const m = findModel(spec, registry);
      throw new AppError(
        'MODEL_RETIRED',
        `${where ? `${where}: ` : ''}${retiredMessage(spec, r.retiredOn, m?.replacement ?? r.replacement)}`,
      );
    }
  }
}

/** Refuses an assignment with a retired model; returns one warning per deprecated model (with its date). */
export function checkAssignmentLifecycle(a: Readonly<Assignment>, today: string, registry: ModelsRegistry, where?: string): string[] {
  const specs = [...new Set(TASK_IDS.map((t) => a[t]))];
  refuseRetired(specs, today, registry, where);
  const out: string[] = [];
  for (const s of specs) {
    const w = deprecationWarning(s, today, registry);
    if (w !== null) out.push(w);
  }
  return out;
}

/** Lifecycle of a run's models for the plan (report): retired ones are never recommended, deprecated ones flagged with their date. */
export function planLifecycle(
  models: readonly string[],
  today: string,
  registry?: ModelsRegistry,
): Record<string, { status: 'retired' | 'deprecated'; shutdown_on: string | null; replacement: string | null; message: string }> {
  const reg = registry ?? loadModels();
  const out: Record<string, { status: 'retired' | 'deprecated'; shutdown_on: string | null; replacement: string | null; message: string }> =
    {};
  for (const m of models) {
    const l = lifecycleOf(m, today, reg);
    if (l) out[m] = { status: l.status, shutdown_on: l.shutdownOn, replacement: l.replacement, message: l.message };
  }
  return out;
}
