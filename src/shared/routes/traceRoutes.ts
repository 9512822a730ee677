// Routes of the Traces view's imports: importing trace files (upload, path, the desktop dialog),
// cancelling, the calls of an import and a ticket's imported calls with their origins. Merged into
// the route contract by src/shared/routes.ts; handlers in src/core/handlers/traceHandlers.ts.
import { z } from 'zod';
import {
  tracePathSchema,
  traceUploadSchema,
  type ImportCallsPage,
  type ImportedCallView,
  type TraceImportSummary,
  type TraceImportView,
} from '../traces.ts';

const id = z.string().min(1).max(200);

export const traceRouteInputs = {
  /** Trace imports, newest first. */
  'traces.list': z.object({}).optional(),
  /** A trace file's content uploaded from the browser (picker or drag and drop). */
  'traces.import': traceUploadSchema,
  /** A trace file on this machine by path. */
  'traces.importPath': tracePathSchema,
  /** Stops the trace import in progress (and any waiting): each is rolled back whole. */
  'traces.cancel': z.object({}).optional(),
  /** Desktop only: the native Open dialog, then imports the chosen trace file. */
  'traces.openDialog': z.object({ again: z.boolean().optional() }).optional(),
  /** The calls of one import with their origins. */
  'traces.calls': z.object({ runId: id, limit: z.number().int().min(1).max(5000).optional() }),
  /** A ticket's imported calls in one run, with where each came from (the ticket view's origin line). */
  'traces.origins': z.object({ runId: id, ticketId: id }),
} satisfies Record<string, z.ZodType>;

export interface TraceRouteOutputs {
  'traces.list': TraceImportSummary[];
  'traces.import': TraceImportView;
  'traces.importPath': TraceImportView;
  'traces.openDialog': TraceImportView | { cancelled: true };
  'traces.cancel': { cancelled: number };
  'traces.calls': ImportCallsPage;
  'traces.origins': ImportedCallView[];
}

/** A trace import in progress (a few times a second): how far into the file, and what it wrote. */
export type TraceEvent = { type: 'traces.progress'; name: string; calls: number; skipped: number; bytesRead: number; bytes: number };
