// The sample tickets a first start offers: the keyless demo's labelled tickets, shipped in
// resources/demo/tickets.jsonl. Imported under a source name that says they are samples.
import path from 'node:path';
import { resolveResourcesDir } from '../resources.ts';

/** The import source the sample tickets are listed under. */
export const SAMPLE_SOURCE = 'sample-tickets.jsonl';

export function sampleTicketsPath(resourcesDir?: string): string {
  return path.join(resolveResourcesDir(resourcesDir), 'demo', 'tickets.jsonl');
}
