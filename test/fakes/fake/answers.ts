// Answer-side helpers: the delay header, OpenAI's strict-schema check, model families, and the
// wrong-but-valid answer a 'schema-violation' fault returns.
import type { TaskId } from '#shared/tasks.ts';

/**
 * Header naming the answering delay the server applied, ms (not a real provider header): a
 * non-streamed answer's time from the request's arrival to its response head (the whole delay,
 * timer overshoot included); for a stream, the time to its first chunk plus the gaps still planned
 * (the head goes out with the first chunk).
 */
export const DELAY_HEADER = 'x-fake-delay-ms';
export const delayHeader = (ms: number): Record<string, string> => ({ [DELAY_HEADER]: ms.toFixed(3) });

/** OpenAI strict mode: every object needs additionalProperties:false and all keys required. */
export function strictSchemaProblem(schema: unknown, path: string): string | null {
  if (!schema || typeof schema !== 'object') return null;
  const s = schema as Record<string, unknown>;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('object')) {
    if (s.additionalProperties !== false) return `In context=(${path}), 'additionalProperties' is required to be supplied and to be false.`;
    const props = s.properties && typeof s.properties === 'object' ? Object.keys(s.properties) : [];
    const req = Array.isArray(s.required) ? (s.required as unknown[]) : [];
    const missingKey = props.find((k) => !req.includes(k));
    if (missingKey !== undefined)
      return `In context=(${path}), 'required' is required to be supplied and to be an array including every key in properties. Missing '${missingKey}'.`;
    for (const k of props) {
      const inner = strictSchemaProblem(
        (s.properties as Record<string, unknown>)[k],
        path ? `${path}, 'properties', '${k}'` : `'properties', '${k}'`,
      );
      if (inner) return inner;
    }
  }
  if (types.includes('array') && s.items) return strictSchemaProblem(s.items, path ? `${path}, 'items'` : `'items'`);
  return null;
}

export function isReasoningOpenAI(model: string): boolean {
  return /^(?:gpt-5|o\d)/.test(model);
}

export function isGptOss(model: string): boolean {
  return model.startsWith('openai/gpt-oss');
}

/** The wrong-but-valid-JSON answer for 'schema-violation'. */
export function violatingAnswer(task: TaskId | null): unknown {
  switch (task) {
    case 'platform':
      return { cloud: 'AWS', confidence: 0.9 };
    case 'product':
      return { products: ['S3'] };
    case 'severity':
      return { severity: 'critical' };
    case 'asset_ids':
      return { asset_ids: 'acme-prod-123' };
    case 'technical_details':
      return { details: 'The ticket has an error message.' };
    default:
      return { answer: null };
  }
}
