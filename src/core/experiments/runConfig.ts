// The config an experiment run records (runs.config, JSON): what runExperiment writes (models,
// baseline, upstream mode, ticket source, concurrency) and what the workbench adds (rpm, from).
// Read through one schema so a run written by an older or another version — a field missing or
// of another type — reads as "not recorded" instead of failing or being trusted as is.
import { z } from 'zod';

const optional = <T extends z.ZodType>(t: T) => t.optional().catch(undefined);

export const experimentRunConfigSchema = z.object({
  /** The models compared, in the run's order (anything that is not a string is left out). */
  models: z
    .array(z.unknown())
    .catch([])
    .transform((ms) => ms.filter((m): m is string => typeof m === 'string')),
  baseline: optional(z.string()),
  upstream: optional(z.string()),
  /** Where the tickets came from (a file, `workspace:<source>`): part of the run's id. */
  source: optional(z.string()),
  concurrency: optional(z.number()),
  /** The `--rpm` / Settings limits it ran with, as typed. */
  rpm: optional(z.string().nullable()),
  /** 'workbench' when the workbench ran it. */
  from: optional(z.string()),
});
export type ExperimentRunConfig = z.output<typeof experimentRunConfigSchema>;

/** A run's recorded config, read leniently (absent or damaged fields are undefined). */
export function readExperimentConfig(config: Record<string, unknown> | null | undefined): ExperimentRunConfig {
  return experimentRunConfigSchema.parse(config ?? {});
}
