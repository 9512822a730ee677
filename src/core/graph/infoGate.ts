// The information gate: a cheap local check, after the length gate, that a ticket says enough to
// triage. "Our website is slow, please check." has words enough but names no cloud, no service and
// no resource: models answer such tickets with guesses. The gate looks for four signals with the
// same keyword rules the stand-in models use (no cloud call) and holds a ticket that has none of
// the configured anchors, with a message that asks the customer for what is missing.
import { detectPlatform, extractAssetIds, predictProduct } from '../providers/demo/heuristicAnswers.ts';

export type InfoSignal = 'cloud' | 'service' | 'identifier' | 'symptom';
export const INFO_SIGNALS: readonly InfoSignal[] = ['cloud', 'service', 'identifier', 'symptom'];

export interface InfoGateSettings {
  /** Hold tickets without enough information. Default on. */
  enabled: boolean;
  /** A ticket passes when it has at least one of these signals. Default cloud, service, identifier. */
  anchors: InfoSignal[];
}

export const DEFAULT_INFO_GATE: InfoGateSettings = { enabled: true, anchors: ['cloud', 'service', 'identifier'] };

export interface InfoCheck {
  /** What was found, per signal (the first match, for the record). */
  found: Partial<Record<InfoSignal, string>>;
  held: boolean;
  /** For a held ticket: the reason and what to ask the customer. */
  message: string | null;
}

const SYMPTOM =
  /\b(?:errors?|fail(?:s|ed|ing|ure)?|slow(?:ness|er)?|time[sd]? ?out|timeouts?|down|outage|crash(?:es|ed|ing)?|denied|refus(?:ed|es)|unable|cannot|can't|not working|doesn't work|broken|stuck|hang(?:s|ing)?|latency|spikes?|dropp(?:ed|ing)|missing|unavailable|unreachable|throttl\w*|exceptions?|degraded|[45]\d\d)\b/i;
// Identifiers beyond cloud asset ids: URLs, host names, IPs, request ids, error codes, versions.
const OTHER_IDENTIFIER: RegExp[] = [
  /\bhttps?:\/\/[^\s"'<>]+/i,
  /\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|dev|app|cloud|co|de|uk|fr|internal|local)\b/i,
  /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/,
  /\b(?:request|correlation|trace|operation|job)[ _-]?id\b\s*[:=#]?\s*\S{6,}/i,
  /\b[A-Z][A-Za-z]+(?:Exception|Error|Denied|Exceeded|NotFound)\b|\b[A-Z]{2,}_[A-Z_]{3,}\b/,
];

const ASK: Record<Exclude<InfoSignal, 'symptom'>, string> = {
  cloud: 'which cloud provider it is on (AWS, Google Cloud, Azure, …)',
  service: 'which service is affected (e.g. EC2, Cloud SQL, AKS)',
  identifier: 'the account, project or subscription id and the affected resource (instance, bucket, cluster name or URL)',
};

function first(text: string, res: readonly RegExp[]): string | null {
  for (const re of res) {
    const m = re.exec(text);
    if (m) return m[0].slice(0, 80);
  }
  return null;
}

const listOf = (xs: string[], last: string): string => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} ${last} ${xs.at(-1)}`);

/** Which signals the ticket carries, and whether the gate holds it. */
export function checkInformation(text: string, settings: InfoGateSettings = DEFAULT_INFO_GATE): InfoCheck {
  const found: InfoCheck['found'] = {};
  const platform = detectPlatform(text);
  if (platform) found.cloud = platform;
  const product = predictProduct(text, platform).value;
  if (product) found.service = product;
  const ids = extractAssetIds(text);
  const id = ids[0] ?? first(text, OTHER_IDENTIFIER);
  if (id) found.identifier = id;
  const symptom = SYMPTOM.exec(text)?.[0];
  if (symptom) found.symptom = symptom;
  if (!settings.enabled || settings.anchors.length === 0 || settings.anchors.some((a) => found[a] !== undefined)) {
    return { found, held: false, message: null };
  }
  const missing = (['cloud', 'service', 'identifier'] as const).filter((s) => found[s] === undefined);
  const noSymptom = found.symptom === undefined;
  const asks = missing.map((s) => ASK[s]);
  if (noSymptom) asks.push('what goes wrong: the exact error message and when it started');
  const named = missing.map((s) => (s === 'cloud' ? 'no cloud provider' : s === 'service' ? 'no service' : 'no resource id'));
  const message =
    `held for more information: the ticket names ${listOf([...named, ...(noSymptom ? ['no symptom'] : [])], 'and')}` +
    `; please ask the customer for ${asks.join('; ')}`;
  return { found, held: true, message };
}
