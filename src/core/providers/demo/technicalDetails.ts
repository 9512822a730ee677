// The demo's technical details: what the ticket carries (errors, timestamps, regions, versions,
// request ids, stack traces, commands, queries) and what an engineer would still ask for, by the
// product's kind.
import { AWS_REGION, AZURE_REGION, GCP_REGION, type ProductEntry } from './platformProduct.ts';
import { extractAssetIds, overlaps, type Span } from './assetIds.ts';
// ---------------------------------------------------------------------------------------------
// technical details

const ERRORISH =
  /error|exception|denied|fail|timeout|timed out|invalid|not found|refused|unable|cannot|can't|forbidden|unauthori[sz]ed|exceeded|unavailable|rejected|no such|missing|conflict|throttl|\b[45]\d\d\b|[a-z][A-Z][a-z]+(?:Error|Exception|Denied|Exceeded|NotFound|Failed)/i;

const GRPC_OR_CODE =
  /\b(?:[A-Z][a-z]+){1,5}(?:Exception|Error|Denied|Exceeded|NotFound|Failed|Fault|Throttled|Unavailable)\b|\b(?:PERMISSION_DENIED|RESOURCE_EXHAUSTED|DEADLINE_EXCEEDED|UNAVAILABLE|UNAUTHENTICATED|FAILED_PRECONDITION|NOT_FOUND|ALREADY_EXISTS|INTERNAL|INVALID_ARGUMENT|ABORTED|CANCELLED)\b|\b[A-Z]+-\d{3,5}\b|\bE[A-Z]{4,12}\b/g;

const VERSION_TECH =
  /\b(?:kubernetes|k8s|gke|eks|aks|postgres(?:ql)?|mysql|mariadb|redis|mongodb|python|node(?:\.js)?|java|jdk|terraform|helm|sdk|cli|boto3|botocore|gcloud|kubectl|php|go|ruby|\.net|dotnet|openssl|tls|nginx|istio|spark|airflow|elasticsearch|opensearch|sql server|ubuntu|debian|rhel|windows server|engine)\s+v?(\d+(?:\.\d+)+[a-z0-9.-]*)/gi;

const TIMESTAMP_PATTERNS: RegExp[] = [
  /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}|\s?UTC|\s?GMT)?)?/g,
  /\b\d{4}\/\d{2}\/\d{2}\s+\d{2}:\d{2}(?::\d{2})?/g,
  /\b\d{1,2}:\d{2}(?::\d{2})?\s?(?:am|pm)?\s?(?:UTC|GMT|[ECMP][SD]T|CES?T|BST|IST|JST|AEST|SGT)\b/gi,
  /\b\d{1,2}\s?(?:am|pm)\s?(?:UTC|GMT|[ECMP][SD]T|CES?T|BST|IST|JST|AEST|SGT)\b/gi,
  /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?(?:,?\s+(?:at\s+)?\d{1,2}:\d{2})?/g,
  /\bat\s+\d{1,2}:\d{2}\b/gi,
];

const STACK_TRACE: RegExp[] = [
  /^\s+at\s+\S+.*[:(]\d+/m,
  /Traceback \(most recent call last\)/,
  /^\s*File ".+", line \d+/m,
  /Exception in thread/,
  /^panic:/m,
  /^goroutine \d+/m,
  /^\s+at [\w$.<>]+\([\w.]+\.java:\d+\)/m,
];

const QUERY_PLAN =
  /\b(?:EXPLAIN(?:\s+ANALYZE)?|Seq Scan|Index Scan|Hash Join|Nested Loop|query plan|execution plan|execution details|slot[- ]?ms|bytes (?:processed|shuffled))\b/i;

const REQUEST_ID =
  /\b(?:request[ -]?id|x-amz-request-id|x-amz-id-2|x-ms-request-id|x-request-id|correlation[ -]?id|trace[ -]?id|operation[ -]?id|activity[ -]?id|cf-ray|ray id)\b\s*[:=#]?\s*[`'"]?([A-Za-z0-9][A-Za-z0-9._/+=-]{5,})/gi;

const JOB_ID = /\b(?:bquxjob_[A-Za-z0-9_]+|job[ _-]?id\s*[:=#]?\s*[`'"]?[A-Za-z0-9][A-Za-z0-9:._-]{5,})/gi;

const HTTP_STATUS =
  /\b(?:HTTP(?:\/\d(?:\.\d)?)?|status(?: code)?|error(?: code)?|returns?|returning|got|getting)\s*:?\s*([45]\d\d)\b|\b([45]\d\d)\s+(?:errors?|responses?|Bad Gateway|Service Unavailable|Internal Server Error|Forbidden|Not Found|Too Many Requests|Gateway Time-?out|Unauthorized|Bad Request)\b/gi;

const COMMAND = /^\s*(?:\$\s+)?((?:kubectl|gcloud|gsutil|bq|aws|az|terraform|helm|docker|curl|psql|mysql|wrangler)\s+[^\n]{3,})$/gm;

const SQL = /\b(?:SELECT\s+[\s\S]{1,200}?\bFROM\b|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX)|MERGE\s+INTO)\b/i;

const PROBLEMISH =
  /\berror|\bfail|\bissue|\bproblem|\bbroken|not working|doesn't work|does not work|\bdown\b|\boutage|\bslow|\btimeout|timed out|\bunable|\bcannot|can't|\bcrash|\bdenied|\bstuck|\bhang|\blatency|\bspike|\bdropp|\bmissing|\b[45]\d\d\b/i;

function clip(s: string, n = 160): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
}

function pushUnique(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}

/** Matches of all patterns in text order; where matches overlap the longest one wins. */
function allMatches(text: string, patterns: readonly RegExp[]): string[] {
  const found: Span[] = [];
  for (const p of patterns) {
    const re = new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g');
    for (const m of text.matchAll(re)) {
      const v = m[0].trim();
      if (v) found.push({ start: m.index, end: m.index + m[0].length, value: v });
    }
  }
  found.sort((a, b) => b.end - b.start - (a.end - a.start));
  const kept: Span[] = [];
  for (const f of found) if (!overlaps(kept, f.start, f.end)) kept.push(f);
  kept.sort((a, b) => a.start - b.start);
  const out: string[] = [];
  for (const k of kept) pushUnique(out, k.value);
  return out;
}

export function technicalDetails(
  text: string,
  platform: string | null,
  product: ProductEntry | null,
): { present: string[]; missing: string[] } {
  const present: string[] = [];
  let hasError = false;
  let hasTimestamp = false;
  let hasRegion = false;
  let hasVersion = false;
  let hasRequestId = false;
  let hasStack = false;
  let hasPlan = false;
  let hasJobId = false;

  // Quoted strings that read like error output ("…", “…”, `…`).
  const quoted: string[] = [];
  for (const m of text.matchAll(/"([^"\n]{6,300})"|“([^”\n]{6,300})”|`([^`\n]{6,300})`/g)) {
    const q = m[1] ?? m[2] ?? m[3] ?? '';
    if (ERRORISH.test(q)) {
      quoted.push(q);
      pushUnique(present, `error message: "${clip(q)}"`);
      hasError = true;
    }
  }
  // Unquoted "Error: …" lines, as pasted from logs or CLIs.
  for (const m of text.matchAll(/^[^\n]*?\b((?:ERROR|Error|error|FATAL|Exception)\b[:\]]\s*[^\n]{4,})$/gm)) {
    const line = m[1];
    if (line === undefined) continue;
    // Already reported through its quoted part.
    if (quoted.some((q) => line.includes(q))) continue;
    pushUnique(present, `error message: ${clip(line)}`);
    hasError = true;
  }
  for (const code of allMatches(text, [GRPC_OR_CODE])) {
    if (/^E[A-Z]+$/.test(code) && !/^E(?:CONN|ADDR|ACCES|PERM|PIPE|TIMEDOUT|NOTFOUND|HOSTUNREACH|NETUNREACH)/.test(code)) continue;
    pushUnique(present, `error code: ${code}`);
    hasError = true;
  }
  // Vendor numeric codes such as Cloudflare's "1101 errors" or "error code 1020".
  for (const m of text.matchAll(/\berror\s+(?:code\s*)?:?\s*(1\d{3}|[6-9]\d{2,3})\b|\b(1\d{3})\s+errors?\b/gi)) {
    const code = m[1] ?? m[2];
    if (code === undefined) continue;
    pushUnique(present, `error code: ${code}`);
    hasError = true;
  }
  for (const m of text.matchAll(HTTP_STATUS)) {
    const code = m[1] ?? m[2];
    if (code === undefined) continue;
    pushUnique(present, `HTTP status: ${code}`);
    hasError = true;
  }
  if (STACK_TRACE.some((r) => r.test(text))) {
    present.push('stack trace');
    hasStack = true;
  }
  if (QUERY_PLAN.test(text)) {
    present.push('query plan');
    hasPlan = true;
  }
  for (const v of allMatches(text, [VERSION_TECH, /\b(?:version|ver\.?)\s*[:=]?\s*v?\d+(?:\.\d+)+[a-z0-9.-]*|\bv\d+\.\d+(?:\.\d+)*\b/gi])) {
    pushUnique(present, `version: ${clip(v.replace(/[.-]+$/, ''), 60)}`);
    hasVersion = true;
  }
  for (const m of text.matchAll(/\b(?:python|nodejs|java|dotnet|ruby|go|provided\.al)\d+(?:\.\d+|\.x)?\b/gi)) {
    pushUnique(present, `runtime: ${m[0]}`);
    hasVersion = true;
  }
  for (const r of allMatches(text, [AWS_REGION, GCP_REGION, AZURE_REGION])) {
    pushUnique(present, `region: ${r}`);
    hasRegion = true;
  }
  for (const t of allMatches(text, TIMESTAMP_PATTERNS)) {
    pushUnique(present, `timestamp: ${clip(t, 60)}`);
    hasTimestamp = true;
  }
  for (const m of text.matchAll(REQUEST_ID)) {
    pushUnique(present, `request id: ${clip(m[1] ?? m[0], 80)}`);
    hasRequestId = true;
  }
  for (const m of text.matchAll(JOB_ID)) {
    pushUnique(present, `job id: ${clip(m[0], 80)}`);
    hasJobId = true;
  }
  for (const m of text.matchAll(COMMAND)) {
    if (m[1] !== undefined) pushUnique(present, `command: ${clip(m[1], 120)}`);
  }
  const hasSql = SQL.test(text);
  if (hasSql) present.push('SQL query');

  // What an engineer would still ask for.
  const missing: string[] = [];
  const problem = PROBLEMISH.test(text);
  const assets = extractAssetIds(text);
  const bigThree = platform === 'aws' || platform === 'gcp' || platform === 'azure';
  if (!product) missing.push('affected product or service');
  if (problem && !hasError && !hasStack) missing.push('exact error message');
  if (problem && !hasTimestamp) missing.push('timestamp of the failure (with time zone)');
  if (bigThree && !hasRegion && !(product?.global ?? false)) missing.push('region');
  if (assets.length === 0) {
    const which: Record<string, string> = {
      aws: 'AWS account id',
      gcp: 'GCP project id',
      azure: 'Azure subscription id',
    };
    missing.push(platform !== null && which[platform] !== undefined ? which[platform] : 'account or resource id');
  }
  const kind = product?.kind ?? null;
  const mentions = (re: RegExp): boolean => re.test(text);
  switch (kind) {
    case 'kubernetes':
      if (!mentions(/\bcluster\s+(?:name\s*[:=]?\s*)?[`'"]?[a-z0-9][a-z0-9-]{2,}/i)) missing.push('cluster name');
      if (!hasVersion) missing.push('Kubernetes version');
      if (!mentions(/\bkubectl\b|\bevents?\b|\bpod\b.*\b(?:status|logs?)\b/i)) missing.push('pod events or kubectl output');
      break;
    case 'database':
      if (!mentions(/\binstance\s+[`'"]?[a-z0-9][a-z0-9-]{2,}|\btable\s+[`'"]?\w+|\bdatabase\s+[`'"]?\w+/i))
        missing.push('instance or table name');
      if (!hasVersion) missing.push('engine version');
      if (problem && !hasSql && !hasError) missing.push('failing query or operation');
      break;
    case 'analytics':
      if (!hasJobId && platform === 'gcp') missing.push('job id');
      if (!hasSql) missing.push('query text');
      if (mentions(/\bslow|\bperformance|\blatency|\btook\b|\bdurations?\b/i) && !hasPlan) missing.push('query plan or execution details');
      break;
    case 'serverless':
      if (!hasVersion) missing.push('runtime and version');
      if (!hasRequestId) missing.push('request id');
      if (!mentions(/\b(?:function|service|app)\s+(?:name\s*[:=]?\s*)?[`'"]?[a-z0-9][a-z0-9_-]{2,}/i))
        missing.push('function or service name');
      break;
    case 'storage':
      if (!assets.length && !mentions(/\b(?:bucket|container)\b/i)) missing.push('bucket or container name');
      if (!hasRequestId) missing.push('request id');
      break;
    case 'compute':
      if (
        !mentions(/\bi-[0-9a-f]{8,17}\b|\binstance\s+(?:name\s*[:=]?\s*)?[`'"]?[a-z0-9][a-z0-9-]{2,}|\bvm\s+[`'"]?[a-z0-9][a-z0-9-]{2,}/i)
      )
        missing.push('instance id or name');
      if (!mentions(/\b(?:ubuntu|debian|windows|rhel|centos|amazon linux|cos|image|ami-)/i)) missing.push('OS image');
      break;
    case 'containers':
      if (!mentions(/\b(?:task|service|cluster)\s+[`'"]?[a-z0-9][a-z0-9-]{2,}/i)) missing.push('cluster and service name');
      if (!mentions(/\bstopped reason\b|\bexit code\b|\bevents?\b/i)) missing.push('task stopped reason or events');
      break;
    case 'network':
      if (!mentions(/https?:\/\/|\b[a-z0-9-]+(?:\.[a-z0-9-]+)+\.(?:com|net|org|io|dev|app|co)\b/i))
        missing.push('affected hostname or URL');
      if (!hasRequestId) missing.push('request id or ray id');
      break;
    case 'identity':
      if (!mentions(/\b(?:user|principal|role|service account|app(?:lication)? id|client id)\b/i))
        missing.push('principal (user, role or service account)');
      if (!mentions(/\bpermission|\baction|\bpolicy|\brole\b/i)) missing.push('permission or policy involved');
      break;
    case 'messaging':
      if (!mentions(/\b(?:queue|topic|subscription)\s+[`'"]?[a-z0-9][a-z0-9._-]{2,}/i)) missing.push('queue or topic name');
      break;
    case 'monitoring':
      if (!mentions(/\b(?:metric|query|monitor|alert|dashboard)\b/i)) missing.push('metric, monitor or log query');
      break;
    case 'ai':
      if (!mentions(/\bmodel\b/i)) missing.push('model name');
      if (!hasRequestId) missing.push('request id');
      break;
    default:
      break;
  }
  if (problem && present.length === 0) missing.push('steps to reproduce');
  return { present: present.slice(0, 15), missing };
}
