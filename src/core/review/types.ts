// The review screen's types and schemas live in src/shared/review.ts (the renderer imports them);
// the core keeps importing them from here.
export * from '#shared/review.ts';
