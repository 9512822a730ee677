// The experiment setup form as data: what the user chose, turned into the route's input (or the
// reason it cannot start yet). Pure, so the form's rules are tested without a browser.
import type { ModelInfo } from '#shared/routes.ts';
import { EXPERIMENT_MAX_MODELS } from '#shared/limits.ts';
import type { ExperimentSetup, ExperimentUpstream, StagedTicketFile } from '#shared/routes/experimentRoutes.ts';

export interface SetupForm {
  ticketKind: 'workspace' | 'staged';
  /** Workspace tickets of this source; null: every ticket. */
  source: string | null;
  /** The first N tickets; null: all. */
  limit: number | null;
  staged: StagedTicketFile | null;
  models: string[];
  baseline: string | null;
  upstream: ExperimentUpstream;
  /** Requests per minute per model, as typed ('' = no limit). */
  rpm: Record<string, string>;
  concurrency: number;
}

export const EMPTY_FORM: SetupForm = {
  ticketKind: 'workspace',
  source: null,
  limit: null,
  staged: null,
  models: [],
  baseline: null,
  upstream: 'own',
  rpm: {},
  concurrency: 4,
};

/** Why a model cannot be picked (retired), or null. */
export function refusal(m: ModelInfo | undefined): string | null {
  if (m?.status !== 'retired') return null;
  return `Shut down${m.retiredOn ? ` on ${m.retiredOn}` : ''}${m.replacement ? `; use ${m.replacement}` : ''}`;
}

/** Adds or removes a model; the baseline stays valid (the first model picked, unless the user chose). */
export function toggleModel(f: SetupForm, spec: string, models: readonly ModelInfo[]): SetupForm {
  if (f.models.includes(spec)) {
    const next = f.models.filter((m) => m !== spec);
    const { [spec]: _dropped, ...rpm } = f.rpm;
    return { ...f, models: next, rpm, baseline: f.baseline === spec ? (next[0] ?? null) : f.baseline };
  }
  if (refusal(models.find((m) => m.spec === spec))) return f;
  if (f.models.length >= EXPERIMENT_MAX_MODELS) return f;
  const next = [...f.models, spec];
  return { ...f, models: next, baseline: f.baseline ?? spec };
}

/** `groq:openai/gpt-oss-20b=30,openai:gpt-4o=500`, or an error naming the model whose limit is not a number. */
export function rpmSpec(f: Pick<SetupForm, 'models' | 'rpm'>): { ok: true; spec: string | undefined } | { ok: false; reason: string } {
  const parts: string[] = [];
  for (const m of f.models) {
    const raw = (f.rpm[m] ?? '').trim();
    if (raw === '') continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0)
      return { ok: false, reason: `The requests-per-minute limit of ${m} must be a positive number (or empty for none).` };
    parts.push(`${m}=${n}`);
  }
  return { ok: true, spec: parts.length ? parts.join(',') : undefined };
}

/** The route input for the form, or why it cannot be estimated or started yet. */
export function setupInput(f: SetupForm): { ok: true; input: ExperimentSetup } | { ok: false; reason: string } {
  let tickets: ExperimentSetup['tickets'];
  if (f.ticketKind === 'staged') {
    if (!f.staged) return { ok: false, reason: 'Choose a ticket file (JSONL or CSV).' };
    tickets = { kind: 'staged', fileId: f.staged.fileId };
  } else {
    tickets = { kind: 'workspace', ...(f.source !== null ? { source: f.source } : {}), ...(f.limit ? { limit: f.limit } : {}) };
  }
  if (f.models.length < 2) return { ok: false, reason: 'Pick at least two models to compare.' };
  if (!f.baseline || !f.models.includes(f.baseline)) return { ok: false, reason: 'Mark one of the models as the baseline.' };
  const rpm = rpmSpec(f);
  if (!rpm.ok) return rpm;
  return {
    ok: true,
    input: {
      tickets,
      models: f.models,
      baseline: f.baseline,
      upstream: f.upstream,
      concurrency: f.concurrency,
      ...(rpm.spec ? { rpm: rpm.spec } : {}),
    },
  };
}
