// `vega` as the workbench's plots need it: the build aliases the package `vega` to this file
// (electron.vite.config.ts), so vega-embed's lazy chunk carries no geographic projections (d3-geo's
// projection list), Voronoi/Delaunay, force layout, hierarchy, word cloud, label placement,
// regression or crossfilter. The plots (src/shared/plots) use marks, scales, axes, legends,
// selections and filter transforms only. Mirrors vega/build/vega.module.js (vega 6) minus those
// transforms and the `projection` export; re-check it when vega is upgraded.
import { transforms } from 'vega-dataflow';
import * as encode from 'vega-encode';
import * as tx from 'vega-transforms';
import { extend } from 'vega-util';
import * as vtx from 'vega-view-transforms';

extend(transforms, tx, vtx, encode);

export {
  Dataflow,
  EventStream,
  MultiPulse,
  Operator,
  Parameters,
  Pulse,
  Transform,
  changeset,
  definition,
  ingest,
  isTuple,
  transform,
  transforms,
  tupleid,
} from 'vega-dataflow';
export { codegenExpression, parseExpression } from 'vega-expression';
export { parseSelector } from 'vega-event-selector';
export {
  defaultLocale,
  numberFormatDefaultLocale as formatLocale,
  locale,
  resetDefaultLocale,
  timeFormatDefaultLocale as timeFormatLocale,
} from 'vega-format';
export { expressionFunction } from 'vega-functions';
export * from 'vega-loader';
export { parse } from 'vega-parser';
export { context as runtimeContext } from 'vega-runtime';
export { interpolate, interpolateColors, interpolateRange, quantizeInterpolator, scale, scheme } from 'vega-scale';
export * from 'vega-scenegraph';
export * from 'vega-statistics';
export * from 'vega-time';
export * from 'vega-util';
export { View } from 'vega-view';

export const version = '6.4.0';
