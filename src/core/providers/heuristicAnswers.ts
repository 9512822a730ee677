// Deterministic keyword/regex triage. Used by the loopback fake provider server and by the
// keyless demo provider, so both give plausible, repeatable answers without any model.
// Returns the WIRE JSON of a task (contracts.md §2), never the normalised value.
import type { TaskId } from '../../shared/tasks.ts';

export interface HeuristicContext {
  platform?: string | null;
  product?: string | null;
}

type ProductKind =
  | 'storage'
  | 'compute'
  | 'kubernetes'
  | 'containers'
  | 'database'
  | 'analytics'
  | 'serverless'
  | 'network'
  | 'identity'
  | 'messaging'
  | 'monitoring'
  | 'ai'
  | 'other';

interface PlatformRule {
  id: string;
  patterns: RegExp[];
}

interface ProductEntry {
  /** 'aws' | 'gcp' | 'azure' | 'other:<vendor>' */
  platform: string;
  /** The name as a customer or model would write it (may be an alias of the catalog name). */
  name: string;
  patterns: RegExp[];
  kind: ProductKind;
  /** Global services have no region, so "region" is never reported missing for them. */
  global?: boolean;
}

const AWS_REGION = /\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:gov-)?(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d\b/g;
const GCP_REGION =
  /\b(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)\d(?:-[a-f])?\b/g;
const AZURE_REGION =
  /\b(?:eastus2?|westus[23]?|centralus|northcentralus|southcentralus|westcentralus|northeurope|westeurope|uksouth|ukwest|francecentral|germanywestcentral|swedencentral|switzerlandnorth|norwayeast|southeastasia|eastasia|japaneast|japanwest|koreacentral|centralindia|southindia|australiaeast|australiasoutheast|canadacentral|canadaeast|brazilsouth|uaenorth|southafricanorth|(?:East|West|Central|North Central|South Central|West Central) US(?: [23])?|(?:North|West) Europe|UK (?:South|West)|Southeast Asia|East Asia|Japan East|Australia East|Canada Central|Brazil South|Germany West Central|Sweden Central|France Central)\b/g;

const PLATFORM_RULES: PlatformRule[] = [
  {
    id: 'aws',
    patterns: [
      /\bAWS\b/gi,
      /\bAmazon\b/gi,
      /\bEC2\b/gi,
      /\bS3\b/gi,
      /\bLambda\b/gi,
      /\bRDS\b/gi,
      /\bEKS\b/gi,
      /\bECS\b/g,
      /\bFargate\b/gi,
      /\bCloudFront\b/gi,
      /\bDynamo ?DB\b/gi,
      /\bCloudWatch\b/gi,
      /\bRoute ?53\b/gi,
      /\bAurora\b/gi,
      /\bRedshift\b/gi,
      /\bSQS\b/g,
      /\bSNS\b/g,
      /\bElastic Beanstalk\b/gi,
      /\bBedrock\b/gi,
      /\barn:aws/gi,
      /\bboto3\b/gi,
      AWS_REGION,
    ],
  },
  {
    id: 'gcp',
    patterns: [
      /\bGCP\b/gi,
      /\bGoogle Cloud\b/gi,
      /\bBigQuery\b/gi,
      /\bGKE\b/gi,
      /\bGoogle Kubernetes Engine\b/gi,
      /\bCloud Run\b/gi,
      /\bCloud SQL\b/gi,
      /\bGCS\b/gi,
      /\bgs:\/\//gi,
      /\bCompute Engine\b/gi,
      /\bGCE\b/g,
      /\bCloud Functions?\b/gi,
      /\bPub\/Sub\b/gi,
      /\bSpanner\b/gi,
      /\bFirestore\b/gi,
      /\bVertex AI\b/gi,
      /\bDataflow\b/gi,
      /\bApp Engine\b/gi,
      /\bgcloud\b/gi,
      /\bconsole\.cloud\.google\.com/gi,
      /\bgoogleapis\.com/gi,
      GCP_REGION,
    ],
  },
  {
    id: 'azure',
    patterns: [
      /\bAzure\b/gi,
      /\bAKS\b/gi,
      /\bCosmos ?DB\b/gi,
      /\bBlob Storage\b/gi,
      /\bEntra\b/gi,
      /\bportal\.azure\.com/gi,
      /\bcore\.windows\.net/gi,
      /\/subscriptions\/[0-9a-f-]{36}/gi,
      /\bMicrosoft\.[A-Z][A-Za-z]+\//g,
      /\bresource group\b/gi,
      /\bApp Service\b/gi,
      /\bFront Door\b/gi,
      /\bKey ?Vault\b/gi,
      /\bBicep\b/g,
      AZURE_REGION,
    ],
  },
  { id: 'other:cloudflare', patterns: [/\bCloudflare\b/gi, /\bcloudflared\b/gi, /\bwrangler\b/gi] },
  { id: 'other:datadog', patterns: [/\bDatadog\b/gi, /\bdd-agent\b/gi] },
  { id: 'other:snowflake', patterns: [/\bSnowflake\b/gi, /\bSnowpipe\b/gi, /\bsnowsql\b/gi] },
  { id: 'other:digitalocean', patterns: [/\bDigital ?Ocean\b/gi, /\bdoctl\b/gi] },
  { id: 'other:heroku', patterns: [/\bHeroku\b/gi] },
  { id: 'other:vercel', patterns: [/\bVercel\b/gi] },
  { id: 'other:netlify', patterns: [/\bNetlify\b/gi] },
  { id: 'other:oracle', patterns: [/\bOracle Cloud\b/gi, /\bOCI\b/g] },
  { id: 'other:ibm', patterns: [/\bIBM Cloud\b/gi] },
  { id: 'other:alibaba', patterns: [/\bAlibaba Cloud\b/gi, /\bAliyun\b/gi] },
  { id: 'other:linode', patterns: [/\bLinode\b/gi, /\bAkamai Cloud\b/gi] },
  { id: 'other:mongodb', patterns: [/\bMongoDB Atlas\b/gi] },
  { id: 'other:fastly', patterns: [/\bFastly\b/gi] },
  { id: 'other:hetzner', patterns: [/\bHetzner\b/gi] },
  { id: 'other:newrelic', patterns: [/\bNew Relic\b/gi] },
];

const PRODUCTS: ProductEntry[] = [
  // AWS
  { platform: 'aws', name: 'Amazon S3', kind: 'storage', patterns: [/\bS3\b/gi, /\bSimple Storage Service\b/gi] },
  { platform: 'aws', name: 'Amazon EC2', kind: 'compute', patterns: [/\bEC2\b/gi, /\bElastic Compute Cloud\b/gi] },
  { platform: 'aws', name: 'AWS Lambda', kind: 'serverless', patterns: [/\bLambda\b/gi] },
  { platform: 'aws', name: 'Amazon RDS', kind: 'database', patterns: [/\bRDS\b/gi, /\bRelational Database Service\b/gi] },
  { platform: 'aws', name: 'Amazon Aurora', kind: 'database', patterns: [/\bAurora\b/gi] },
  { platform: 'aws', name: 'Amazon EKS', kind: 'kubernetes', patterns: [/\bEKS\b/gi, /\bElastic Kubernetes Service\b/gi] },
  { platform: 'aws', name: 'Amazon ECS', kind: 'containers', patterns: [/\bECS\b/g, /\bFargate\b/gi] },
  { platform: 'aws', name: 'Amazon CloudFront', kind: 'network', global: true, patterns: [/\bCloudFront\b/gi] },
  { platform: 'aws', name: 'Amazon DynamoDB', kind: 'database', patterns: [/\bDynamo ?DB\b/gi] },
  { platform: 'aws', name: 'Amazon SQS', kind: 'messaging', patterns: [/\bSQS\b/g] },
  { platform: 'aws', name: 'Amazon SNS', kind: 'messaging', patterns: [/\bSNS\b/g] },
  { platform: 'aws', name: 'Amazon CloudWatch', kind: 'monitoring', patterns: [/\bCloudWatch\b/gi] },
  { platform: 'aws', name: 'Amazon Route 53', kind: 'network', global: true, patterns: [/\bRoute ?53\b/gi] },
  {
    platform: 'aws',
    name: 'Elastic Load Balancing',
    kind: 'network',
    patterns: [/\b(?:ALB|NLB|ELB)\b/g, /\b(?:application|network) load balancer\b/gi],
  },
  { platform: 'aws', name: 'Amazon Redshift', kind: 'analytics', patterns: [/\bRedshift\b/gi] },
  { platform: 'aws', name: 'AWS IAM', kind: 'identity', global: true, patterns: [/\bIAM\b/g] },
  { platform: 'aws', name: 'Amazon EBS', kind: 'storage', patterns: [/\bEBS\b/g] },
  { platform: 'aws', name: 'Amazon API Gateway', kind: 'network', patterns: [/\bAPI Gateway\b/gi] },
  { platform: 'aws', name: 'Amazon Bedrock', kind: 'ai', patterns: [/\bBedrock\b/gi] },
  { platform: 'aws', name: 'Amazon VPC', kind: 'network', patterns: [/\bVPC\b/g] },
  // GCP
  { platform: 'gcp', name: 'BigQuery', kind: 'analytics', patterns: [/\bBigQuery\b/gi, /\bbq query\b/gi] },
  {
    platform: 'gcp',
    name: 'Google Kubernetes Engine',
    kind: 'kubernetes',
    patterns: [/\bGKE\b/gi, /\b(?:Google )?Kubernetes Engine\b/gi],
  },
  { platform: 'gcp', name: 'Cloud Run', kind: 'serverless', patterns: [/\bCloud Run\b/gi] },
  { platform: 'gcp', name: 'Cloud SQL', kind: 'database', patterns: [/\bCloud SQL\b/gi] },
  { platform: 'gcp', name: 'Cloud Storage', kind: 'storage', patterns: [/\bGCS\b/gi, /\bCloud Storage\b/gi, /\bgs:\/\//gi] },
  { platform: 'gcp', name: 'Compute Engine', kind: 'compute', patterns: [/\bCompute Engine\b/gi, /\bGCE\b/g] },
  { platform: 'gcp', name: 'Cloud Functions', kind: 'serverless', patterns: [/\bCloud Functions?\b/gi] },
  { platform: 'gcp', name: 'Pub/Sub', kind: 'messaging', patterns: [/\bPub\/?Sub\b/gi] },
  { platform: 'gcp', name: 'Cloud Spanner', kind: 'database', patterns: [/\bSpanner\b/gi] },
  { platform: 'gcp', name: 'Firestore', kind: 'database', patterns: [/\bFirestore\b/gi, /\bDatastore\b/gi] },
  { platform: 'gcp', name: 'Vertex AI', kind: 'ai', patterns: [/\bVertex(?: AI)?\b/gi, /\bGemini API\b/gi] },
  { platform: 'gcp', name: 'Dataflow', kind: 'analytics', patterns: [/\bDataflow\b/gi] },
  { platform: 'gcp', name: 'App Engine', kind: 'serverless', patterns: [/\bApp Engine\b/gi] },
  {
    platform: 'gcp',
    name: 'Cloud Load Balancing',
    kind: 'network',
    patterns: [/\b(?:Cloud|HTTPS?|external|internal) Load Balanc(?:er|ing)\b/gi],
  },
  { platform: 'gcp', name: 'Cloud Logging', kind: 'monitoring', patterns: [/\bCloud Logging\b/gi, /\bStackdriver\b/gi] },
  { platform: 'gcp', name: 'Cloud DNS', kind: 'network', global: true, patterns: [/\bCloud DNS\b/gi] },
  { platform: 'gcp', name: 'Memorystore', kind: 'database', patterns: [/\bMemorystore\b/gi] },
  { platform: 'gcp', name: 'Cloud IAM', kind: 'identity', global: true, patterns: [/\bIAM\b/g] },
  // Azure
  {
    platform: 'azure',
    name: 'Azure Kubernetes Service',
    kind: 'kubernetes',
    patterns: [/\bAKS\b/gi, /\bAzure Kubernetes Service\b/gi],
  },
  { platform: 'azure', name: 'Azure Cosmos DB', kind: 'database', patterns: [/\bCosmos ?DB\b/gi] },
  {
    platform: 'azure',
    name: 'Azure Blob Storage',
    kind: 'storage',
    patterns: [/\bBlob Storage\b/gi, /\bblob\.core\.windows\.net/gi, /\bblob containers?\b/gi],
  },
  {
    platform: 'azure',
    name: 'Azure Storage',
    kind: 'storage',
    patterns: [/\bstorage accounts?\b/gi, /\bAzure Files\b/gi, /\bfile\.core\.windows\.net/gi],
  },
  {
    platform: 'azure',
    name: 'Azure Virtual Machines',
    kind: 'compute',
    patterns: [/\bAzure VMs?\b/gi, /\bVirtual Machines?\b/gi, /\bVMSS\b/g, /\bscale sets?\b/gi],
  },
  { platform: 'azure', name: 'Azure Functions', kind: 'serverless', patterns: [/\bAzure Functions?\b/gi, /\bFunction Apps?\b/gi] },
  {
    platform: 'azure',
    name: 'Azure SQL Database',
    kind: 'database',
    patterns: [/\bAzure SQL\b/gi, /\bSQL Database\b/gi, /\bSQL Managed Instance\b/gi],
  },
  {
    platform: 'azure',
    name: 'Azure Database for PostgreSQL',
    kind: 'database',
    patterns: [/\bAzure Database for PostgreSQL\b/gi, /\bFlexible Server\b/gi],
  },
  { platform: 'azure', name: 'Azure App Service', kind: 'serverless', patterns: [/\bApp Service\b/gi, /\bWeb Apps?\b/gi] },
  {
    platform: 'azure',
    name: 'Microsoft Entra ID',
    kind: 'identity',
    global: true,
    patterns: [/\bEntra(?: ID)?\b/gi, /\bAzure (?:AD|Active Directory)\b/gi],
  },
  { platform: 'azure', name: 'Azure Front Door', kind: 'network', global: true, patterns: [/\bFront Door\b/gi] },
  {
    platform: 'azure',
    name: 'Azure Monitor',
    kind: 'monitoring',
    patterns: [/\bAzure Monitor\b/gi, /\bLog Analytics\b/gi, /\bApplication Insights\b/gi],
  },
  { platform: 'azure', name: 'Azure Key Vault', kind: 'identity', patterns: [/\bKey ?Vault\b/gi] },
  { platform: 'azure', name: 'Azure Service Bus', kind: 'messaging', patterns: [/\bService Bus\b/gi] },
  { platform: 'azure', name: 'Azure OpenAI', kind: 'ai', patterns: [/\bAzure OpenAI\b/gi] },
  // Other vendors
  {
    platform: 'other:cloudflare',
    name: 'Cloudflare Workers',
    kind: 'serverless',
    global: true,
    patterns: [/\bWorkers?\b/g, /\bwrangler\b/gi],
  },
  { platform: 'other:cloudflare', name: 'Cloudflare R2', kind: 'storage', global: true, patterns: [/\bR2\b/g] },
  { platform: 'other:cloudflare', name: 'Cloudflare DNS', kind: 'network', global: true, patterns: [/\bDNS\b/g] },
  { platform: 'other:cloudflare', name: 'Cloudflare WAF', kind: 'network', global: true, patterns: [/\bWAF\b/gi] },
  {
    platform: 'other:cloudflare',
    name: 'Cloudflare Tunnel',
    kind: 'network',
    global: true,
    patterns: [/\bcloudflared\b/gi, /\bTunnels?\b/g],
  },
  { platform: 'other:datadog', name: 'Datadog APM', kind: 'monitoring', global: true, patterns: [/\bAPM\b/g, /\btraces?\b/gi] },
  {
    platform: 'other:datadog',
    name: 'Datadog Log Management',
    kind: 'monitoring',
    global: true,
    patterns: [/\blog (?:management|pipelines?|ingestion|indexes)\b/gi],
  },
  { platform: 'other:datadog', name: 'Datadog Agent', kind: 'monitoring', global: true, patterns: [/\bagent\b/gi] },
  { platform: 'other:snowflake', name: 'Snowpipe', kind: 'analytics', patterns: [/\bSnowpipe\b/gi] },
  {
    platform: 'other:snowflake',
    name: 'Snowflake warehouse',
    kind: 'analytics',
    patterns: [/\bwarehouses?\b/gi, /\bsnowsql\b/gi, /\bquery\b/gi],
  },
  { platform: 'other:mongodb', name: 'MongoDB Atlas', kind: 'database', patterns: [/\bAtlas\b/gi] },
];

interface Hit {
  count: number;
  first: number;
}

function countHits(text: string, patterns: readonly RegExp[]): Hit {
  let count = 0;
  let first = Number.POSITIVE_INFINITY;
  for (const p of patterns) {
    // Fresh RegExp so a shared /g pattern's lastIndex never leaks between calls.
    const re = new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g');
    for (const m of text.matchAll(re)) {
      count++;
      if (m.index < first) first = m.index;
    }
  }
  return { count, first };
}

/** Most-mentioned candidate wins; ties go to the one mentioned first. */
function pickBest<T>(items: readonly T[], hitOf: (item: T) => Hit): T | null {
  let best: T | null = null;
  let bestHit: Hit = { count: 0, first: Number.POSITIVE_INFINITY };
  for (const item of items) {
    const h = hitOf(item);
    if (h.count === 0) continue;
    if (h.count > bestHit.count || (h.count === bestHit.count && h.first < bestHit.first)) {
      best = item;
      bestHit = h;
    }
  }
  return best;
}

export function detectPlatform(text: string): string | null {
  const rule = pickBest(PLATFORM_RULES, (r) => countHits(text, r.patterns));
  return rule ? rule.id : null;
}

/** A guess with how sure the rules are of it: the winner's share of every keyword hit (0 when nothing matched). */
export interface KeywordGuess {
  value: string | null;
  confidence: number;
}

/** Scores a pool by keyword hits: the winner (as pickBest picks it) and its share of all hits. */
function guessFrom<T>(items: readonly T[], hitOf: (item: T) => Hit, name: (item: T) => string): KeywordGuess {
  let total = 0;
  const hits = new Map<T, Hit>();
  for (const item of items) {
    const h = hitOf(item);
    hits.set(item, h);
    total += h.count;
  }
  const best = pickBest(items, (i) => hits.get(i)!);
  return best === null ? { value: null, confidence: 0 } : { value: name(best), confidence: hits.get(best)!.count / total };
}

/**
 * The platform the keyword rules read in a ticket (the same rules as detectPlatform), with their
 * confidence. The engine's speculative execution starts dependents on it before the model answers.
 */
export function predictPlatform(text: string): KeywordGuess {
  return guessFrom(PLATFORM_RULES, (r) => countHits(text, r.patterns), (r) => r.id);
}

/** The product the keyword rules read in a ticket on a given platform (catalog-style name), with their confidence. */
export function predictProduct(text: string, platform: string | null): KeywordGuess {
  const p = normalisePlatform(platform);
  const pool = p ? PRODUCTS.filter((x) => x.platform === p) : PRODUCTS.filter((x) => !x.platform.startsWith('other:'));
  return guessFrom(pool, (x) => countHits(text, x.patterns), (x) => x.name);
}

function normalisePlatform(p: string | null | undefined): string | null {
  if (p == null) return null;
  const s = p.trim().toLowerCase();
  if (s === '' || s === 'null' || s === 'none' || s === 'unknown' || s === 'n/a') return null;
  if (s === 'google cloud' || s === 'google') return 'gcp';
  if (s === 'amazon' || s === 'amazon web services') return 'aws';
  if (s === 'microsoft azure') return 'azure';
  return s;
}

function findProduct(text: string, platform: string | null): ProductEntry | null {
  // Without a platform, only the big three's catalogs: other vendors' entries use generic words.
  const pool = platform ? PRODUCTS.filter((p) => p.platform === platform) : PRODUCTS.filter((p) => !p.platform.startsWith('other:'));
  return pickBest(pool, (p) => countHits(text, p.patterns));
}

/** Resolves a product name given by the caller (possibly an alias) to a catalog entry. */
function productEntryFromName(name: string | null | undefined, platform: string | null): ProductEntry | null {
  if (!name) return null;
  const lower = name.trim().toLowerCase();
  if (lower === '' || lower === 'null' || lower === 'unknown') return null;
  const pool = platform ? PRODUCTS.filter((p) => p.platform === platform) : PRODUCTS;
  return pool.find((p) => p.name.toLowerCase() === lower) ?? findProduct(name, platform);
}

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

function severityOf(text: string): 'low' | 'normal' | 'high' | 'urgent' {
  if (URGENT.some((r) => r.test(text))) return 'urgent';
  if (EXPLICIT_LOW.some((r) => r.test(text))) return 'low';
  if (HIGH.some((r) => r.test(text))) return 'high';
  if (LOW.some((r) => r.test(text))) return 'low';
  return 'normal';
}

// ---------------------------------------------------------------------------------------------
// asset ids

interface Span {
  start: number;
  end: number;
  value: string;
}

const TRAILING_PUNCT = /[.,;:!?)\]}>'"`]+$/;

function overlaps(spans: readonly Span[], start: number, end: number): boolean {
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
  for (const m of text.matchAll(
    /\b(?:i|vol|snap|sg|subnet|vpc|ami|eni|igw|nat|rtb|eipalloc|lt)-(?:[0-9a-f]{17}|[0-9a-f]{8})\b/g,
  )) {
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

const QUERY_PLAN = /\b(?:EXPLAIN(?:\s+ANALYZE)?|Seq Scan|Index Scan|Hash Join|Nested Loop|query plan|execution plan|execution details|slot[- ]?ms|bytes (?:processed|shuffled))\b/i;

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

function technicalDetails(
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
  for (const v of allMatches(text, [
    VERSION_TECH,
    /\b(?:version|ver\.?)\s*[:=]?\s*v?\d+(?:\.\d+)+[a-z0-9.-]*|\bv\d+\.\d+(?:\.\d+)*\b/gi,
  ])) {
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
      if (mentions(/\bslow|\bperformance|\blatency|\btook\b|\bdurations?\b/i) && !hasPlan)
        missing.push('query plan or execution details');
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
      if (!mentions(/\bi-[0-9a-f]{8,17}\b|\binstance\s+(?:name\s*[:=]?\s*)?[`'"]?[a-z0-9][a-z0-9-]{2,}|\bvm\s+[`'"]?[a-z0-9][a-z0-9-]{2,}/i))
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

// ---------------------------------------------------------------------------------------------

/**
 * The WIRE JSON answer for `task` (contracts.md §2), derived from keywords only.
 * `ctx.platform` / `ctx.product` are the upstream answers that dependent tasks receive.
 */
export function heuristicAnswer(
  task: TaskId,
  ticketText: string,
  ctx?: { platform?: string | null; product?: string | null },
): unknown {
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
