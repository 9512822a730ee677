// `casebench keys`: the OS keychain. Keys are read from stdin, never from argv (shell history).
import type { Command } from 'commander';
import { AppError } from '#shared/errors.ts';
import { KEY_PROVIDERS, isKeyProvider, keyStatus, resolveKey, type SecretStore } from '#core/secrets/secretStore.ts';
import { keyEnvOf } from '#shared/providers.ts';
import { cliSecretStore } from '../context.ts';
import { cliScrubber } from '../secrets.ts';

/** The keychain, or a clear refusal when CASEBENCH_NO_KEYCHAIN=1 turned it off. */
function keychain(): SecretStore {
  const store = cliSecretStore();
  if (!store)
    throw new AppError(
      'BAD_INPUT',
      `the OS keychain is switched off (CASEBENCH_NO_KEYCHAIN=1); use ${KEY_PROVIDERS.map(keyEnvOf).join(' / ')}`,
    );
  return store;
}

async function readKey(): Promise<string> {
  const chunks: Buffer[] = [];
  if (process.stdin.isTTY) process.stderr.write('paste the key and press Enter, then Ctrl-D: ');
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('API keys in the OS keychain (GROQ_API_KEY / OPENAI_API_KEY override them)');
  keys
    .command('set <provider>')
    .description('store a key for groq or openai, read from stdin')
    .action(async (provider: string) => {
      if (!isKeyProvider(provider))
        throw new AppError('BAD_INPUT', `unknown provider \`${provider}\`; use one of ${KEY_PROVIDERS.join(', ')}`);
      const key = await readKey();
      if (!key) throw new AppError('BAD_INPUT', 'no key on stdin');
      if (/\s/.test(key)) throw new AppError('BAD_INPUT', 'the key contains white space; paste only the key');
      cliScrubber.add(key); // a keychain error quoting it prints it scrubbed
      await keychain().set(provider, key);
      process.stdout.write(`${provider}: key stored in the OS keychain (…${key.slice(-4)})\n`);
    });
  keys
    .command('delete <provider>')
    .description('remove a stored key')
    .action(async (provider: string) => {
      if (!isKeyProvider(provider))
        throw new AppError('BAD_INPUT', `unknown provider \`${provider}\`; use one of ${KEY_PROVIDERS.join(', ')}`);
      const removed = await keychain().delete(provider);
      process.stdout.write(removed ? `${provider}: key removed from the OS keychain\n` : `${provider}: no key was stored\n`);
    });
  keys
    .command('list')
    .description('which keys are set (last 4 characters only)')
    .option('--json', 'one JSON array: provider, set, last4, source (env | keychain | null), env_var, keychain_error')
    .action(async (o: { json?: boolean }) => {
      const store = cliSecretStore();
      const rows = [];
      for (const p of KEY_PROVIDERS) {
        const r = await resolveKey(p, process.env, store);
        rows.push({ ...keyStatus(r), env_var: keyEnvOf(p), keychain_error: r.keychainError ?? null });
      }
      if (o.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      for (const s of rows) {
        const where = s.source === 'env' ? ` (from ${s.env_var})` : s.source === 'keychain' ? ' (OS keychain)' : '';
        const note = s.keychain_error ? ` — ${s.keychain_error}` : '';
        process.stdout.write(`${s.provider.padEnd(7)} ${s.set ? `set …${s.last4}${where}` : 'not set'}${note}\n`);
      }
    });
}
