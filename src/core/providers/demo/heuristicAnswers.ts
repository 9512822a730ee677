// Deterministic keyword/regex triage. Used by the loopback fake provider server and by the
// keyless demo provider, so both give plausible, repeatable answers without any model.
// Returns the WIRE JSON of a task (contracts.md §2), never the normalised value. One file per
// task's rules beside this one (platformProduct.ts, severity.ts, assetIds.ts, technicalDetails.ts).
import type { TaskId } from '#shared/tasks.ts';
import { detectPlatform, findProduct, normalisePlatform, productEntryFromName } from './platformProduct.ts';
import { severityOf } from './severity.ts';
import { extractAssetIds } from './assetIds.ts';
import { technicalDetails } from './technicalDetails.ts';

export { detectPlatform, predictPlatform, predictProduct, type KeywordGuess } from './platformProduct.ts';
export { extractAssetIds } from './assetIds.ts';

export interface HeuristicContext {
  platform?: string | null;
  product?: string | null;
}

// ---------------------------------------------------------------------------------------------

/**
 * The WIRE JSON answer for `task` (contracts.md §2), derived from keywords only.
 * `ctx.platform` / `ctx.product` are the upstream answers that dependent tasks receive.
 */
export function heuristicAnswer(task: TaskId, ticketText: string, ctx?: { platform?: string | null; product?: string | null }): unknown {
  const text = ticketText ?? '';
  const ctxPlatform = normalisePlatform(ctx?.platform);
  switch (task) {
    case 'platform':
      return { platform: detectPlatform(text) };
    case 'product': {
      const platform = ctxPlatform ?? detectPlatform(text);
      const entry = findProduct(text, platform);
      return { product: entry ? entry.name : null };
    }
    case 'severity':
      return { severity: severityOf(text) };
    case 'asset_ids':
      return { asset_ids: extractAssetIds(text) };
    case 'technical_details': {
      const platform = ctxPlatform ?? detectPlatform(text);
      const product = productEntryFromName(ctx?.product, platform) ?? findProduct(text, platform);
      return technicalDetails(text, platform, product);
    }
    default: {
      const never: never = task;
      throw new Error(`unknown task ${String(never)}`);
    }
  }
}
