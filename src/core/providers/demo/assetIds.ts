// The demo's asset-id extraction: account ids, ARNs, resource ids, names of buckets and clusters,
// in the order they appear, without request or trace ids.
// ---------------------------------------------------------------------------------------------
// asset ids

export interface Span {
  start: number;
  end: number;
  value: string;
}

const TRAILING_PUNCT = /[.,;:!?)\]}>'"`]+$/;

export function overlaps(spans: readonly Span[], start: number, end: number): boolean {
  return spans.some((s) => start < s.end && end > s.start);
}

// GUIDs next to these words are request/trace ids, not assets.
const NON_ASSET_GUID_CONTEXT =
  /\b(?:request|correlation|trace|tracking|activity|operation|session|ray|message|event|error|client[ -]?request)[ -]?(?:id)?\b[^\n]{0,12}$/i;

export function extractAssetIds(text: string): string[] {
  const spans: Span[] = [];
  // Claims [start,end) for `value`; ids embedded in an id already taken are not listed twice.
  const claim = (start: number, end: number, value: string): void => {
    if (overlaps(spans, start, end)) return;
    spans.push({ start, end, value });
  };

  // Whole ARNs and Azure resource ids first, so the account/subscription inside them is not
  // reported separately.
  for (const m of text.matchAll(/\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s"'<>,;`]+/gi)) {
    const v = m[0].replace(TRAILING_PUNCT, '');
    claim(m.index, m.index + v.length, v);
  }
  for (const m of text.matchAll(
    /\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:\/resourceGroups\/[^/\s"'<>?#]+(?:\/providers\/[^\s"'<>?#]+)?)?/gi,
  )) {
    const v = m[0].replace(TRAILING_PUNCT, '');
    if (/\/resourceGroups\//i.test(v)) claim(m.index, m.index + v.length, v);
    else {
      const guid = v.slice('/subscriptions/'.length);
      const start = m.index + '/subscriptions/'.length;
      claim(start, start + guid.length, guid);
    }
  }
  // GCP project ids in console URLs and after the word "project".
  for (const m of text.matchAll(/[?&]project=([a-z][a-z0-9-]{4,28}[a-z0-9])\b/g)) {
    const v = m[1];
    if (v === undefined) continue;
    const start = m.index + m[0].length - v.length;
    claim(start, start + v.length, v);
  }
  for (const m of text.matchAll(
    /\bprojects?(?:[ _-]?id)?\s*(?:[:=#/]|\bis\b|\bnamed\b|\bcalled\b)?\s*[`'"]?([a-z][a-z0-9-]{4,28}[a-z0-9])\b/gi,
  )) {
    const v = m[1];
    if (v === undefined) continue;
    // Real project ids are lower-case and nearly always carry a digit or hyphen; plain words do not.
    if (v !== v.toLowerCase() || !/[0-9-]/.test(v)) continue;
    const start = m.index + m[0].length - v.length;
    claim(start, start + v.length, v);
  }
  // Bucket URIs and Azure storage account hosts.
  for (const m of text.matchAll(/\b(?:s3|gs):\/\/([a-z0-9][a-z0-9._-]{1,61}[a-z0-9])/g)) {
    const v = m[1];
    if (v === undefined) continue;
    const start = m.index + m[0].length - v.length;
    claim(start, start + v.length, v);
  }
  for (const m of text.matchAll(/\bbucket\s+(?:named\s+|called\s+)?[`'"]?([a-z0-9][a-z0-9._-]{1,61}[a-z0-9])\b/gi)) {
    const v = m[1];
    if (v === undefined || v !== v.toLowerCase() || !/[0-9._-]/.test(v)) continue;
    const start = m.index + m[0].length - v.length;
    claim(start, start + v.length, v);
  }
  for (const m of text.matchAll(/\b([a-z0-9]{3,24})\.(?:blob|file|queue|table|dfs)\.core\.windows\.net\b/g)) {
    const v = m[1];
    if (v === undefined) continue;
    claim(m.index, m.index + v.length, v);
  }
  // GUIDs: subscriptions and tenants, unless the text calls them request/trace ids.
  for (const m of text.matchAll(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi)) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    if (NON_ASSET_GUID_CONTEXT.test(before)) continue;
    claim(m.index, m.index + m[0].length, m[0]);
  }
  // AWS resource ids (instances, volumes, security groups, …).
  for (const m of text.matchAll(/\b(?:i|vol|snap|sg|subnet|vpc|ami|eni|igw|nat|rtb|eipalloc|lt)-(?:[0-9a-f]{17}|[0-9a-f]{8})\b/g)) {
    claim(m.index, m.index + m[0].length, m[0]);
  }
  // 12-digit AWS account ids (also written 1234-5678-9012).
  for (const m of text.matchAll(/(?<![\d-])(?:\d{12}|\d{4}-\d{4}-\d{4})(?![\d-])/g)) {
    claim(m.index, m.index + m[0].length, m[0]);
  }

  spans.sort((a, b) => a.start - b.start);
  const out: string[] = [];
  for (const s of spans) if (!out.includes(s.value)) out.push(s.value);
  return out;
}
