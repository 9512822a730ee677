// Route handlers for privacy (src/shared/routes/privacyRoutes.ts): the workspace's setting, what a
// ticket had masked before its calls, and reviewers' flags of missed values.
import { AppError } from '#shared/errors.ts';
import type { RouteOutputs } from '#shared/routes.ts';
import type { MaskedSpan } from '#shared/routes/privacyRoutes.ts';
import { maskTicket } from '../secrets/mask.ts';
import { checkInformation } from '../graph/infoGate.ts';
import { addMissFlag, loadPrivacy, savePrivacy } from '../settings/privacy.ts';
import type { HandlerContext } from './context.ts';

export function privacyHandlers(ctx: HandlerContext) {
  const view = (): RouteOutputs['privacy.get'] => ctx.runtime().privacy();
  return {
    'privacy.get': async (): Promise<RouteOutputs['privacy.get']> => view(),
    'privacy.set': async (input: {
      redaction?: { secrets: boolean; personal: boolean };
      infoGate?: { enabled: boolean; anchors: Array<'cloud' | 'service' | 'identifier' | 'symptom'> };
    }): Promise<RouteOutputs['privacy.set']> => {
      const p = loadPrivacy(ctx.store);
      const next = { redaction: input.redaction ?? p.redaction, infoGate: input.infoGate ?? p.infoGate };
      savePrivacy(ctx.store, next);
      ctx.runtime().setPrivacy(next);
      return view();
    },
    'privacy.preview': async (input: { ticketId?: string; text?: string }): Promise<RouteOutputs['privacy.preview']> => {
      const text = input.text ?? (input.ticketId ? ctx.store.getTicket(input.ticketId)?.text : undefined);
      if (text === undefined)
        throw new AppError('BAD_INPUT', input.ticketId ? `no ticket ${input.ticketId}` : 'give a ticket id or a text');
      const rt = ctx.runtime();
      const p = rt.privacy();
      const m = maskTicket(text, p.redaction, rt.scrubber);
      // Offsets and kinds only: the value is in the ticket the reviewer already sees, and our own keys have no span.
      const masked: MaskedSpan[] = m.items
        .filter((i) => i.start >= 0)
        .map((i) => ({ placeholder: i.placeholder, kind: i.kind, category: i.category, start: i.start, end: i.end }));
      const info = checkInformation(text, p.infoGate);
      return { masked, gate: { held: info.held, message: info.message, found: info.found }, rulesVersion: m.rulesVersion };
    },
    'privacy.flagMiss': async (input: {
      ticketId: string;
      start: number;
      end: number;
      kind: string;
      reviewer?: string;
    }): Promise<RouteOutputs['privacy.flagMiss']> => {
      const t = ctx.store.getTicket(input.ticketId);
      if (!t) throw new AppError('BAD_INPUT', `no ticket ${input.ticketId}`);
      if (input.end > t.text.length || input.start >= input.end)
        throw new AppError('BAD_INPUT', `the span ${input.start}–${input.end} is not inside the ticket (${t.text.length} characters)`);
      const flags = addMissFlag(ctx.store, { ...input, at: Date.now() });
      return { flagged: true, flags };
    },
  };
}
