// Trace import (issue #8) as the workbench sees it: the import report, the list of imports, the
// calls of one import and where each imported call came from. Plain data and zod schemas only;
// the core's importer (src/core/traces) fills these.
import { z } from 'zod';

export { MAX_TRACE_UPLOAD_BYTES } from './limits.ts';

/** A trace file's content, picked or dropped in the browser; written to a temp file in the host and imported. */
export const traceUploadSchema = z.object({
  name: z.string().min(1).max(300),
  content: z.string(),
  /** The file's modification time (ms), kept on the temp file: formats without call times use it. */
  lastModified: z.number().int().min(0).optional(),
  /** Import it even if the same content was imported before. */
  again: z.boolean().optional(),
});

/** A trace file on this machine, by path (typed in browser mode, or chosen in the desktop Open dialog). */
export const tracePathSchema = z.object({ path: z.string().min(1).max(1000), again: z.boolean().optional() });

/** One record of a file that was not imported: where it is in the file and why. */
export interface TraceIssueView {
  where: string;
  message: string;
}

/** What one import did (the core's importer ImportReport). */
export interface TraceImportView {
  file: { name: string; bytes: number; sha256: string; family: string; container: string; label: string };
  runIds: string[];
  calls: number;
  tickets: number;
  results: number;
  skipped: number;
  /** The first skipped records (up to 1,000) with the reason. */
  issues: TraceIssueView[];
  /** The import run that already holds this content (nothing was done), or null. */
  alreadyImported: string | null;
  notes: string[];
}

/** One import as the Traces side bar lists it (runs of kind 'import'). */
export interface TraceImportSummary {
  runId: string;
  label: string | null;
  createdAt: number;
  calls: number;
  /** From the run's config: format, file, counts, the first issues. */
  format: string | null;
  detected: string | null;
  file: string | null;
  tickets: number | null;
  skipped: number | null;
  issues: TraceIssueView[];
}

/** Where an imported call came from (the core's CallOrigin). */
export interface CallOriginView {
  callId: number;
  runId: string;
  /** casebench | langsmith | langfuse | otlp | openinference | promptfoo */
  format: string;
  file: string;
  /** Line or JSON path of the record in the file. */
  locator: string | null;
  traceId: string | null;
  spanId: string | null;
  parentSpanId: string | null;
  /** Ids in the tool that produced the record: {format, id, parent_id, trace_id, …}. */
  source: Record<string, unknown> | null;
  /** A generic trace (not a casebench task, no ticket): it opens in the trace view. */
  generic?: boolean;
}

/** One imported call, for the import's call list and the ticket view's origin line. */
export interface ImportedCallView {
  callId: number;
  ticketId: string;
  ticketTitle: string;
  /** A casebench task id, or the source's own name for what the call did. */
  task: string;
  modelSpec: string;
  attempt: number;
  status: 'ok' | 'error';
  errorCode: string | null;
  latencyMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  startedAt: number | null;
  origin: CallOriginView | null;
}

export interface ImportCallsPage {
  runId: string;
  total: number;
  /** The first calls of the import (up to the limit asked), in file order. */
  rows: ImportedCallView[];
}
