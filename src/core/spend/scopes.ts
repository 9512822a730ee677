// What a daily spend limit applies to. Every scope kind is one entry of SCOPES: its identity, its
// names, and which recorded calls count as its spend. A limit of any scope is checked before every
// call made under that scope; the workspace scope covers every call, so its limit always applies.
//
// Adding a scope (e.g. a shadow set's own limit) is:
//   1. one more member of `spendScopeSchema` in src/shared/spend.ts (the routes and the stored
//      limits read it), e.g. z.object({ kind: z.literal('shadowSet'), id: z.string() });
//   2. its entry here (TypeScript refuses the build until it exists): key, label, owner, and
//      `calls` — the SQL over `calls c JOIN runs r` selecting its calls (e.g. the runs whose
//      config names the shadow set);
//   3. the code that makes its calls uses `guard.gateFor([scope])` as its engine deps' `spend`
//      (`{ ...rt.deps, spend: guard.gateFor([{ kind: 'shadowSet', id }]) }`), so its calls are
//      checked against its limit as well as the workspace's, and charged to both.
// Limits are set with `saveLimit(store, scope, usd)` (route `spend.setLimit` takes an optional scope)
// and listed, with each scope's own spend today, by `spend.get`.
import type { SpendScope } from '#shared/spend.ts';

type Of<K extends SpendScope['kind']> = Extract<SpendScope, { kind: K }>;

interface ScopeDef<S extends SpendScope> {
  /** Identity (limits of the same key replace each other). */
  key(s: S): string;
  /** Shown in lists: "Workspace". */
  label(s: S): string;
  /** In messages: "the workspace's $5.00 limit". */
  owner(s: S): string;
  /** The recorded calls that are this scope's spend: a SQL condition over `calls c JOIN runs r`, and its parameters. */
  calls(s: S): { sql: string; params: Array<string | number> };
}

export const SCOPES: { [K in SpendScope['kind']]: ScopeDef<Of<K>> } = {
  workspace: {
    key: () => 'workspace',
    label: () => 'Workspace',
    owner: () => "the workspace's",
    calls: () => ({ sql: '1 = 1', params: [] }),
  },
};

const def = <S extends SpendScope>(s: S): ScopeDef<S> => SCOPES[s.kind] as unknown as ScopeDef<S>;

export const WORKSPACE: SpendScope = { kind: 'workspace' };
export const scopeKey = (s: SpendScope): string => def(s).key(s);
export const scopeLabel = (s: SpendScope): string => def(s).label(s);
export const scopeOwner = (s: SpendScope): string => def(s).owner(s);
export const scopeCalls = (s: SpendScope): { sql: string; params: Array<string | number> } => def(s).calls(s);
export const sameScope = (a: SpendScope, b: SpendScope): boolean => scopeKey(a) === scopeKey(b);
