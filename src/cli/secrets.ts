// The CLI process's one scrubber: it knows the keys in the environment from the start, the runtime
// adds the keychain's as it resolves them (cliRuntime passes it in), and commands that need no
// runtime (import, export, reviews) ask for the stored keys with `learnStoredKeys`. Everything the
// process writes to stdout and stderr passes it (`guardOutput`, installed by main).
import { Scrubber } from '#core/secrets/scrub.ts';
import { KEY_PROVIDERS, resolveKey } from '#core/secrets/secretStore.ts';
import { KEY_ENV_NAMES } from '#shared/providers.ts';
import { cliSecretStore } from './context.ts';

export const cliScrubber = new Scrubber(KEY_ENV_NAMES.map((k) => process.env[k]));

/** Adds the keys kept in the OS keychain (best effort: an unreadable keychain holds nothing to hide). */
export async function learnStoredKeys(): Promise<Scrubber> {
  const store = cliSecretStore();
  for (const p of KEY_PROVIDERS) {
    const r = await resolveKey(p, process.env, store).catch(() => null);
    cliScrubber.add(r?.key);
  }
  return cliScrubber;
}

type Write = (chunk: unknown, encoding?: unknown, cb?: unknown) => boolean;

/** Makes every write to stdout and stderr pass the scrubber (once per process). */
export function guardOutput(scrubber: Scrubber = cliScrubber): void {
  for (const stream of [process.stdout, process.stderr] as Array<NodeJS.WriteStream & { __scrubbed?: true }>) {
    if (stream.__scrubbed) continue;
    stream.__scrubbed = true;
    const write = stream.write.bind(stream) as Write;
    (stream as { write: Write }).write = (chunk, encoding, cb) => {
      if (scrubber.size > 0) {
        if (typeof chunk === 'string') chunk = scrubber.scrubKnown(chunk);
        else if (chunk instanceof Uint8Array) {
          const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
          if (scrubber.has(text)) chunk = scrubber.scrubKnown(text);
        }
      }
      return write(chunk, encoding, cb);
    };
  }
}
