// The demo's platform and product rules: which platform and which service a ticket mentions most
// (ties to the first mentioned), by keyword patterns per platform and per product, with the
// product's kind (what details it needs) and whether it is global. Also the keyword guesses the
// engine's speculative execution starts dependents on (predictPlatform, predictProduct).
// The product entries are derived from resources/catalog/*.json (catalogProducts.ts).
import { productEntries, type ProductEntry } from './catalogProducts.ts';

export type { ProductEntry, ProductKind } from './catalogProducts.ts';

interface PlatformRule {
  id: string;
  patterns: RegExp[];
}

export const AWS_REGION =
  /\b(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:gov-)?(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d\b/g;
export const GCP_REGION =
  /\b(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)\d(?:-[a-f])?\b/g;
export const AZURE_REGION =
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

interface Hit {
  count: number;
  first: number;
}

export function countHits(text: string, patterns: readonly RegExp[]): Hit {
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
export function pickBest<T>(items: readonly T[], hitOf: (item: T) => Hit): T | null {
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
  return guessFrom(
    PLATFORM_RULES,
    (r) => countHits(text, r.patterns),
    (r) => r.id,
  );
}

/** The product the keyword rules read in a ticket on a given platform (catalog-style name), with their confidence. */
export function predictProduct(text: string, platform: string | null): KeywordGuess {
  const p = normalisePlatform(platform);
  const pool = p ? productEntries().filter((x) => x.platform === p) : productEntries().filter((x) => !x.platform.startsWith('other:'));
  return guessFrom(
    pool,
    (x) => countHits(text, x.patterns),
    (x) => x.name,
  );
}

export function normalisePlatform(p: string | null | undefined): string | null {
  if (p == null) return null;
  const s = p.trim().toLowerCase();
  if (s === '' || s === 'null' || s === 'none' || s === 'unknown' || s === 'n/a') return null;
  if (s === 'google cloud' || s === 'google') return 'gcp';
  if (s === 'amazon' || s === 'amazon web services') return 'aws';
  if (s === 'microsoft azure') return 'azure';
  return s;
}

export function findProduct(text: string, platform: string | null): ProductEntry | null {
  // Without a platform, only the big three's catalogs: other vendors' entries use generic words.
  const pool = platform
    ? productEntries().filter((p) => p.platform === platform)
    : productEntries().filter((p) => !p.platform.startsWith('other:'));
  return pickBest(pool, (p) => countHits(text, p.patterns));
}

/** Resolves a product name given by the caller (possibly an alias) to a catalog entry. */
export function productEntryFromName(name: string | null | undefined, platform: string | null): ProductEntry | null {
  if (!name) return null;
  const lower = name.trim().toLowerCase();
  if (lower === '' || lower === 'null' || lower === 'unknown') return null;
  const pool = platform ? productEntries().filter((p) => p.platform === platform) : productEntries();
  return pool.find((p) => p.name.toLowerCase() === lower) ?? findProduct(name, platform);
}
