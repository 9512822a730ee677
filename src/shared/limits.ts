// Size and count limits that both sides check: the renderer before it sends (a clear message at
// once), the host again on receipt. Plain constants, no schemas: the renderer imports this file,
// so nothing here may pull zod (or anything else heavy) into its bundle.

/** Largest ticket text (bytes). */
export const MAX_TICKET_BYTES = 1_000_000;
/** Largest ticket file the browser may upload in one request (bytes); bigger files go through a path. */
export const MAX_IMPORT_BYTES = 1_900_000;
/** Largest prompt template (characters): a shipped one is under 2,000. */
export const PROMPT_MAX_CHARS = 200_000;
/** Models in one side-by-side comparison. */
export const COMPARE_MIN_MODELS = 2;
export const COMPARE_MAX_MODELS = 6;
/** Models in one experiment set up from the workbench. */
export const EXPERIMENT_MAX_MODELS = 8;
/** Largest trace file the browser uploads in one request (bytes of text); bigger ones go by path. */
export const MAX_TRACE_UPLOAD_BYTES = 1_900_000;
