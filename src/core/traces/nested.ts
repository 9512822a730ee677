// One model call is one record, even where a tool traces it twice: the Vercel AI SDK's
// `ai.generateText` around its `ai.generateText.doGenerate` (both GENERATIONs in Langfuse, same
// model), LangChain's ChatOpenAI span around the OpenAI SDK's span (OpenInference, OpenLLMetry), a
// `@traceable(run_type="llm")` around a wrapped client (LangSmith). A call with a child call of the
// same model is a wrapper: the child is the provider call and is kept, the wrapper is not counted
// (its tokens and cost are the children's again). Parents and children may come in either order;
// calls are held back for a bounded window so the pair can meet, then released in arrival order.
import type { ImportedCall, ImportIssue } from './types.ts';

/** How many calls are held back at most waiting for a child (a child that comes later than this is not matched). */
export const NESTED_WINDOW = 256;

function nameOf(c: ImportedCall): string | null {
  const m = c.record.metadata;
  const n = m.observation_name ?? m.span_name ?? m.run_name;
  return typeof n === 'string' ? n : null;
}

export class NestedCalls {
  private readonly emit: (c: ImportedCall) => void;
  private readonly issue: (i: ImportIssue) => void;
  private readonly window: number;
  /** Calls waiting, by `${trace}/${id}`, in arrival order. */
  private readonly held = new Map<string, ImportedCall>();
  /** `${parent key}\0${model}` of calls seen, so a wrapper that comes after its child is known (bounded like held). */
  private readonly childOf = new Map<string, string>();

  constructor(emit: (c: ImportedCall) => void, issue: (i: ImportIssue) => void, window = NESTED_WINDOW) {
    this.emit = emit;
    this.issue = issue;
    this.window = window;
  }

  add(c: ImportedCall): void {
    const src = c.record.metadata.source;
    const model = c.record.model;
    if (!src.id || !model) return this.emit(c);
    const trace = c.record.trace_id;
    const key = `${trace}/${src.id}`;
    // a wrapper whose child came first
    const child = this.childOf.size === 0 ? undefined : this.childOf.get(`${key}\u0000${model}`);
    if (child !== undefined) return this.drop(c, child);
    if (src.parent_id) {
      const pk = `${trace}/${src.parent_id}`;
      const parent = this.held.get(pk);
      if (parent && parent.record.model === model) {
        this.held.delete(pk);
        this.drop(parent, src.id);
        c.record.metadata.wrapped_by = { id: parent.record.metadata.source.id, name: nameOf(parent), where: parent.where };
      }
      this.childOf.set(`${pk}\u0000${model}`, src.id);
      if (this.childOf.size > this.window * 4) this.childOf.delete(this.childOf.keys().next().value!);
    }
    this.held.set(key, c);
    if (this.held.size > this.window) {
      const [k, oldest] = this.held.entries().next().value!;
      this.held.delete(k);
      this.emit(oldest);
    }
  }

  private drop(wrapper: ImportedCall, childId: string): void {
    const name = nameOf(wrapper);
    this.issue({
      where: wrapper.where,
      message: `${name ? `"${name}" ` : ''}not counted as a call: it wraps the call ${childId} of the same model (${wrapper.record.model}), which is counted; counting both would double its tokens and cost`,
    });
  }

  /** Releases every call still held, in arrival order. */
  finish(): void {
    for (const c of this.held.values()) this.emit(c);
    this.held.clear();
    this.childOf.clear();
  }
}
