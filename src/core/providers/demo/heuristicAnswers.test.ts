import { describe, expect, it } from 'vitest';
import { heuristicAnswer } from './heuristicAnswers.ts';
import { TASK_IDS } from '#shared/tasks.ts';
import { WIRE_SCHEMAS } from '#shared/wireSchemas.ts';

const platformOf = (t: string): unknown => (heuristicAnswer('platform', t) as { platform: unknown }).platform;
const productOf = (t: string, platform?: string | null): unknown =>
  (heuristicAnswer('product', t, { platform }) as { product: unknown }).product;
const severityOf = (t: string): unknown => (heuristicAnswer('severity', t) as { severity: unknown }).severity;
const assetsOf = (t: string): string[] => (heuristicAnswer('asset_ids', t) as { asset_ids: string[] }).asset_ids;
const detailsOf = (t: string, ctx?: { platform?: string | null; product?: string | null }) =>
  heuristicAnswer('technical_details', t, ctx) as { present: string[]; missing: string[] };

describe('platform', () => {
  it.each([
    ['Our EC2 instances cannot reach S3 since this morning', 'aws'],
    ['Lambda invocations throttled, arn:aws:lambda:us-east-1:123456789012:function:ingest', 'aws'],
    ['BigQuery jobs in our project fail with quota errors', 'gcp'],
    ['Cloud Run service returns 503 after deploy', 'gcp'],
    ['AKS node pool upgrade is stuck', 'azure'],
    ['Cosmos DB RU consumption doubled overnight', 'azure'],
    ['Cloudflare is blocking our API clients with a WAF rule', 'other:cloudflare'],
    ['Snowflake warehouse keeps suspending mid-query', 'other:snowflake'],
    ['Datadog agent stopped shipping logs', 'other:datadog'],
    ['My invoice looks wrong, please help', null],
  ])('%s → %s', (text, expected) => {
    expect(platformOf(text)).toBe(expected);
  });

  it('picks the most-mentioned platform when several appear', () => {
    const t = 'We are migrating off AWS. The GKE cluster and the Cloud SQL instance on Google Cloud both time out.';
    expect(platformOf(t)).toBe('gcp');
  });
});

describe('product', () => {
  it('names the service as a customer would write it', () => {
    expect(productOf('Uploads to our S3 bucket return 403', 'aws')).toBe('Amazon S3');
    expect(productOf('bq query fails in BigQuery with resourcesExceeded', 'gcp')).toBe('BigQuery');
    expect(productOf('pods on AKS keep restarting', 'azure')).toBe('Azure Kubernetes Service');
  });

  it('stays within the platform given in ctx', () => {
    const t = 'We copy files from S3 into Cloud Storage with the transfer service and GCS shows nothing.';
    expect(productOf(t, 'gcp')).toBe('Cloud Storage');
    expect(productOf(t, 'aws')).toBe('Amazon S3');
  });

  it('infers the platform itself when ctx has none', () => {
    expect(productOf('DynamoDB throttles our writes')).toBe('Amazon DynamoDB');
  });

  it('returns null when no service of the platform is named', () => {
    expect(productOf('Our account was billed twice', 'aws')).toBeNull();
  });
});

describe('severity', () => {
  it.each([
    ['Production is down, nobody can log in', 'urgent'],
    ['Major outage in eu-west-1 for our checkout', 'urgent'],
    ['We had data loss after the restore', 'urgent'],
    ['Customers are seeing 500 errors on checkout in production', 'high'],
    ['Elevated error rates from the API since the deploy', 'high'],
    ['How do I rotate the access keys for a service account?', 'low'],
    ['Feature request: allow tags on snapshots', 'low'],
    ['Not urgent, but the docs page for Cloud Run jobs has a broken link', 'low'],
    ['The nightly export finished later than usual', 'normal'],
  ])('%s → %s', (text, expected) => {
    expect(severityOf(text)).toBe(expected);
  });
});

describe('asset_ids', () => {
  it('finds GCP project ids after "project" and in console URLs', () => {
    const t = 'In project acme-prod-123 the job fails; see https://console.cloud.google.com/bigquery?project=data-lake-42&ws=1';
    expect(assetsOf(t)).toEqual(['acme-prod-123', 'data-lake-42']);
  });

  it('ignores ordinary words after "project"', () => {
    expect(assetsOf('The project settings page is blank')).toEqual([]);
  });

  it('keeps an ARN whole and does not repeat the account inside it', () => {
    const t = 'Role arn:aws:iam::123456789012:role/deployer cannot assume; account 210987654321 is the target.';
    expect(assetsOf(t)).toEqual(['arn:aws:iam::123456789012:role/deployer', '210987654321']);
  });

  it('finds EC2 instance ids and other AWS resource ids', () => {
    expect(assetsOf('i-0abc123def4567890 and i-1234abcd lost sg-0a1b2c3d4e5f67890')).toEqual([
      'i-0abc123def4567890',
      'i-1234abcd',
      'sg-0a1b2c3d4e5f67890',
    ]);
  });

  it('treats subscription GUIDs as assets but correlation ids not', () => {
    const t = 'Subscription 1b2c3d4e-1111-2222-3333-444455556666 fails; correlation id: 9d9d9d9d-aaaa-bbbb-cccc-444455556666';
    expect(assetsOf(t)).toEqual(['1b2c3d4e-1111-2222-3333-444455556666']);
  });

  it('keeps an Azure resource id whole', () => {
    const id =
      '/subscriptions/0f0f0f0f-1111-2222-3333-444455556666/resourceGroups/rg-prod/providers/Microsoft.DocumentDB/databaseAccounts/acct1';
    expect(assetsOf(`Failover broke ${id}.`)).toEqual([id]);
  });

  it('de-duplicates and returns [] when there is nothing', () => {
    expect(assetsOf('project acme-prod-123 and again project acme-prod-123')).toEqual(['acme-prod-123']);
    expect(assetsOf('Nothing to see here')).toEqual([]);
  });
});

describe('technical_details', () => {
  it('lists the details that are present', () => {
    const d = detailsOf(
      'Since 2024-05-01 10:32 UTC our Lambda in us-east-1 fails with "AccessDeniedException: not authorized to perform s3:GetObject". Runtime python3.12.',
      { platform: 'aws', product: 'AWS Lambda' },
    );
    expect(d.present).toContain('region: us-east-1');
    expect(d.present).toContain('timestamp: 2024-05-01 10:32 UTC');
    expect(d.present.some((p) => p.startsWith('error message: "AccessDeniedException'))).toBe(true);
    expect(d.present).toContain('runtime: python3.12');
    expect(d.missing).not.toContain('region');
    expect(d.missing).not.toContain('exact error message');
    expect(d.missing).toContain('request id');
  });

  it('asks for what an engineer needs for the product when it is absent', () => {
    const d = detailsOf('Our GKE workloads are failing after the weekend', { platform: 'gcp', product: 'GKE' });
    expect(d.present).toEqual([]);
    expect(d.missing).toEqual(
      expect.arrayContaining(['exact error message', 'region', 'GCP project id', 'Kubernetes version', 'cluster name']),
    );
  });

  it('recognises stack traces and query plans', () => {
    const trace = 'Job crashed:\nTraceback (most recent call last):\n  File "main.py", line 12, in <module>\nValueError: bad';
    expect(detailsOf(trace).present).toContain('stack trace');
    const plan = 'Query is slow. EXPLAIN ANALYZE shows Seq Scan on orders (cost=0.00..431.00)';
    expect(detailsOf(plan, { platform: 'aws', product: 'Amazon RDS' }).present).toContain('query plan');
  });

  it('resolves a product alias given in ctx', () => {
    // "Amazon S3" and "S3" are the same entry: storage needs a request id.
    const d = detailsOf('Uploads fail with 403 in eu-west-1', { platform: 'aws', product: 'S3' });
    expect(d.missing).toContain('request id');
  });
});

describe('wire format', () => {
  const corpus = [
    'Production is down! EC2 i-0abc123def4567890 in us-east-1, account 123456789012, "Connection refused".',
    'How do I partition tables in BigQuery for project acme-prod-123?',
    'Customers see 502 from AKS prod-aks-01 in westeurope, subscription 1b2c3d4e-1111-2222-3333-444455556666',
    'Cloudflare Workers return error 1101',
    '',
  ];
  it('every answer matches the task wire schema', () => {
    for (const text of corpus) {
      for (const task of TASK_IDS) {
        const ans = heuristicAnswer(task, text, { platform: null, product: null });
        expect(WIRE_SCHEMAS[task].safeParse(ans).success, `${task} on "${text}"`).toBe(true);
      }
    }
  });
});
