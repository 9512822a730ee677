// The timeline of one ticket's calls on a shared axis (ms from the ticket's start): one row per
// task, each attempt a bar (request sent → answer received) preceded by its wait for a free slot
// where it had one, a successful attempt split into queue / model / the rest where the provider
// reports its own timings (Groq's usage.queue_time and total_time).
import type { CallView } from '#shared/routes.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import type { TaskCardState } from '../ticket/ticketStore.ts';

export type SegmentKind = 'wait' | 'queue' | 'model' | 'overhead' | 'call' | 'failed' | 'cancelled' | 'running' | 'discarded';

export interface Segment {
  kind: SegmentKind;
  startMs: number;
  endMs: number;
  title: string;
  /** The two attempts of a hedged call overlap in time: the original is drawn in the upper half of the row, its duplicate in the lower. */
  band?: 'upper' | 'lower';
  /** Part of a call started on a guessed platform/product: kept (the guess was right) or discarded. */
  speculation?: 'kept' | 'discarded';
}

export interface WaterfallRow {
  task: TaskId;
  label: string;
  model: string | null;
  status: TaskCardState['status'];
  /** Where the task's first attempt began and its result landed (null while it runs). */
  startMs: number | null;
  endMs: number | null;
  segments: Segment[];
  reused: boolean;
  /** The final call's own time (what the card and the report show). */
  latencyMs: number | null;
  /** Time the task's attempts waited for a free slot, summed; null when none or unknown. */
  slotWaitMs: number | null;
  attempts: number;
  /** Hedged calls among the task's attempts (a duplicate sent past the model's p95). */
  hedges: number;
  /** Calls started on a wrong guess and thrown away (drawn, never the fact). */
  discarded: number;
  /** The fact came from a call started on a guessed platform/product that proved right. */
  speculative: boolean;
  /** The provider reported queue/model time for the final attempt. */
  split: boolean;
}

export interface Waterfall {
  rows: WaterfallRow[];
  /** Right edge of the axis, ms. */
  spanMs: number;
  edges: Array<{ from: TaskId; to: TaskId }>;
}

const f = (ms: number): string => `${Math.round(ms)} ms`;

/** Slot waits shorter than this are not drawn (a free slot is taken within a tick). */
const MIN_WAIT_MS = 1;

/**
 * Bars for one attempt: its wait for a free slot (ending where the request was sent), then the
 * call; a successful call is split where the provider says how long it queued and ran.
 */
export function attemptSegments(c: CallView): Segment[] {
  const start = c.startedMs;
  const lat = c.latencyMs ?? 0;
  const end = start + lat;
  const label = c.hedge === 'hedge' ? `hedged duplicate of attempt ${c.attempt}` : `attempt ${c.attempt}`;
  const wait = c.slotWaitMs ?? 0;
  const before: Segment[] =
    wait >= MIN_WAIT_MS
      ? [
          {
            kind: 'wait',
            startMs: Math.max(0, start - wait),
            endMs: start,
            title: `${label} waited ${f(wait)} for a free slot (not part of the call)`,
          },
        ]
      : [];
  if (c.speculation === 'discarded') {
    const how = c.errorCode === 'CANCELLED' ? `cancelled after ${f(lat)}` : `answered in ${f(lat)}`;
    const call: Segment = {
      kind: 'discarded',
      startMs: start,
      endMs: end,
      title: `speculative ${label} on a guessed platform/product, ${how}, discarded: the guess was wrong (not the fact)`,
    };
    return [...before, call].map((s) => ({ ...s, speculation: 'discarded' as const }));
  }
  const own: Segment[] = c.hedgeLost
    ? [
        {
          kind: 'cancelled',
          startMs: start,
          endMs: end,
          title: `${label} cancelled after ${f(lat)}: the ${c.hedge === 'hedge' ? 'original call' : 'hedged duplicate'} answered first`,
        },
      ]
    : callSegments(c, start, end, lat, label).map((s) =>
        c.hedge === 'primary'
          ? { ...s, title: `${s.title}; it ran past the model's p95, so a duplicate was sent` }
          : c.hedge === 'hedge'
            ? { ...s, title: `${s.title} (sent when the original ran past the model's p95)` }
            : s,
      );
  const band: Segment['band'] = c.hedge === 'hedge' ? 'lower' : c.hedge === 'primary' ? 'upper' : undefined;
  const segs: Segment[] = [...before, ...own].map((s) => (band ? { ...s, band } : s));
  if (c.speculation !== 'kept') return segs;
  return segs.map((s) => ({
    ...s,
    speculation: 'kept' as const,
    title: `speculative, kept (started on a guess that proved right): ${s.title}`,
  }));
}

function callSegments(c: CallView, start: number, end: number, lat: number, label: string): Segment[] {
  if (c.status === 'error')
    return [{ kind: 'failed', startMs: start, endMs: end, title: `${label} failed (${c.errorCode ?? 'error'}) after ${f(lat)}` }];
  if (c.queueTimeMs !== null && c.providerTotalMs !== null && c.queueTimeMs + c.providerTotalMs <= lat + 1) {
    const q = start + c.queueTimeMs;
    const m = q + c.providerTotalMs;
    const out: Segment[] = [];
    if (c.queueTimeMs > 0) out.push({ kind: 'queue', startMs: start, endMs: q, title: `queued at the provider ${f(c.queueTimeMs)}` });
    out.push({ kind: 'model', startMs: q, endMs: m, title: `model time ${f(c.providerTotalMs)}` });
    if (end - m > 0.5) out.push({ kind: 'overhead', startMs: m, endMs: end, title: `network and parsing ${f(end - m)}` });
    return out;
  }
  return [
    {
      kind: 'call',
      startMs: start,
      endMs: end,
      title: `${label}: call ${f(lat)}${c.cold ? ', on a new connection' : ''} (the provider reports no queue time)`,
    },
  ];
}

/** Lays out a ticket's tasks and attempts; `nowMs` (ms since the ticket's start) grows running bars. */
export function buildWaterfall(tasks: Record<TaskId, TaskCardState>, calls: CallView[], nowMs: number | null): Waterfall {
  let span = 0;
  const rows: WaterfallRow[] = TASK_IDS.map((task) => {
    const c = tasks[task];
    const r = c.result;
    const mine = calls.filter((x) => x.task === task).sort((a, b) => a.attempt - b.attempt || a.startedMs - b.startedMs);
    const segments: Segment[] = [];
    if (!c.reused) {
      for (const call of mine) segments.push(...attemptSegments(call));
      if (segments.length === 0 && r && r.status !== 'skipped') {
        // No attempt recorded (an older run): the call ends the task's window, its wait before it.
        const callStart = Math.max(r.startedMs, r.endedMs - r.latencyMs);
        const wait = r.slotWaitMs ?? 0;
        if (wait >= MIN_WAIT_MS)
          segments.push({
            kind: 'wait',
            startMs: Math.max(r.startedMs, callStart - wait),
            endMs: callStart,
            title: `waited ${f(wait)} for a free slot`,
          });
        segments.push({
          kind: r.status === 'error' ? 'failed' : 'call',
          startMs: callStart,
          endMs: r.endedMs,
          title: `call ${f(r.latencyMs)}`,
        });
      }
      if (c.status === 'running' && c.startedMs !== null && nowMs !== null) {
        const from = Math.max(c.startedMs, ...segments.map((s) => s.endMs));
        segments.push({ kind: 'running', startMs: from, endMs: Math.max(from, nowMs), title: 'waiting for the answer' });
      }
    }
    for (const s of segments) span = Math.max(span, s.endMs);
    const final = mine.filter((x) => x.speculation !== 'discarded').at(-1);
    return {
      task,
      label: TASKS[task].label,
      model: r ? `${r.provider}:${r.model}` : c.model ? `${c.provider}:${c.model}` : null,
      status: c.status,
      startMs: segments.find((s) => s.speculation !== 'discarded')?.startMs ?? (r && r.status !== 'skipped' ? r.startedMs : null),
      endMs: r && !c.reused ? (r.status === 'skipped' ? null : r.endedMs) : null,
      segments,
      reused: c.reused,
      latencyMs: r && r.status !== 'skipped' && !c.reused ? r.latencyMs : null,
      slotWaitMs: r && !c.reused && (r.slotWaitMs ?? 0) >= MIN_WAIT_MS ? r.slotWaitMs! : null,
      // A hedged call's duplicate shares its attempt number: attempts are numbers, hedges apart;
      // calls started on a wrong guess are not attempts of the task.
      attempts: new Set(mine.filter((x) => x.speculation !== 'discarded').map((x) => x.attempt)).size || (r?.attempts ?? 0),
      hedges: mine.filter((x) => x.hedge === 'hedge').length,
      discarded: mine.filter((x) => x.speculation === 'discarded').length,
      speculative: Boolean(r?.speculative) || mine.some((x) => x.speculation === 'kept'),
      split: Boolean(final && final.status === 'ok' && final.queueTimeMs !== null && final.providerTotalMs !== null),
    };
  });
  const edges: Waterfall['edges'] = [];
  for (const t of TASK_IDS) for (const d of TASKS[t].dependsOn) edges.push({ from: d, to: t });
  return { rows, spanMs: Math.max(span, nowMs ?? 0, 1), edges };
}

/** Round tick marks for an axis up to spanMs (about 5–10 of them). */
export function niceTicks(spanMs: number): number[] {
  const steps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 30_000, 60_000, 120_000, 300_000];
  const step = steps.find((s) => spanMs / s <= 10) ?? Math.ceil(spanMs / 10);
  const out: number[] = [];
  for (let t = 0; t <= spanMs + 1e-9; t += step) out.push(t);
  return out;
}
