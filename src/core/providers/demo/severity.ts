// The demo's severity rules: outage words make a ticket urgent, blocking words high, questions
// low, an explicit "not urgent" low; otherwise normal.
// ---------------------------------------------------------------------------------------------
// severity

const URGENT: RegExp[] = [
  /\boutage\b/i,
  /\b(?:is|are|went|been|was|were|goes|going|completely|totally|entirely|fully|all|hard)\s+down\b/i,
  /\b(?:production|prod)\s+(?:is\s+|are\s+)?down\b/i,
  /\bdown\s+(?:for|since)\s+(?:all|everyone|\d)/i,
  /\bdata\s+loss\b/i,
  /\blost\s+(?:all\s+|some\s+|our\s+)?(?:customer\s+|production\s+)?data\b/i,
  /\bdata\s+(?:has\s+been\s+|was\s+|is\s+|got\s+)?(?:deleted|wiped|corrupted|lost|gone)\b/i,
  /\b(?:sev|severity)[\s-]?[01]\b/i,
  /\bP[01]\b/,
  /\bemergency\b/i,
  /\b(?:completely|totally|entirely)\s+(?:unavailable|unreachable|inaccessible|broken)\b/i,
];

const EXPLICIT_LOW: RegExp[] = [/\bnot\s+(?:urgent|critical|blocking)\b/i, /\bno\s+rush\b/i, /\blow\s+priority\b/i];

const HIGH: RegExp[] = [
  /\b(?:production|prod)\b[^.\n]{0,60}\b(?:impact(?:ed|ing)?|affect(?:ed|ing)?|errors?|failing|fails|failures?|broken|degraded|issues?|problems?|outages?)\b/i,
  /\b(?:impact(?:ed|ing)?|affect(?:ed|ing)?|errors?|failing|failures?)\b[^.\n]{0,60}\b(?:production|prod)\b/i,
  /\b(?:customers?|end[- ]users?|users|clients)\b[^.\n]{0,40}\b(?:seeing|getting|receiving|experiencing|hitting|report(?:ing|ed)?|affected|impacted|unable|cannot|can't)\b/i,
  /\berrors?\s+(?:for|to)\s+(?:our\s+|all\s+)?(?:customers|users)\b/i,
  /\bdegrad(?:ed|ation)\b/i,
  /\b5\d\d\s+(?:errors?|responses?)\b/i,
  /\b(?:intermittent(?:ly)?|spiking|elevated|increased)\b[^.\n]{0,30}\b(?:errors?|failures?|failing|timeouts?|latency)\b/i,
  /(?<!not\s)\b(?:urgent|urgently|asap|blocking|blocker)\b/i,
  /\b(?:sev|severity)[\s-]?2\b/i,
  /\bP2\b/,
  /\blosing\s+(?:money|revenue|customers)\b/i,
];

const LOW: RegExp[] = [
  /\bhow\s+(?:do|can|should|would)\s+(?:i|we|you)\b/i,
  /\bhow\s+to\b/i,
  /\bis\s+(?:it|there)\s+(?:possible|a\s+way)\b/i,
  /\bfeature\s+request\b/i,
  /\bquestions?\b/i,
  /\bwondering\b/i,
  /\bcurious\b/i,
  /\b(?:documentation|docs)\b/i,
  /\bbest\s+practices?\b/i,
  /\bcould\s+you\s+(?:explain|clarify)\b/i,
  /\bwould\s+(?:like|love)\s+to\s+(?:know|understand)\b/i,
  /\bguidance\b/i,
  /\broadmap\b/i,
  /\brecommend(?:ation|ed)?\b/i,
];

export function severityOf(text: string): 'low' | 'normal' | 'high' | 'urgent' {
  if (URGENT.some((r) => r.test(text))) return 'urgent';
  if (EXPLICIT_LOW.some((r) => r.test(text))) return 'low';
  if (HIGH.some((r) => r.test(text))) return 'high';
  if (LOW.some((r) => r.test(text))) return 'low';
  return 'normal';
}
