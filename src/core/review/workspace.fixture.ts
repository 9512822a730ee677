// A small recorded experiment for the review tests (core and CLI): six tickets, three models, all
// five tasks, one failed answer. Not used by the app.
import type { TaskResult } from '#shared/results.ts';
import type { TaskId } from '#shared/tasks.ts';
import { openStore, type Store } from '../store/store.ts';

export const BASE = 'openai:gpt-4o';
export const SMALL = 'groq:llama-3.1-8b-instant';
export const LARGE = 'groq:llama-3.3-70b-versatile';
export const MODELS = [BASE, SMALL, LARGE] as const;
export const RUN = 'experiment-fixture';

const result = (task: TaskId, value: unknown, spec: string, over: Partial<TaskResult> = {}): TaskResult => {
  const [provider, model] = [spec.slice(0, spec.indexOf(':')), spec.slice(spec.indexOf(':') + 1)];
  return {
    task,
    status: 'ok',
    value,
    raw: JSON.stringify(value),
    provider,
    model,
    promptVersion: 'v1',
    startedMs: 0,
    endedMs: 100,
    latencyMs: 100,
    ttftMs: null,
    queueTimeMs: null,
    providerTotalMs: null,
    inputTokens: 100,
    outputTokens: 10,
    cachedTokens: null,
    reasoningTokens: null,
    costUsd: 0.0001,
    attempts: 1,
    error: null,
    ...over,
  };
};

type Answers = Record<TaskId, unknown>;
const td = (present: string[], missing: string[] = []): { present: string[]; missing: string[] } => ({ present, missing });

/** Per ticket, per model: the five answers. The small model errs on asset ids and severity. */
export const ANSWERS: Record<string, Record<string, Answers>> = {
  T1: {
    [BASE]: {
      platform: 'aws',
      product: 'S3',
      severity: 'high',
      asset_ids: ['123456789012'],
      technical_details: td(['error message', 'account id']),
    },
    [SMALL]: {
      platform: 'aws',
      product: 'S3',
      severity: 'urgent',
      asset_ids: ['my-project-123'],
      technical_details: td(['error message']),
    },
    [LARGE]: {
      platform: 'aws',
      product: 'S3',
      severity: 'high',
      asset_ids: ['123456789012'],
      technical_details: td(['error message', 'account id']),
    },
  },
  T2: {
    [BASE]: { platform: 'gcp', product: 'GKE', severity: 'urgent', asset_ids: ['acme-prod'], technical_details: td(['error message']) },
    [SMALL]: { platform: 'gcp', product: 'Compute Engine', severity: 'normal', asset_ids: [], technical_details: td([]) },
    [LARGE]: {
      platform: 'gcp',
      product: 'GKE',
      severity: 'urgent',
      asset_ids: ['acme-prod'],
      technical_details: td(['error message', 'region']),
    },
  },
  T3: {
    [BASE]: { platform: 'azure', product: 'Storage', severity: 'low', asset_ids: ['store3'], technical_details: td([]) },
    [SMALL]: { platform: 'azure', product: 'Storage', severity: 'low', asset_ids: ['my-project-123'], technical_details: td([]) },
    [LARGE]: { platform: 'azure', product: 'Storage', severity: 'normal', asset_ids: ['store3'], technical_details: td([]) },
  },
  T4: {
    [BASE]: { platform: 'gcp', product: 'BigQuery', severity: 'normal', asset_ids: ['data-4'], technical_details: td(['error message']) },
    [SMALL]: { platform: 'gcp', product: 'BigQuery', severity: 'high', asset_ids: ['data-4'], technical_details: td(['error message']) },
    [LARGE]: { platform: 'gcp', product: 'BigQuery', severity: 'normal', asset_ids: ['data-4'], technical_details: td(['error message']) },
  },
  T5: {
    [BASE]: { platform: 'aws', product: 'Lambda', severity: 'high', asset_ids: [], technical_details: td(['runtime']) },
    [SMALL]: { platform: 'aws', product: 'Lambda', severity: 'high', asset_ids: [], technical_details: td(['runtime']) },
    [LARGE]: { platform: 'aws', product: 'Lambda', severity: 'high', asset_ids: [], technical_details: td(['runtime']) },
  },
  T6: {
    [BASE]: { platform: 'aws', product: 'EC2', severity: 'normal', asset_ids: ['i-0abc'], technical_details: td([]) },
    [SMALL]: { platform: 'aws', product: 'EC2', severity: 'normal', asset_ids: ['i-0abc'], technical_details: td([]) },
    [LARGE]: { platform: 'aws', product: 'EC2', severity: 'normal', asset_ids: ['i-0abc'], technical_details: td([]) },
  },
};

const TEXTS: Record<string, string> = {
  T1: 'S3 bucket logs-1 in account 123456789012 returns AccessDenied since 09:00.',
  T2: 'Our production GKE cluster in project acme-prod is down; pods fail with ImagePullBackOff.',
  T3: 'How do I rotate the keys of Azure Storage account store3? Not urgent.',
  T4: 'BigQuery query in project data-4 takes 10 minutes since yesterday, "Resources exceeded".',
  T5: 'Lambda function times out after the Node 22 runtime update.',
  T6: 'EC2 instance i-0abc does not boot after resizing.',
};

/** Records the fixture experiment into `store` (T6's small-model platform answer failed). */
export function seedExperiment(store: Store): void {
  store.createRun({ id: RUN, kind: 'experiment', label: 'fixture', assignment: {}, config: { models: [...MODELS], baseline: BASE } });
  for (const [ticketId, byModel] of Object.entries(ANSWERS)) {
    store.upsertTicket({ id: ticketId, text: TEXTS[ticketId]! }, 'fixture.jsonl');
    store.setRunTicket(RUN, ticketId, 'done', 500);
    for (const [spec, answers] of Object.entries(byModel)) {
      for (const [task, value] of Object.entries(answers) as Array<[TaskId, unknown]>) {
        const failed = ticketId === 'T6' && spec === SMALL && task === 'platform';
        store.saveResult(
          RUN,
          ticketId,
          spec,
          failed
            ? result(task, null, spec, { status: 'error', error: { code: 'INVALID_OUTPUT', message: 'not JSON' } })
            : result(task, value, spec),
        );
      }
    }
  }
  store.setRunStatus(RUN, 'done');
}

/** A fresh database file with the fixture experiment recorded. */
export function fixtureStore(path: string): Store {
  const store = openStore(path);
  seedExperiment(store);
  return store;
}
