// Quantiles of latency samples. The one implementation lives in src/shared/stats/quantiles.ts so
// that the workbench's plots (which may not import src/core) and this report compute the same
// numbers; the report code keeps importing it from here.
export { latencySummary, medianSorted, quantileSorted, sortedSample } from '#shared/stats/quantiles.ts';
