import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, idempotencyKey } from '../api/client';
import { Layout } from '../components/Layout';
import { ProblemText } from '../components/ProblemText';
import { dateTime, shortDate } from '../lib/format';
import { type ProblemView, problemView } from '../lib/problems';
import { useSession } from '../session';

const PAYERS = ['MEDICARE', 'SUNSHINE-MA', 'TX-MEDICAID', 'ACME-HEALTH', 'BLUEPEAK'];

/** Payer rules: what is in force, versions with effective dates, the change log, and a change form. */
export function RulesPage() {
  const { practiceId: chosen, session } = useSession();
  const practiceId = chosen || session.user.practiceIds[0] || '';
  const qc = useQueryClient();
  const [payerId, setPayerId] = useState(PAYERS[0] as string);
  const [json, setJson] = useState('');
  const [effectiveFrom, setEffectiveFrom] = useState(new Date().toISOString().slice(0, 10));
  const [problem, setProblem] = useState<ProblemView>();
  const [saved, setSaved] = useState('');
  const rules = useQuery({
    queryKey: ['rules', payerId, practiceId],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/payers/{id}/rules', {
        params: { path: { id: payerId } },
      });
      if (!data) throw new Error(problemView(response.status, error).message);
      return data;
    },
  });
  async function save() {
    setProblem(undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      setProblem({ status: 0, message: 'the rules are not valid JSON', fieldErrors: [] });
      return;
    }
    const { data, error, response } = await api.PUT('/payers/{id}/rules', {
      params: { path: { id: payerId } },
      body: { practiceId, effectiveFrom, rules: parsed as never },
      headers: { 'Idempotency-Key': idempotencyKey() },
    });
    if (!data) setProblem(problemView(response.status, error));
    else {
      setSaved('Rule change saved');
      void qc.invalidateQueries({ queryKey: ['rules'] });
    }
  }
  const view = rules.data;
  return (
    <Layout title="Payer rules">
      <label>
        Payer
        <select value={payerId} onChange={(e) => setPayerId(e.target.value)}>
          {PAYERS.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </label>
      {rules.isError && <p role="alert">{rules.error.message}</p>}
      {view && (
        <>
          <h2>In force today</h2>
          {view.inForce.map((f) => (
            <div key={f.practiceId}>
              <h3>
                {f.practiceId} (
                {f.source === 'practice'
                  ? 'practice override'
                  : f.source === 'payer'
                    ? 'payer default'
                    : 'built-in default'}
                )
              </h3>
              <pre>{JSON.stringify(f.rules, null, 2)}</pre>
              {f.practiceId === practiceId && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setJson(JSON.stringify(f.rules, null, 2))}
                >
                  Edit a copy of {f.practiceId}'s rules
                </button>
              )}
            </div>
          ))}
          <h2>Versions</h2>
          <ul>
            {view.versions.map((v) => (
              <li key={v.id}>
                {shortDate(v.effectiveFrom)}: {v.practiceId ?? 'payer default'}, by {v.createdBy}
              </li>
            ))}
          </ul>
          <h2>Change log</h2>
          <ul>
            {view.changes.map((c) => (
              <li key={c.id}>
                {dateTime(c.at)} {c.actor}: {c.practiceId ?? 'payer default'} from{' '}
                {shortDate(c.effectiveFrom)}, {c.signalledClaims} running claims told
              </li>
            ))}
          </ul>
        </>
      )}
      <section aria-labelledby="change-h">
        <h2 id="change-h">Change the rules for {practiceId}</h2>
        <label>
          Effective from
          <input type="date" value={effectiveFrom} onChange={(e) => setEffectiveFrom(e.target.value)} />
        </label>
        <label>
          Rules (JSON)
          <textarea rows={8} value={json} onChange={(e) => setJson(e.target.value)} />
        </label>
        <button type="button" onClick={save} disabled={!json.trim()}>
          Save rule change
        </button>
        <span role="status">{saved}</span>
        <ProblemText problem={problem} />
      </section>
    </Layout>
  );
}
