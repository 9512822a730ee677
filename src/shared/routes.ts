// The contract between hosts (Electron main, HTTP server) and the renderer: one zod schema per
// route input, typed outputs, and the events pushed to the UI. Types and pure data only.
import { z } from 'zod';
import type { Result } from './errors.ts';
import type { TaskResult } from './results.ts';
import type { TaskId } from './tasks.ts';

/** Largest ticket the UI accepts (bytes of UTF-8); larger pastes are refused with this limit. */
export const MAX_TICKET_BYTES = 1_000_000;

export const routeInputs = {
  'triage.start': z.object({ text: z.string(), title: z.string().optional(), assign: z.string().optional() }),
  'triage.cancel': z.object({ ticketId: z.string() }),
  'keys.status': z.object({}).optional(),
  'models.list': z.object({}).optional(),
  'config.get': z.object({}).optional(),
} as const;

export type RouteName = keyof typeof routeInputs;
export type RouteInput<R extends RouteName> = z.infer<(typeof routeInputs)[R]>;

export interface KeyStatus {
  provider: 'groq' | 'openai';
  set: boolean;
  /** Last 4 characters only; never the key. */
  last4: string | null;
  source: 'env' | 'keychain' | null;
}

export interface ModelInfo {
  spec: string;
  provider: string;
  name: string;
  status: string;
  priceKnown: boolean;
  retiredOn: string | null;
  replacement: string | null;
}

export interface RouteOutputs {
  'triage.start': { ticketId: string; assignment: Record<TaskId, string> };
  'triage.cancel': { cancelled: boolean };
  'keys.status': KeyStatus[];
  'models.list': ModelInfo[];
  'config.get': { assignment: Record<TaskId, string>; demo: boolean };
}

export type AppEvent =
  | { type: 'task.started'; ticketId: string; task: TaskId; provider: string; model: string; startedMs: number }
  | { type: 'task.result'; ticketId: string; result: TaskResult }
  | { type: 'ticket.done'; ticketId: string; totalMs: number };

/** What every host exposes; the renderer's transport calls exactly this. */
export interface RouteHandlers {
  request<R extends RouteName>(route: R, input: unknown): Promise<Result<RouteOutputs[R]>>;
  subscribe(listener: (e: AppEvent) => void): () => void;
}

export function isRouteName(s: string): s is RouteName {
  return Object.hasOwn(routeInputs, s);
}
