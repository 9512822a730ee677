// `casebench export --format jsonl|otlp|csv --out F`: the workspace as casebench JSONL
// (lossless), OTLP/JSON Lines with GenAI attributes (for any OpenTelemetry backend, LangSmith,
// Langfuse), or CSV report rows; --redact masks personal data and secrets and says what it masked.
import { existsSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { AppError } from '#shared/errors.ts';
import { outName } from '#core/outTarget.ts';
import { EXPORT_FORMATS, exportTraces, type ExportFormat } from '#core/traces/exporter.ts';
import { openStore } from '#core/store/store.ts';
import { packageVersion } from '#core/resources.ts';
import { learnStoredKeys } from '../secrets.ts';

function format(v: string): ExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${EXPORT_FORMATS.join(', ')}`);
  return v as ExportFormat;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export recorded and imported calls: casebench JSONL (lossless), OTLP/JSON Lines (GenAI semconv) or CSV report rows')
    .requiredOption('--format <format>', `one of ${EXPORT_FORMATS.join(', ')}`, format)
    .requiredOption('--out <file>', 'file to write (- for standard output)')
    .option('--db <path>', 'workspace database', './casebench.db')
    .option('--redact', 'mask e-mails, IP addresses, tokens and cloud credentials in the exported text')
    .option('--run <id...>', 'only these runs')
    .action(async (o: { format: ExportFormat; out: string; db: string; redact?: boolean; run?: string[] }) => {
      if (o.db !== ':memory:' && !existsSync(o.db)) throw new AppError('BAD_INPUT', `no workspace database at ${o.db}`);
      const store = openStore(o.db, { readOnly: true, scrubber: await learnStoredKeys() });
      try {
        const s = exportTraces(store, { format: o.format, out: o.out, redact: o.redact, runIds: o.run, version: packageVersion() });
        const what =
          o.format === 'csv'
            ? `${s.rows} rows (task × model)`
            : `${s.calls} calls, ${s.tickets} tickets, ${s.results} results${s.reviews ? `, ${s.reviews} reviews` : ''}`;
        process.stderr.write(`casebench export: ${what} → ${outName(o.out)} (${o.format})\n`);
        for (const line of s.skipped ?? []) process.stderr.write(`casebench export: ${line}\n`);
        if (s.redactionSummary !== null) process.stderr.write(`casebench export: redacted ${s.redactionSummary}\n`);
      } finally {
        store.close();
      }
    });
}
