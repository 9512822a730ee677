// The Shadow side bar: which candidate models shadow production on each task, what they have cost
// today, how often they agree with production so far (the live experiment's report), the limits
// they run within, and a link to the live experiment (report, plan, plots, tickets).
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ModelInfo } from '#shared/routes.ts';
import type { ShadowCandidateView, ShadowStatus } from '#shared/routes/shadowRoutes.ts';
import { TASK_IDS, TASKS, type TaskId } from '#shared/tasks.ts';
import { useApp } from '#renderer/app/stores.tsx';
import { EmptyState, Icon, Spinner } from '#renderer/app/ui.tsx';
import { SideBarHeader } from '../layout/SideBar.tsx';
import { describeAgreement, money } from './shadowLogic.ts';
import './shadow.css';

function CandidateRow({ c, onRemove }: { c: ShadowCandidateView; onRemove: () => void }) {
  return (
    <li className="sh-cand" data-testid="shadow-candidate" data-task={c.task} data-model={c.spec}>
      <div className="sh-cand-head">
        <span className="mono sh-spec" title={c.spec}>
          {c.spec}
        </span>
        <button
          type="button"
          className="btn icon small"
          onClick={onRemove}
          aria-label={`Stop ${c.spec} shadowing ${TASKS[c.task].label.toLowerCase()}`}
          title="Stop shadowing (its answers so far stay in the live experiment)"
        >
          <Icon name="close" />
        </button>
      </div>
      {c.sameAsProduction ? (
        <p className="small muted">is production’s model for this task: nothing to shadow</p>
      ) : (
        <p className="small sh-figures">
          <span data-testid="shadow-answered">
            <strong className="tabular">{c.answered}</strong> answered{c.failed ? ` (${c.failed} failed)` : ''}
          </span>
          <span
            data-testid="shadow-agreement"
            title={
              c.agreementCi95 ? `95 % CI ${(c.agreementCi95[0] * 100).toFixed(0)}–${(c.agreementCi95[1] * 100).toFixed(0)} %` : undefined
            }
          >
            {describeAgreement(c)}
          </span>
          {c.medianMs !== null && (
            <span title="median call time, the candidate's and production's on this task">
              {Math.round(c.medianMs)} ms{c.productionMedianMs !== null ? ` vs ${Math.round(c.productionMedianMs)} ms` : ''}
            </span>
          )}
          <span data-testid="shadow-cost" title="spent today (local day)">
            {money(c.costTodayUsd)} today{c.priceUnknown ? ' + price unknown' : ''}
          </span>
        </p>
      )}
    </li>
  );
}

export function ShadowView() {
  const { transport, stores } = useApp();
  const [st, setSt] = useState<ShadowStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [models, setModels] = useState<ModelInfo[]>([]);
  const [task, setTask] = useState<TaskId | 'all'>('product');
  const [model, setModel] = useState('');
  const [limit, setLimit] = useState('');

  const load = useCallback(async () => {
    const r = await transport.request('shadow.status', {});
    if (r.ok) {
      setSt(r.data);
      setError(null);
    } else setError(r.error.message);
  }, [transport]);
  useEffect(() => {
    void load();
    void transport.request('models.list', {}).then((r) => r.ok && setModels(r.data.filter((m) => m.status !== 'retired')));
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = transport.onEvent((e) => {
      if (e.type !== 'shadow.changed' && e.type !== 'runs.changed') return;
      timer ??= setTimeout(() => {
        timer = null;
        void load();
      }, 200);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [load, transport]);

  const act = async (p: ReturnType<typeof transport.request<'shadow.add'>>) => {
    const r = await p;
    if (r.ok) {
      setSt(r.data);
      setError(null);
    } else setError(r.error.message);
    return r.ok;
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!model) return;
    if (await act(transport.request('shadow.add', { task, model }))) setModel('');
  };
  const saveLimit = async (e: FormEvent) => {
    e.preventDefault();
    const t = limit.trim().replace(/^\$/, '');
    const v = t === '' || t === 'off' ? null : Number(t);
    if (v !== null && !(Number.isFinite(v) && v >= 0))
      return setError(`"${limit}" is not an amount in USD (e.g. 2 or 0.50; empty or "off": no limit)`);
    if (await act(transport.request('shadow.limits', { spendLimitUsd: v }))) setLimit('');
  };

  const openReport = () => {
    if (st?.runId) stores.editor.getState().actions.openRun(st.runId, 'Shadow models (live)', { preview: false });
  };

  return (
    <div className="shadow-view" data-testid="shadow-view">
      <SideBarHeader title="Shadow models">
        {st?.runId && (
          <button
            type="button"
            className="btn icon"
            onClick={openReport}
            title="Open the live experiment: report, plan, latency, tickets"
            aria-label="Open the live experiment"
            data-testid="shadow-open-report"
          >
            <Icon name="graph" />
          </button>
        )}
      </SideBarHeader>
      {error && (
        <p className="notice error" role="alert" data-testid="shadow-error">
          {error}
        </p>
      )}
      {!st ? (
        <div className="sh-loading">
          <Spinner label="Loading shadow models" />
        </div>
      ) : (
        <>
          <p className="small sh-summary" data-testid="shadow-summary">
            Today <strong className="tabular">{money(st.spentTodayUsd)}</strong>
            {st.simulatedTodayUsd > 0 ? ` (+ ${money(st.simulatedTodayUsd)} simulated)` : ''} of{' '}
            {st.spendLimitUsd === null ? 'no limit' : `${money(st.spendLimitUsd)} a day`} · {st.rpm}/min · {st.concurrency} at once
            {st.queued + st.inFlight > 0 ? ` · ${st.inFlight} running, ${st.queued} queued` : ''}
            {st.tickets ? ` · ${st.tickets} ticket${st.tickets === 1 ? '' : 's'} shadowed` : ''}
          </p>
          {st.blocked && (
            <p className="notice warn" role="status" data-testid="shadow-blocked">
              {st.blocked}
            </p>
          )}
          {st.unusable.map((u) => (
            <p key={u.spec} className="notice warn" role="status" data-testid="shadow-unusable">
              <span className="mono">{u.spec}</span> cannot be called: {u.message}
            </p>
          ))}
          {st.dropped.backlog > 0 && <p className="small muted">{st.dropped.backlog} shadow calls skipped: the backlog was full</p>}
          {st.candidates.length === 0 && (
            <EmptyState icon="eye" title="No shadow models">
              <p className="small muted">
                Add a candidate: it answers every incoming ticket beside production, off its critical path, and its agreement with
                production builds up here.
              </p>
            </EmptyState>
          )}
          {TASK_IDS.filter((t) => st.candidates.some((c) => c.task === t)).map((t) => (
            <section key={t} className="sh-task" aria-label={TASKS[t].label}>
              <h3 className="sh-task-title">
                {TASKS[t].label}{' '}
                <span className="small muted mono" title="production's model: each candidate is compared against it">
                  vs {st.production[t]}
                </span>
              </h3>
              <ul className="sh-cands">
                {st.candidates
                  .filter((c) => c.task === t)
                  .map((c) => (
                    <CandidateRow
                      key={c.spec}
                      c={c}
                      onRemove={() => void act(transport.request('shadow.remove', { task: c.task, model: c.spec }))}
                    />
                  ))}
              </ul>
            </section>
          ))}
          <form className="sh-form" onSubmit={add} aria-label="Add a shadow model">
            <select value={task} onChange={(e) => setTask(e.target.value as TaskId | 'all')} aria-label="Task" data-testid="shadow-task">
              {TASK_IDS.map((t) => (
                <option key={t} value={t}>
                  {TASKS[t].label}
                </option>
              ))}
              <option value="all">every task</option>
            </select>
            <select value={model} onChange={(e) => setModel(e.target.value)} aria-label="Model" data-testid="shadow-model">
              <option value="">model…</option>
              {models.map((m) => (
                <option key={m.spec} value={m.spec}>
                  {m.spec}
                  {m.priceKnown ? '' : ' (price unknown)'}
                </option>
              ))}
            </select>
            <button type="submit" className="btn small primary" disabled={!model} data-testid="shadow-add">
              Add
            </button>
          </form>
          <form className="sh-form" onSubmit={saveLimit} aria-label="Daily spend limit">
            <input
              value={limit}
              onChange={(e) => setLimit(e.target.value)}
              placeholder={st.spendLimitUsd === null ? 'no daily limit' : `limit ${money(st.spendLimitUsd)} a day`}
              aria-label="Shadow spend limit per day (USD)"
              inputMode="decimal"
              data-testid="shadow-limit"
            />
            <button type="submit" className="btn small" disabled={limit.trim() === ''}>
              Set limit
            </button>
          </form>
          <p className="small muted">
            Tickets from paste, files, the watched folder and the HTTP intake (Settings → Watched folder and intake) are shadowed.{' '}
            <code>casebench shadow</code> edits the same set.
          </p>
        </>
      )}
    </div>
  );
}
