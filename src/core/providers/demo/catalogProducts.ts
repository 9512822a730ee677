// The demo's product entries, derived from the catalog (resources/catalog/*.json): one per service
// the overlay describes, named as the demo answers it and matched by the service's name and aliases.
// OVERLAY holds only what the catalog cannot say (the kind of details a service needs, extra ways
// customers write it, which acronyms count only in capitals); EXTRA_PRODUCTS the entries with no
// catalog service. test/fixtures/demo-answers.golden.json shows any change a catalog edit makes.
import {
  activeCatalog,
  CATALOG_PLATFORMS,
  foldName,
  type Catalog,
  type CatalogPlatform,
  type CatalogService,
  type PlatformCatalog,
} from '#core/catalog.ts';

export type ProductKind =
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

export interface ProductEntry {
  /** 'aws' | 'gcp' | 'azure' | 'other:<vendor>' */
  platform: string;
  /** The name as a customer or model would write it (may be an alias of the catalog name). */
  name: string;
  patterns: RegExp[];
  kind: ProductKind;
  /** Global services have no region, so "region" is never reported missing for them. */
  global?: boolean;
}

interface Overlay {
  kind: ProductKind;
  /** The answer when the naming rule (productName) does not give it. */
  name?: string;
  global?: true;
  /** Its all-capital labels ("ECS", "SQS") only count as written: lower case is another word. */
  acronymsAsWritten?: true;
  /** How customers also write it: labels (matched like the catalog's) or patterns. */
  also?: Array<string | RegExp>;
  /** Catalog aliases that another demo entry answers (Azure Storage's "storage account"). */
  except?: string[];
}

const OVERLAY: Record<CatalogPlatform, Record<string, Overlay>> = {
  aws: {
    S3: { kind: 'storage' },
    EC2: { kind: 'compute' },
    Lambda: { kind: 'serverless' },
    RDS: { kind: 'database' },
    Aurora: { kind: 'database' },
    EKS: { kind: 'kubernetes' },
    ECS: { kind: 'containers', acronymsAsWritten: true },
    CloudFront: { kind: 'network', global: true },
    DynamoDB: { kind: 'database' },
    SQS: { kind: 'messaging', acronymsAsWritten: true },
    SNS: { kind: 'messaging', acronymsAsWritten: true },
    CloudWatch: { kind: 'monitoring' },
    'Route 53': { kind: 'network', global: true },
    'Elastic Load Balancing': { kind: 'network', acronymsAsWritten: true },
    Redshift: { kind: 'analytics' },
    IAM: { kind: 'identity', global: true, acronymsAsWritten: true },
    EBS: { kind: 'storage', acronymsAsWritten: true },
    'API Gateway': { kind: 'network' },
    Bedrock: { kind: 'ai' },
    VPC: { kind: 'network', acronymsAsWritten: true },
  },
  gcp: {
    BigQuery: { kind: 'analytics' },
    GKE: { kind: 'kubernetes', name: 'Google Kubernetes Engine' },
    'Cloud Run': { kind: 'serverless' },
    'Cloud SQL': { kind: 'database' },
    'Cloud Storage': { kind: 'storage', also: [/\bgs:\/\//gi] },
    'Compute Engine': { kind: 'compute', acronymsAsWritten: true },
    'Cloud Functions': { kind: 'serverless', also: ['Cloud Function'] },
    'Pub/Sub': { kind: 'messaging' },
    Spanner: { kind: 'database', name: 'Cloud Spanner' },
    Firestore: { kind: 'database' },
    'Vertex AI': { kind: 'ai', also: ['Vertex', 'Gemini API'] },
    Dataflow: { kind: 'analytics' },
    'App Engine': { kind: 'serverless' },
    'Cloud Load Balancing': { kind: 'network', also: [/\b(?:HTTPS?|external|internal) Load Balancing\b/gi] },
    'Cloud Logging': { kind: 'monitoring' },
    'Cloud DNS': { kind: 'network', global: true },
    Memorystore: { kind: 'database' },
    IAM: { kind: 'identity', global: true, name: 'Cloud IAM', acronymsAsWritten: true, except: ['Service account'] },
  },
  azure: {
    AKS: { kind: 'kubernetes', name: 'Azure Kubernetes Service' },
    'Cosmos DB': { kind: 'database' },
    'Blob Storage': {
      kind: 'storage',
      also: [/\bblob\.core\.windows\.net/gi, 'blob container', 'blob containers'],
      except: ['Storage Account', 'Azure Storage', 'Azure Files'],
    },
    'Virtual Machines': { kind: 'compute', acronymsAsWritten: true, also: ['Azure VMs', 'Virtual Machine', 'scale set', 'scale sets'] },
    'Azure Functions': { kind: 'serverless', also: ['Function Apps'] },
    'Azure SQL Database': { kind: 'database' },
    'Azure Database for PostgreSQL': { kind: 'database', also: ['Flexible Server'] },
    'App Service': { kind: 'serverless', also: ['Web App'] },
    'Entra ID': { kind: 'identity', global: true },
    'Front Door': { kind: 'network', global: true },
    'Azure Monitor': { kind: 'monitoring' },
    'Key Vault': { kind: 'identity', also: ['KeyVault'] },
    'Service Bus': { kind: 'messaging' },
    'Azure OpenAI': { kind: 'ai' },
  },
};

/** Entries with no catalog service: a part of one the demo tells apart, and the other vendors (no catalog). */
const EXTRA_PRODUCTS: ProductEntry[] = [
  // The catalog folds these aliases into "Blob Storage"; the demo answers the storage account itself.
  {
    platform: 'azure',
    name: 'Azure Storage',
    kind: 'storage',
    patterns: [/\bstorage accounts?\b/gi, /\bAzure Files\b/gi, /\bfile\.core\.windows\.net/gi],
  },
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

/** AWS and Azure brand their services with the vendor ("Amazon S3", "Azure Cosmos DB"); Google does not ("BigQuery"). */
const BRANDED: Record<CatalogPlatform, boolean> = { aws: true, gcp: false, azure: true };

/** The name the demo answers: the catalog's "<vendor> <name>" alias on a branded platform, else the catalog name. */
function productName(pc: PlatformCatalog, svc: CatalogService): string {
  if (!BRANDED[pc.platform]) return svc.name;
  const folded = foldName(svc.name);
  return svc.aliases.find((a) => a.endsWith(svc.name) && pc.prefixes.some((p) => foldName(a) === p + folded)) ?? svc.name;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A label as a pattern: word-bounded where it starts or ends with a letter or digit. */
function labelPattern(label: string, asWritten: boolean): RegExp {
  const edge = (c: string): string => (/\w/.test(c) ? '\\b' : '');
  return new RegExp(edge(label[0]!) + escapeRe(label) + edge(label.at(-1)!), asWritten ? 'g' : 'gi');
}

/**
 * A service's patterns: its name, aliases and overlay labels, less those that contain another of
 * them ("Amazon S3" holds "S3"), so one mention counts once however the customer wrote it.
 */
function servicePatterns(svc: CatalogService, o: Overlay): RegExp[] {
  const except = new Set((o.except ?? []).map((e) => e.toLowerCase()));
  const labels = [svc.name, ...svc.aliases, ...(o.also ?? []).filter((x) => typeof x === 'string')].filter(
    (l) => !except.has(l.toLowerCase()),
  );
  const asWritten = (l: string): boolean => o.acronymsAsWritten === true && !/\p{Ll}/u.test(l);
  const kept = labels.filter(
    (l, i) =>
      labels.indexOf(l) === i &&
      !labels.some((other) => other !== l && new RegExp(labelPattern(other, asWritten(other)).source, asWritten(other) ? '' : 'i').test(l)),
  );
  return [...kept.map((l) => labelPattern(l, asWritten(l))), ...(o.also ?? []).filter((x) => x instanceof RegExp)];
}

/**
 * One entry per catalog service the overlay describes, in catalog order (platforms as the catalog
 * searches them, so "IAM" without a platform stays AWS's), then the extras. Services the overlay
 * does not describe have no kind and are not answered: matching all of them changed 106 of the
 * golden file's 1,573 answers (4 of the 14 demo tickets, 13 of the 75 privacy ones; a GKE ticket in
 * project "billing-api-727" became "Cloud Billing"). Adding one is one overlay line and a golden diff.
 */
function deriveProducts(catalog: Catalog): ProductEntry[] {
  const out: ProductEntry[] = [];
  for (const p of CATALOG_PLATFORMS) {
    const pc = catalog.platforms[p];
    for (const svc of pc.services) {
      const o = OVERLAY[p][svc.name];
      if (!o) continue;
      const entry: ProductEntry = { platform: p, name: o.name ?? productName(pc, svc), kind: o.kind, patterns: servicePatterns(svc, o) };
      if (o.global) entry.global = true;
      out.push(entry);
    }
  }
  return [...out, ...EXTRA_PRODUCTS];
}

/** The catalog services' overlay keys that name no service of the shipped catalog (a renamed service would drop out). */
export function overlayKeysMissingFrom(catalog: Catalog): string[] {
  return CATALOG_PLATFORMS.flatMap((p) =>
    Object.keys(OVERLAY[p])
      .filter((name) => !catalog.platforms[p].services.some((s) => s.name === name))
      .map((name) => `${p}/${name}`),
  );
}

const derived = new WeakMap<Catalog, ProductEntry[]>();

/** The demo's product entries for the catalog in use (derived once per catalog). */
export function productEntries(): ProductEntry[] {
  const catalog = activeCatalog();
  let entries = derived.get(catalog);
  if (!entries) {
    entries = deriveProducts(catalog);
    derived.set(catalog, entries);
  }
  return entries;
}
