// What the container readers (containerReaders.ts) share: the file's text in chunks with progress,
// and the issue bookkeeping — one plan and ancestor resolver per family met, routing each record's
// units into calls, spans, items and issues in file order.
import { createReadStream } from 'node:fs';
import { AppError } from '#shared/errors.ts';
import { casebenchPlan } from './casebenchJsonl.ts';
import type { Family } from './detect.ts';
import { langfusePlan } from './langfuse.ts';
import { langsmithPlan } from './langsmith.ts';
import { attributeMapPlan, otlpPlan, type OtlpShape } from './otlp.ts';
import type { FileContext, Plan, Unit } from './plan.ts';
import { promptfooPlan } from './promptfoo.ts';
import { NestedCalls } from './nested.ts';
import type { TraceItem } from './reader.ts';
import { badTimes, guardRecord } from './recordGuards.ts';
import { AncestorResolver } from './resolve.ts';
import type { ImportedCall } from './types.ts';

/** Bytes read so far by the stream that feeds the items. */
export interface ReadProgress {
  bytes: number;
}

export const CHUNK = 1 << 20;

/** The file's text in chunks, noting the bytes read into progress; stops with CANCELLED on abort. */
export async function* textChunks(path: string, signal?: AbortSignal, progress?: ReadProgress): AsyncGenerator<string> {
  const s = createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK });
  try {
    for await (const c of s) {
      if (signal?.aborted) throw new AppError('CANCELLED', 'import cancelled');
      if (progress) progress.bytes = s.bytesRead;
      yield c as string;
    }
  } finally {
    s.destroy();
  }
}

/** One plan and one ancestor resolver per family met in the file (a JSONL file may mix layouts). */
export class Plans {
  private readonly byKey = new Map<string, { plan: Plan; resolver: AncestorResolver | null; nested: NestedCalls | null }>();
  private readonly ctx: FileContext;
  /** Calls resolved (and issues met) since the last drain, in order. */
  readonly ready: TraceItem[] = [];

  constructor(ctx: FileContext) {
    this.ctx = ctx;
  }

  get(family: Family, shape: string, line: boolean): { plan: Plan; resolver: AncestorResolver | null } | null {
    const k = line ? family : `${family}/${shape}`;
    let p = this.byKey.get(k);
    if (!p) {
      const plan = makePlan(this.ctx, family, shape, line);
      if (!plan) return null;
      const emit = (c: ImportedCall): void => void this.ready.push({ kind: 'call', call: c });
      // formats with call trees: a call wrapping a call of the same model is counted once (nested.ts)
      const nested = TREE_FAMILIES.has(family) ? new NestedCalls(emit, (i) => void this.ready.push({ kind: 'issue', issue: i })) : null;
      // casebench lines name their ticket and task themselves: no ancestors to wait for
      p = {
        plan,
        resolver: family === 'casebench' ? null : new AncestorResolver(plan.fallback, nested ? (c) => nested.add(c) : emit),
        nested,
      };
      this.byKey.set(k, p);
    }
    return p;
  }

  /** Sends units to the batch: nodes through the resolver (or straight out for flat formats), issues and items as they are. */
  route(units: Unit[], resolver: AncestorResolver | null, out: TraceItem[]): void {
    for (const u of units) {
      if ('node' in u) {
        const bad = u.node.call ? badTimes(u.node.call) : null;
        if (bad) {
          // refused here, for every format: a time no calendar can show breaks every later export
          out.push({ kind: 'issue', issue: { where: u.node.call!.where, message: bad } });
          if (resolver) resolver.add({ ...u.node, call: null });
          continue;
        }
        if (resolver) resolver.add(u.node);
        else if (u.node.call) out.push({ kind: 'call', call: u.node.call });
        if (u.node.span && !u.node.call) out.push({ kind: 'span', span: u.node.span });
      } else if ('issue' in u) out.push({ kind: 'issue', issue: u.issue });
      else out.push({ kind: 'item', item: u.item });
      this.drain(out);
    }
  }

  drain(out: TraceItem[]): void {
    if (this.ready.length === 0) return;
    for (const it of this.ready) out.push(it);
    this.ready.length = 0;
  }

  finish(out: TraceItem[]): void {
    for (const { plan, resolver, nested } of this.byKey.values()) {
      const issue = guardRecord(null, this.ctx.name, () => {
        this.route(plan.finish(), resolver, out);
        resolver?.finish();
        nested?.finish();
      });
      if (issue)
        out.push({ kind: 'issue', issue: { where: issue.where, message: `${issue.message} (records held to the end of the file)` } });
      this.drain(out);
    }
  }

  /** Frees what the resolvers hold (their spill files), also when reading stops early. */
  close(): void {
    for (const { resolver } of this.byKey.values()) resolver?.close();
  }
}

function makePlan(ctx: FileContext, family: Family, shape: string, line: boolean): Plan | null {
  switch (family) {
    case 'otlp':
      return otlpPlan(ctx, line ? 'line' : (shape as OtlpShape));
    case 'attributes':
      return attributeMapPlan(ctx);
    case 'casebench':
      return casebenchPlan(ctx);
    case 'langsmith':
      return langsmithPlan(ctx, line ? 'run' : (shape as 'array' | 'runs' | 'ingest' | 'run'));
    case 'langfuse':
      return langfusePlan(ctx, line ? 'rows' : (shape as 'trace' | 'array' | 'rows'));
    case 'promptfoo':
      return promptfooPlan(ctx, line ? 'rows' : (shape as 'output' | 'rows'));
    default:
      return null;
  }
}

const TREE_FAMILIES = new Set<Family>(['langsmith', 'langfuse', 'otlp']);

export const FEEDBACK_NOTE =
  'LangSmith feedback is a score, not a model call; it is not imported (casebench reviews travel as casebench JSONL or `casebench reviews import`)';
