// The manual-review rubric (contracts §6): which scores each task allows, how a correct value the
// reviewer enters turns into a score, and why a score is refused. One function checks both a score
// given in the app and a line of an imported file, so both refuse the same things for the same reason.
import { z } from 'zod';
import { SEVERITIES, TASKS, type Severity, type TaskId } from '#shared/tasks.ts';
import { WIRE_SCHEMAS } from '#shared/wireSchemas.ts';
import { canonicalProduct, foldName } from '../catalog.ts';
import type { RubricView } from './types.ts';

export type { RubricKind, RubricView } from './types.ts';

const EXACT_HELP = 'exact = 1, anything else = 0';

/** The rubric of every task. */
export const RUBRIC: Readonly<Record<TaskId, RubricView>> = Object.freeze({
  platform: { task: 'platform', label: TASKS.platform.label, kind: 'exact', scores: [0, 1], help: EXACT_HELP },
  product: { task: 'product', label: TASKS.product.label, kind: 'exact', scores: [0, 1], help: EXACT_HELP },
  asset_ids: {
    task: 'asset_ids',
    label: TASKS.asset_ids.label,
    kind: 'exact',
    scores: [0, 1],
    help: `${EXACT_HELP} (the whole set of ids)`,
  },
  severity: {
    task: 'severity',
    label: TASKS.severity.label,
    kind: 'severity',
    scores: [0, 0.5, 1],
    help: 'exact = 1, one level off = 0.5, otherwise 0',
  },
  technical_details: {
    task: 'technical_details',
    label: TASKS.technical_details.label,
    kind: 'details',
    scores: null,
    help: 'list the details the ticket carries (M) and tick those the answer missed: 1 − missed/M; a ticket with none (M = 0): 1 when the answer says none, 0 when it names some',
  },
});

/** A correct value as kept (and written into the ticket's labels): the task's normalised form. */
export type CorrectValue = string | null | string[] | { present: string[]; missing: string[] } | boolean;

/** What a reviewer claims about one answer, before checking. */
export interface ScoreClaim {
  task: TaskId;
  score?: number;
  /** undefined: no correct value entered; null is a value (e.g. "no platform"). */
  correctValue?: unknown;
  missing?: readonly string[];
  /** The details the reviewer expects (technical details); M = its length. */
  expected?: readonly string[];
  /** M when only the count is known (imported lines). */
  expectedCount?: number;
}

/** A claim that passed the rubric: the score to record and the normalised extras. */
export interface CheckedScore {
  score: number;
  /** undefined when none was entered. */
  correctValue: CorrectValue | undefined;
  missing: string[] | null;
  expected: string[] | null;
  expectedCount: number | null;
}

export type CheckResult = { ok: true; value: CheckedScore } | { ok: false; reason: string };

export interface CheckContext {
  /** The answer being scored, when known: lets a correct value give the score, and a contradiction be refused. */
  answer?: unknown;
  /** The ticket's platform (label or answer), to fold a product name through that platform's catalog. */
  platform?: string | null;
}

const EPS = 1e-9;
const cleanList = (xs: readonly string[]): string[] => [...new Set(xs.map((x) => x.trim()).filter((x) => x !== ''))];
const fmt = (x: number): string => String(Number(x.toFixed(3)));
const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

const platformSchema = WIRE_SCHEMAS.platform.shape.platform;

/** The normalised correct value for a task, or the reason it is not one. */
export function normaliseCorrectValue(
  task: TaskId,
  v: unknown,
  platform?: string | null,
): { ok: true; value: CorrectValue } | { ok: false; reason: string } {
  switch (task) {
    case 'platform': {
      const r = platformSchema.safeParse(v);
      if (!r.success) return { ok: false, reason: 'the correct platform is aws, gcp, azure, other:<vendor> or null' };
      return { ok: true, value: r.data === null ? null : r.data.trim().toLowerCase() };
    }
    case 'product': {
      if (v !== null && typeof v !== 'string') return { ok: false, reason: 'the correct product is a service name or null' };
      return { ok: true, value: canonicalProduct(platform ?? null, v) };
    }
    case 'severity': {
      const s = typeof v === 'string' ? v.trim().toLowerCase() : v;
      if (!(SEVERITIES as readonly unknown[]).includes(s))
        return { ok: false, reason: `the correct severity is one of ${SEVERITIES.join(', ')}` };
      return { ok: true, value: s as Severity };
    }
    case 'asset_ids': {
      const r = z.array(z.string()).safeParse(v);
      if (!r.success) return { ok: false, reason: 'the correct asset ids are a list of strings ([] for none)' };
      return { ok: true, value: cleanList(r.data) };
    }
    case 'technical_details': {
      if (typeof v === 'boolean') return { ok: true, value: v };
      const r = WIRE_SCHEMAS.technical_details.safeParse(v);
      if (!r.success)
        return {
          ok: false,
          reason: 'the correct technical details are {"present": [...], "missing": [...]} or true/false ("has details")',
        };
      return { ok: true, value: { present: cleanList(r.data.present), missing: cleanList(r.data.missing) } };
    }
  }
}

/** Whether two values of an exact-scored task are the same answer (case and order do not matter). */
export function sameAnswer(task: TaskId, a: unknown, b: unknown): boolean {
  switch (task) {
    case 'platform':
    case 'severity':
      return (
        (typeof a === 'string' ? a.trim().toLowerCase() : (a ?? null)) === (typeof b === 'string' ? b.trim().toLowerCase() : (b ?? null))
      );
    case 'product':
      return (typeof a === 'string' ? foldName(a) : (a ?? null)) === (typeof b === 'string' ? foldName(b) : (b ?? null));
    case 'asset_ids': {
      const key = (v: unknown): string =>
        JSON.stringify(Array.isArray(v) ? cleanList(v.filter((x): x is string => typeof x === 'string')).sort() : null);
      return key(a) === key(b);
    }
    case 'technical_details':
      return JSON.stringify(a) === JSON.stringify(b);
  }
}

/** The severity score of an answer against the correct level: exact 1, one level off 0.5, else 0. */
export function severityScore(answer: unknown, correct: Severity): number {
  const i = SEVERITIES.indexOf(String(answer).trim().toLowerCase() as Severity);
  if (i < 0) return 0;
  const d = Math.abs(i - SEVERITIES.indexOf(correct));
  return d === 0 ? 1 : d === 1 ? 0.5 : 0;
}

/** Checks a claim against the task's rubric; the refusal names the rule broken. */
export function checkScore(claim: ScoreClaim, ctx: CheckContext = {}): CheckResult {
  const { task } = claim;
  const rubric = RUBRIC[task];
  if (claim.score !== undefined && !(typeof claim.score === 'number' && Number.isFinite(claim.score))) {
    return { ok: false, reason: 'score must be a number between 0 and 1' };
  }
  let correctValue: CorrectValue | undefined;
  if (claim.correctValue !== undefined) {
    const c = normaliseCorrectValue(task, claim.correctValue, ctx.platform);
    if (!c.ok) return c;
    correctValue = c.value;
  }
  const hasAnswer = ctx.answer !== undefined;

  if (rubric.kind !== 'details') {
    if (claim.missing !== undefined || claim.expected !== undefined || claim.expectedCount !== undefined) {
      return { ok: false, reason: `missing and expected details apply to technical_details only, not ${task}` };
    }
    let fromCorrect: number | undefined;
    if (correctValue !== undefined && hasAnswer) {
      fromCorrect =
        rubric.kind === 'severity'
          ? severityScore(ctx.answer, correctValue as Severity)
          : sameAnswer(task, ctx.answer, correctValue)
            ? 1
            : 0;
    }
    const score = claim.score ?? fromCorrect;
    if (score === undefined) {
      return { ok: false, reason: `${task} needs a score (${rubric.scores!.join(' or ')}) or the correct value` };
    }
    if (!rubric.scores!.some((s) => Math.abs(s - score) < EPS)) {
      return {
        ok: false,
        reason: rubric.kind === 'severity' ? `${task} is scored 0, 0.5 or 1 (exact, one level off, otherwise)` : `${task} is scored 0 or 1`,
      };
    }
    if (fromCorrect !== undefined && Math.abs(fromCorrect - score) > EPS) {
      return {
        ok: false,
        reason: `score ${fmt(score)} contradicts the correct value you entered (${show(correctValue)}): the answer ${show(ctx.answer)} scores ${fmt(fromCorrect)}`,
      };
    }
    return {
      ok: true,
      value: {
        score: rubric.scores!.find((s) => Math.abs(s - score) < EPS)!,
        correctValue,
        missing: null,
        expected: null,
        expectedCount: null,
      },
    };
  }

  // Technical details: 1 − missing/M, with M the details the reviewer expects; M = 0 (the ticket has
  // none) scores 1 when the answer says none and 0 when it names some.
  const expected = claim.expected !== undefined ? cleanList(claim.expected) : null;
  if (expected && claim.expectedCount !== undefined && claim.expectedCount !== expected.length) {
    return { ok: false, reason: `expected_count ${claim.expectedCount} differs from the ${expected.length} expected details listed` };
  }
  const m = expected ? expected.length : claim.expectedCount;
  if (m !== undefined && (!Number.isInteger(m) || m < 0)) {
    return { ok: false, reason: 'expected_count is the number of details the ticket carries: a whole number, 0 when it has none' };
  }
  if (claim.score !== undefined && (claim.score < -EPS || claim.score > 1 + EPS)) {
    return { ok: false, reason: `technical_details is scored from 0 to 1, not ${fmt(claim.score)}` };
  }
  const missing = claim.missing !== undefined ? cleanList(claim.missing) : null;

  if (m === 0) {
    if (missing?.length)
      return { ok: false, reason: `the ticket has no technical details (M = 0), so nothing can be missing ("${missing[0]}")` };
    const named = hasAnswer ? namedDetails(ctx.answer) : null;
    const fromAnswer = named === null ? undefined : named.length === 0 ? 1 : 0;
    const score = claim.score ?? fromAnswer;
    if (score === undefined)
      return { ok: false, reason: 'with no expected details (M = 0) the score is 1 when the answer says none, 0 when it names some' };
    if (Math.abs(score) > EPS && Math.abs(score - 1) > EPS) {
      return {
        ok: false,
        reason: `with no expected details (M = 0) the score is 1 (the answer says none) or 0 (it names some), not ${fmt(score)}`,
      };
    }
    if (fromAnswer !== undefined && Math.abs(fromAnswer - score) > EPS) {
      return {
        ok: false,
        reason:
          fromAnswer === 0
            ? `score 1 contradicts M = 0: the answer names ${named!.map((d) => `"${d}"`).join(', ')}, which the ticket does not have, so it scores 0`
            : 'score 0 contradicts M = 0: the answer says the ticket has no details, which is right, so it scores 1',
      };
    }
    return {
      ok: true,
      value: { score: Math.round(score), correctValue, missing: missing ?? [], expected: expected ?? [], expectedCount: 0 },
    };
  }

  if (m === undefined) {
    // A plain score (the article's spreadsheets, other tools): any score from 0 to 1. A missing list
    // given with it must fit 1 − k/M for a whole M.
    if (claim.score === undefined) {
      return {
        ok: false,
        reason: 'technical_details needs a score, or the details you expect (M, 0 when the ticket has none) and those the answer missed',
      };
    }
    const s = claim.score;
    if (!missing) return { ok: true, value: { score: s, correctValue, missing: null, expected: null, expectedCount: null } };
    const k = missing.length;
    if (k === 0) {
      if (Math.abs(s - 1) > 1e-6) return { ok: false, reason: `missing lists no details, so the score is 1, not ${fmt(s)}` };
      return { ok: true, value: { score: 1, correctValue, missing, expected: null, expectedCount: null } };
    }
    const mm = 1 - s > 1e-9 ? k / (1 - s) : Number.POSITIVE_INFINITY;
    const whole = Math.round(mm);
    if (!Number.isFinite(mm) || whole < k || Math.abs(1 - k / whole - s) > 1e-6) {
      return {
        ok: false,
        reason: `score ${fmt(s)} with ${k} missing detail${k === 1 ? '' : 's'} is not 1 − ${k}/M for any whole M (give expected_count)`,
      };
    }
    return { ok: true, value: { score: 1 - k / whole, correctValue, missing, expected: null, expectedCount: whole } };
  }

  if (missing && expected) {
    const stray = missing.find((d) => !expected.includes(d));
    if (stray !== undefined) return { ok: false, reason: `missing must be a subset of the expected details: "${stray}" is not expected` };
  }
  if (missing && missing.length > m) {
    return { ok: false, reason: `missing lists ${missing.length} details but only ${m} are expected` };
  }
  let score: number;
  if (missing) {
    score = Math.max(0, 1 - missing.length / m);
    if (claim.score !== undefined && Math.abs(claim.score - score) > 1e-6) {
      return { ok: false, reason: `score ${fmt(claim.score)} does not match 1 − ${missing.length}/${m} = ${fmt(score)}` };
    }
  } else {
    // A count-only line (no names): the score must still be 1 − k/M for a whole k.
    if (claim.score === undefined) return { ok: false, reason: 'technical_details needs the missing details (or a score)' };
    const k = Math.round((1 - claim.score) * m);
    if (k < 0 || k > m || Math.abs(1 - k / m - claim.score) > 1e-6) {
      return { ok: false, reason: `score ${fmt(claim.score)} is not 1 − k/${m} for any k from 0 to ${m}` };
    }
    score = 1 - k / m;
  }
  return { ok: true, value: { score, correctValue, missing, expected, expectedCount: m } };
}

/** The details a technical-details answer says the ticket carries (its `present` list); null when it is not such an answer. */
export function namedDetails(answer: unknown): string[] | null {
  if (!answer || typeof answer !== 'object' || Array.isArray(answer)) return null;
  const present = (answer as { present?: unknown }).present;
  if (!Array.isArray(present)) return null;
  return cleanList(present.filter((d): d is string => typeof d === 'string'));
}
