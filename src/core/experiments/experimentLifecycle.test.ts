// Workbench experiments read "today" from the runtime's clock, as Settings, Compare and the CLI do:
// a model whose shutdown date has passed on that clock is refused with its replacement named, and
// a deprecated one is warned about with its date.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../runtime.ts';
import { openStore } from '../store/store.ts';
import { createExperimentLive } from './experimentLive.ts';

async function liveAt(day: Date) {
  const rt = await createRuntime({ env: { OPENAI_API_KEY: 'sk-test-lifecycle-000000000000000000' }, secretStore: null, clock: () => day });
  const store = openStore(join(mkdtempSync(join(tmpdir(), 'cb-explife-')), 'cb.db'));
  store.upsertTicket({ id: 'T1', text: 'S3 bucket logs in account 123456789012 returns AccessDenied for Lambda writes' }, 'test');
  const live = createExperimentLive({ store, runtime: () => rt, emit: () => {}, notice: () => {} });
  return {
    live,
    close: async () => {
      live.close();
      store.close();
      await rt.close();
    },
  };
}

const setup = { models: ['openai:gpt-4o', 'openai:gpt-6.1-sol'], baseline: 'openai:gpt-6.1-sol', tickets: { kind: 'workspace' } };

describe('experiment model lifecycle in the workbench', () => {
  it('refuses a model retired on the runtime clock, naming the replacement', async () => {
    const { live, close } = await liveAt(new Date(2027, 1, 1, 12));
    try {
      await expect(live.estimate(setup as never)).rejects.toMatchObject({
        code: 'MODEL_RETIRED',
        message: expect.stringMatching(/openai:gpt-4o was shut down on 2027-01-14; use openai:gpt-6\.1-sol instead/),
      });
    } finally {
      await close();
    }
  });

  it('warns about a deprecated model with its shutdown date before it is retired', async () => {
    const { live, close } = await liveAt(new Date(2027, 0, 10, 12));
    try {
      const est = await live.estimate(setup as never);
      expect(est.warnings.join('\n')).toMatch(/openai:gpt-4o: .*2027-01-14/);
    } finally {
      await close();
    }
  });
});
