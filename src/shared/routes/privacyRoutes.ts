// Privacy in the workbench: what is masked before model calls (secrets by default, personal data
// per workspace), the information gate, and what a ticket had masked (for the reviewer).
import { z } from 'zod';

export const INFO_SIGNAL_IDS = ['cloud', 'service', 'identifier', 'symptom'] as const;
export type InfoSignalId = (typeof INFO_SIGNAL_IDS)[number];

export interface PrivacyView {
  redaction: { secrets: boolean; personal: boolean };
  infoGate: { enabled: boolean; anchors: InfoSignalId[] };
}

/** One masked span of a ticket: where it is, its kind and the placeholder the models saw. */
export interface MaskedSpan {
  placeholder: string;
  kind: string;
  category: 'secret' | 'personal';
  start: number;
  end: number;
}

export interface PrivacyPreview {
  /** What the current setting masks in this ticket (offsets into its text; the text itself is the reviewer's already). */
  masked: MaskedSpan[];
  /** The information gate's decision for this text under the current setting. */
  gate: { held: boolean; message: string | null; found: Partial<Record<InfoSignalId, string>> };
  rulesVersion: string;
}

export const privacyRouteInputs = {
  'privacy.get': z.object({}).optional(),
  'privacy.set': z.object({
    redaction: z.object({ secrets: z.boolean(), personal: z.boolean() }).optional(),
    infoGate: z.object({ enabled: z.boolean(), anchors: z.array(z.enum(INFO_SIGNAL_IDS)).min(1) }).optional(),
  }),
  /** What a ticket (by id, or a text) has masked and how the gate decides it. */
  'privacy.preview': z.object({ ticketId: z.string().min(1).max(200).optional(), text: z.string().max(1_000_000).optional() }),
  /**
   * A reviewer's flag: this span of the ticket is a secret or personal detail the rules missed.
   * Kept as offsets and a kind, never the value (the ticket holds it already).
   */
  'privacy.flagMiss': z.object({
    ticketId: z.string().min(1).max(200),
    start: z.number().int().nonnegative(),
    end: z.number().int().positive(),
    kind: z.string().min(1).max(40),
    reviewer: z.string().max(100).optional(),
  }),
};

export interface PrivacyRouteOutputs {
  'privacy.get': PrivacyView;
  'privacy.set': PrivacyView;
  'privacy.preview': PrivacyPreview;
  'privacy.flagMiss': { flagged: true; flags: number };
}
