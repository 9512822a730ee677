// Review exchange as JSONL (contracts §5), so reviewers on separate machines can label offline and
// merge: one review a line {"ticket_id","task","model","reviewer","score","correct_value"?,
// "missing"?,"expected_count"?,"note"?,"scored_at"}. An import keeps every good line, reports each
// bad one with its number and reason, never duplicates a line imported before, and keeps both of
// two disagreeing scores while listing the conflict.
import { z } from 'zod';
import { TASK_IDS, type TaskId } from '#shared/tasks.ts';
import type { Store } from '../store/store.ts';
import { checkScore } from './rubric.ts';
import {
  findAnswer,
  getReview,
  goldLabel,
  importLabel,
  insertReview,
  listReviews,
  reviewConflicts,
  reviewerNameSchema,
  type Review,
  type ReviewConflict,
  type ReviewFilter,
} from './reviewsRepo.ts';

/** One line of a review file, as read (unknown extra fields are ignored for forward compatibility). */
export const reviewLineSchema = z.object({
  ticket_id: z.string().min(1).max(200),
  task: z.enum(TASK_IDS),
  model: z.string().min(1).max(200),
  reviewer: reviewerNameSchema,
  score: z.number(),
  /** Absent: none entered. null is a value. */
  correct_value: z.unknown().optional(),
  missing: z.array(z.string()).optional(),
  expected_count: z.number().int().optional(),
  note: z.string().max(4000).optional(),
  scored_at: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time with its zone, e.g. 2026-11-25T10:00:00Z' }),
});

export interface ReviewLine {
  ticket_id: string;
  task: TaskId;
  model: string;
  reviewer: string;
  score: number;
  correct_value?: unknown;
  missing?: string[];
  expected_count?: number;
  note?: string;
  scored_at: string;
}

/** A stored review as its exchange line, fields in the contract's order. */
export function toReviewLine(r: Review): ReviewLine {
  return {
    ticket_id: r.ticketId,
    task: r.task,
    model: r.model,
    reviewer: r.reviewer,
    score: r.score,
    ...(r.correctValue !== undefined ? { correct_value: r.correctValue } : {}),
    ...(r.missing ? { missing: r.missing } : {}),
    ...(r.expectedCount !== null ? { expected_count: r.expectedCount } : {}),
    ...(r.note ? { note: r.note } : {}),
    scored_at: r.scoredAt,
  };
}

/** The selected reviews as JSONL text (one line each, oldest first; '' when there are none). */
export function exportReviews(store: Store, f: ReviewFilter = {}): { text: string; count: number } {
  const lines = listReviews(store, f).map((r) => JSON.stringify(toReviewLine(r)));
  return { text: lines.length ? `${lines.join('\n')}\n` : '', count: lines.length };
}

export interface ImportReport {
  /** Non-blank lines read. */
  lines: number;
  imported: number;
  /** Lines already in the workspace (the same review imported or given before). */
  duplicates: number;
  /** Lines refused, with their 1-based number and why. */
  bad: Array<{ line: number; reason: string }>;
  /** Correct values written into tickets' labels. */
  labelsWritten: number;
  /** Correct values not written because the ticket already has a different label. */
  labelConflicts: Array<{ line: number; ticketId: string; task: TaskId; label: unknown; correctValue: unknown }>;
  /** Disagreeing scores of the answers this import touched (both kept). */
  conflicts: ReviewConflict[];
}

/** Every stored review (superseded ones included) of one answer by one reviewer at one instant. */
function sameMoment(store: Store, ticketId: string, task: TaskId, model: string, reviewer: string, ms: number): Review[] {
  const ids = store
    .prepare('SELECT id FROM reviews WHERE ticket_id = ? AND task = ? AND model_spec = ? AND reviewer = ? AND scored_ms = ?')
    .all(ticketId, task, model, reviewer, ms) as Array<{ id: number | bigint }>;
  return ids.map((r) => getReview(store, Number(r.id))!);
}

const describe = (e: z.ZodError): string =>
  e.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');

/**
 * Imports review lines: each good line is stored as given (source = the file's name) and its
 * correct value becomes the ticket's label unless a different one is there; the rest are reported.
 * One transaction: a crash imports nothing, and importing again is harmless.
 */
export function importReviews(store: Store, text: string, opts: { source: string }): ImportReport {
  const report: ImportReport = { lines: 0, imported: 0, duplicates: 0, bad: [], labelsWritten: 0, labelConflicts: [], conflicts: [] };
  const touched = new Set<string>();
  const lines = text.split('\n');
  store.transaction(() => {
    lines.forEach((raw, i) => {
      const lineNo = i + 1;
      const s = raw.replace(/\r$/, '').replace(/^\uFEFF/, '');
      if (!s.trim()) return;
      report.lines++;
      const bad = (reason: string): void => void report.bad.push({ line: lineNo, reason });
      let json: unknown;
      try {
        json = JSON.parse(s);
      } catch (e) {
        return bad(`not JSON (${(e as Error).message})`);
      }
      if (!json || typeof json !== 'object' || Array.isArray(json)) return bad('a review line is a JSON object');
      const parsed = reviewLineSchema.safeParse(json);
      if (!parsed.success) return bad(describe(parsed.error));
      const x = parsed.data;
      const found = findAnswer(store, x.ticket_id, x.task, x.model);
      if (!found.ok) return bad(found.reason);
      const platform = goldLabel(store, x.ticket_id, 'platform');
      const hasCorrect = Object.hasOwn(x, 'correct_value');
      // The score is the remote reviewer's judgement of the answer they saw; it is checked against
      // the rubric but not re-derived from this workspace's answer, which may have been re-run.
      const checked = checkScore(
        {
          task: x.task,
          score: x.score,
          correctValue: hasCorrect ? (x.correct_value ?? null) : undefined,
          missing: x.missing,
          expectedCount: x.expected_count,
        },
        { platform: typeof platform === 'string' ? platform : null },
      );
      if (!checked.ok) return bad(checked.reason);
      const c = checked.value;
      // Superseded rows count too: re-importing one's own old export must not revive a corrected score.
      const same = sameMoment(store, x.ticket_id, x.task, x.model, x.reviewer, Date.parse(x.scored_at)).find(
        (r) =>
          Math.abs(r.score - c.score) < 1e-9 &&
          JSON.stringify(r.correctValue) === JSON.stringify(c.correctValue) &&
          JSON.stringify(r.missing ?? null) === JSON.stringify(c.missing) &&
          (r.note ?? null) === (x.note?.trim() || null),
      );
      touched.add(`${x.ticket_id}\u0000${x.task}\u0000${x.model}`);
      if (same) {
        report.duplicates++;
        return;
      }
      insertReview(store, {
        ticketId: x.ticket_id,
        task: x.task,
        model: x.model,
        runId: found.answer.runId,
        answerJson: found.answer.valueJson,
        reviewer: x.reviewer,
        checked: c,
        note: x.note?.trim() || null,
        scoredAt: x.scored_at,
        queueId: null,
        source: opts.source,
        actionId: null,
      });
      report.imported++;
      if (c.correctValue !== undefined) {
        const label = importLabel(store, x.ticket_id, x.task, c.correctValue, { reviewer: x.reviewer, file: opts.source });
        if (label.conflict !== undefined) {
          report.labelConflicts.push({
            line: lineNo,
            ticketId: x.ticket_id,
            task: x.task,
            label: label.conflict,
            correctValue: c.correctValue,
          });
        } else if (label.written) report.labelsWritten++;
      }
    });
  });
  report.conflicts = reviewConflicts(store).filter((c) => touched.has(`${c.ticketId}\u0000${c.task}\u0000${c.model}`));
  return report;
}
