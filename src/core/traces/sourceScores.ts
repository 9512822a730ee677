// The scores a trace's own tool gave its calls — LangSmith feedback, Langfuse scores, promptfoo's
// assertion verdicts — imported as trace reviews whose reviewer is the source (issue 14 §3). They
// sit beside a team's own reviews of the same calls, so the two can be compared (κ/α).
import { arr, num, obj, str, type Obj } from './values.ts';

export type CriterionKind = 'pass_fail' | 'score' | 'label' | 'note';

export interface SourceScore {
  criterion: string;
  kind: CriterionKind;
  /** true/false, a number (as the source gave it), or a label. */
  value: boolean | number | string | null;
  note: string | null;
  /** The source tool, and which of its scorers: langsmith:app, langfuse:annotation, promptfoo… */
  reviewer: string;
  scoredAt: string | null;
}

const lower = (s: string | null, dflt: string): string => (s ? s.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_') : dflt);

/** One Langfuse score object ({name, value, stringValue, dataType, source, comment}, or our snake_case copy). */
export function langfuseScore(s: unknown): SourceScore | null {
  const o = obj(s);
  const name = str(o?.name);
  if (!o || !name) return null;
  const type = (str(o.dataType) ?? str(o.data_type) ?? '').toUpperCase();
  const sv = str(o.stringValue) ?? str(o.string_value);
  const v = num(o.value);
  const reviewer = `langfuse:${lower(str(o.source), 'score')}`;
  const note = str(o.comment);
  const scoredAt = str(o.timestamp) ?? str(o.createdAt);
  if (type === 'BOOLEAN')
    return {
      criterion: name,
      kind: 'pass_fail',
      value: v === null ? (sv === null ? null : /^(true|1|pass)$/i.test(sv)) : v >= 0.5,
      note,
      reviewer,
      scoredAt,
    };
  if (type === 'CATEGORICAL' || (v === null && sv !== null))
    return { criterion: name, kind: 'label', value: sv ?? (v === null ? null : String(v)), note, reviewer, scoredAt };
  return { criterion: name, kind: 'score', value: v, note, reviewer, scoredAt };
}

/** One LangSmith feedback record (the feedback export: {run_id, key, score, value, comment, feedback_source}). */
export function langsmithFeedback(f: Obj): SourceScore | null {
  const key = str(f.key);
  if (!key) return null;
  const src = obj(f.feedback_source);
  const reviewer = `langsmith:${lower(str(src?.type), 'feedback')}`;
  const note = str(f.comment);
  const scoredAt = str(f.created_at) ?? str(f.modified_at);
  const score = f.score;
  if (typeof score === 'boolean') return { criterion: key, kind: 'pass_fail', value: score, note, reviewer, scoredAt };
  if (num(score) !== null) return { criterion: key, kind: 'score', value: num(score), note, reviewer, scoredAt };
  if (typeof f.value === 'string') return { criterion: key, kind: 'label', value: f.value, note, reviewer, scoredAt };
  if (typeof f.value === 'boolean') return { criterion: key, kind: 'pass_fail', value: f.value, note, reviewer, scoredAt };
  if (note) return { criterion: key, kind: 'note', value: null, note, reviewer, scoredAt };
  return null;
}

/** The source's scores carried in an imported call's metadata (null when there are none: the common case costs one lookup per key). */
export function sourceScores(format: string, meta: Obj): SourceScore[] | null {
  let out: SourceScore[] | null = null;
  const add = (s: SourceScore | null): void => {
    if (s) (out ??= []).push(s);
  };
  if (format === 'langfuse' || meta.trace_scores !== undefined || meta.scores !== undefined) {
    for (const s of arr(meta.trace_scores)) add(langfuseScore(s));
    for (const s of arr(meta.scores)) add(langfuseScore(s));
  }
  const stats = obj(meta.feedback_stats);
  if (stats) {
    // LangSmith's per-run aggregate of its feedback: the mean per key
    for (const [key, v] of Object.entries(stats)) {
      const o = obj(v);
      const avg = num(o?.avg);
      if (avg !== null)
        add({
          criterion: key,
          kind: 'score',
          value: avg,
          note: num(o?.n) !== null ? `mean of ${num(o?.n)} LangSmith feedback` : null,
          reviewer: 'langsmith:feedback_stats',
          scoredAt: null,
        });
    }
  }
  const verdict = obj(meta.eval_verdict);
  if (format === 'promptfoo' && verdict) {
    const pass = typeof verdict.pass === 'boolean' ? verdict.pass : typeof verdict.success === 'boolean' ? verdict.success : null;
    if (pass !== null)
      add({ criterion: 'pass', kind: 'pass_fail', value: pass, note: str(verdict.reason), reviewer: 'promptfoo', scoredAt: null });
    if (num(verdict.score) !== null)
      add({ criterion: 'score', kind: 'score', value: num(verdict.score), note: null, reviewer: 'promptfoo', scoredAt: null });
    const named = obj(meta.named_scores);
    if (named)
      for (const [k, v] of Object.entries(named))
        if (num(v) !== null) add({ criterion: k, kind: 'score', value: num(v), note: null, reviewer: 'promptfoo', scoredAt: null });
  }
  return out;
}
