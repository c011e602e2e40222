import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { api, type ClaimDetail, idempotencyKey } from '../api/client';
import { Layout } from '../components/Layout';
import { ProblemText } from '../components/ProblemText';
import {
  CORRECTION_FIELDS,
  type CorrectionField,
  type CorrectionRow,
  correctionChanges,
} from '../lib/corrections';
import {
  actionLabel,
  categoryLabel,
  countdown,
  dateTime,
  money,
  parseDollars,
  shortDate,
  statusLabel,
  urgency,
} from '../lib/format';
import { type ProblemView, problemView, resolveDecision } from '../lib/problems';
import { useRouter } from '../router';
import { useSession } from '../session';

/** The parts of the workflow's live state the claim screen shows (documented loosely by the API). */
interface LiveView {
  status: string;
  denial?: {
    category: string;
    action: string;
    appealable: boolean;
    carcs: string[];
    rarcs: string[];
    deniedCents: number;
  };
  deadlines?: { kind: string; at: string; level?: number }[];
  appeals?: { level: number; filedAt: string; deadline: string; status: string; reason?: string }[];
  notes?: { at: string; actor: string; text: string }[];
  escalations?: string[];
  patientBalance?: { status: string; balanceCents: number };
}

/** Statuses the workflow leaves by itself soon: the claim screen refreshes faster in them. */
const TRANSIENT = new Set([
  'SUBMITTING',
  'RESUBMITTED',
  'AWAITING_ADJUDICATION',
  'DENIED',
  'PARTIAL',
  'APPEALING',
]);

type DecisionPath =
  | 'resubmit-corrected'
  | 'appeals'
  | 'appeal-decision'
  | 'write-off'
  | 'transfer-to-patient'
  | 'assign'
  | 'notes'
  | 'holds'
  | 'holds/release'
  | 'payment-plan'
  | 'patient-payments';

type DecisionState =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'pending' }
  | { kind: 'done'; text: string }
  | { kind: 'refused'; problem: ProblemView };

/**
 * One decision form: sends the API call, shows "applying" while the workflow answers 202, and the
 * workflow's refusal next to the button that caused it.
 */
/** Decisions that change the claim's state: they name the status the biller saw (409 if it moved on). */
const EXPECTS_STATUS: ReadonlySet<DecisionPath> = new Set<DecisionPath>([
  'resubmit-corrected',
  'appeals',
  'appeal-decision',
  'write-off',
  'transfer-to-patient',
  'holds',
  'holds/release',
  'payment-plan',
]);

function Decision({
  claimId,
  status,
  path,
  title,
  submitLabel,
  build,
  children,
  onApplied,
}: {
  claimId: string;
  /** The status the page shows: sent as `expectedStatus`, so a decision never acts on a state unseen. */
  status: string;
  path: DecisionPath;
  title: string;
  submitLabel: string;
  build: () => { body: unknown } | { error: string };
  children: ReactNode;
  onApplied: () => void;
}) {
  const [state, setState] = useState<DecisionState>({ kind: 'idle' });
  const headingId = `d-${path.replace('/', '-')}`;
  const errorId = `${headingId}-error`;
  async function submit(e: FormEvent) {
    e.preventDefault();
    const built = build();
    if ('error' in built) {
      setState({ kind: 'refused', problem: { status: 0, message: built.error, fieldErrors: [] } });
      return;
    }
    setState({ kind: 'sending' });
    const key = idempotencyKey();
    const body = EXPECTS_STATUS.has(path)
      ? { ...(built.body as object), expectedStatus: status }
      : built.body;
    const outcome = await resolveDecision(
      async () => {
        // Same body and Idempotency-Key on every attempt: a resend attaches to the same update.
        const { response, data, error } = await api.POST(`/claims/{id}/${path}` as '/claims/{id}/notes', {
          params: { path: { id: claimId } },
          body: body as never,
          headers: { 'Idempotency-Key': key },
        });
        return { status: response.status, body: data ?? error };
      },
      { onPending: () => setState({ kind: 'pending' }) },
    );
    if (outcome.kind === 'done') {
      setState({ kind: 'done', text: `${title}: done` });
      onApplied();
    } else if (outcome.kind === 'refused') setState({ kind: 'refused', problem: outcome.problem });
    else
      setState({
        kind: 'refused',
        problem: { status: 0, message: 'still applying: reload the claim later', fieldErrors: [] },
      });
  }
  return (
    <section className="decision" aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <form
        onSubmit={submit}
        aria-labelledby={headingId}
        aria-describedby={state.kind === 'refused' ? errorId : undefined}
      >
        {children}
        <div className="actions">
          <button type="submit" disabled={state.kind === 'sending' || state.kind === 'pending'}>
            {submitLabel}
          </button>
          <span role="status" className="status">
            {state.kind === 'sending' && 'Sending…'}
            {state.kind === 'pending' && 'Pending: the claim workflow accepted it and is still applying it…'}
            {state.kind === 'done' && state.text}
          </span>
        </div>
        {state.kind === 'refused' && <ProblemText problem={state.problem} id={errorId} />}
      </form>
    </section>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: every caller passes the control as children
    <label>
      {label}
      {children}
    </label>
  );
}

/** The claim screen: header with countdowns, lines, postings explained, timeline, notes and every decision. */
export function ClaimPage({ id }: { id: string }) {
  const qc = useQueryClient();
  const { session } = useSession();
  const { search } = useRouter();
  const claim = useQuery({
    queryKey: ['claim', id],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/claims/{id}', { params: { path: { id } } });
      if (!data)
        throw Object.assign(new Error(problemView(response.status, error).message), {
          status: response.status,
        });
      return data;
    },
    retry: false,
    // While the workflow is between human steps (submitting, waiting on the payer), keep the screen live.
    refetchInterval: (q) => (q.state.data && TRANSIENT.has(q.state.data.status) ? 5_000 : 30_000),
  });
  const events = useQuery({
    queryKey: ['claim-events', id],
    queryFn: async () => {
      const { data } = await api.GET('/claims/{id}/events', {
        params: { path: { id }, query: { limit: 500 } },
      });
      return data?.items ?? [];
    },
    enabled: claim.isSuccess,
    refetchInterval: () => (claim.data && TRANSIENT.has(claim.data.status) ? 5_000 : 30_000),
  });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['claim', id] });
    void qc.invalidateQueries({ queryKey: ['claim-events', id] });
    void qc.invalidateQueries({ queryKey: ['worklist'] });
  };
  if (claim.isPending)
    return (
      <Layout title="Claim">
        <p role="status">Loading the claim…</p>
      </Layout>
    );
  if (claim.isError)
    return (
      <Layout title="Claim not found">
        <p role="alert">{claim.error.message}</p>
      </Layout>
    );
  const c = claim.data;
  const live = (c.live ?? undefined) as LiveView | undefined;
  return (
    <Layout title={`Claim ${c.claimId}`}>
      <ClaimHeader c={c} live={live} />
      <section aria-labelledby="lines-h">
        <h2 id="lines-h">Lines</h2>
        <table>
          <caption className="visually-hidden">Claim lines</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Procedure</th>
              <th scope="col">Modifiers</th>
              <th scope="col">Units</th>
              <th scope="col">Service date</th>
              <th scope="col" className="num">
                Charge
              </th>
            </tr>
          </thead>
          <tbody>
            {c.lines.map((l) => (
              <tr key={l.lineNumber}>
                <td>{l.lineNumber}</td>
                <td>{l.procedureCode}</td>
                <td>{l.modifiers.join(', ') || '—'}</td>
                <td>{l.units}</td>
                <td>{shortDate(l.serviceDate)}</td>
                <td className="num">{money(l.chargeCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="postings-h">
        <h2 id="postings-h">Postings</h2>
        {c.postings.length === 0 && <p>No remittance posted yet.</p>}
        {c.postings.map((p) => (
          <article key={p.id} className="posting" aria-label={`Posting of ${shortDate(p.paymentDate)}`}>
            <h3>
              {p.isReversal ? 'Reversal' : 'Payment'} of {shortDate(p.paymentDate)}: paid {money(p.paidCents)}{' '}
              of {money(p.chargeCents)}, patient {money(p.patientResponsibilityCents)}
            </h3>
            <p>
              Trace {p.traceNumber}, payer claim number {p.payerClaimNumber ?? '—'}
            </p>
            {p.remarks.length > 0 && (
              <ul>
                {p.remarks.map((r) => (
                  <li key={r.code}>
                    Remark {r.code}: {r.text}
                  </li>
                ))}
              </ul>
            )}
            {p.adjustments.length > 0 && (
              <table>
                <caption>Adjustments</caption>
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Group</th>
                    <th scope="col">Reason</th>
                    <th scope="col">What it means</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {p.adjustments.map((a, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: adjustments have no id and never reorder
                    <tr key={i}>
                      <td>{a.lineNumber ?? 'claim'}</td>
                      <td>{a.group}</td>
                      <td>{a.reason.code}</td>
                      <td>
                        {a.reason.text}
                        {a.remarks.map((r) => (
                          <span key={r.code} className="remark">
                            {' '}
                            ({r.code}: {r.text})
                          </span>
                        ))}
                      </td>
                      <td className="num">{money(a.amountCents)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </article>
        ))}
      </section>
      <Decisions
        c={c}
        live={live}
        me={session.user.id}
        onApplied={refresh}
        focusNote={search.includes('note=1')}
      />
      <section aria-labelledby="notes-h">
        <h2 id="notes-h">Notes</h2>
        {(live?.notes ?? []).length === 0 ? (
          <p>No notes.</p>
        ) : (
          <ul>
            {live?.notes?.map((n) => (
              <li key={`${n.at}${n.actor}`}>
                {dateTime(n.at)}, {n.actor}: {n.text}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <ol className="timeline" aria-label="Timeline events">
          {(events.data ?? []).map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{dateTime(e.at)}</time>{' '}
              <strong>{e.kind.replaceAll('_', ' ').toLowerCase()}</strong>
              {e.fromStatus || e.toStatus ? ` ${statusLabel(e.fromStatus)} → ${statusLabel(e.toStatus)}` : ''}{' '}
              by {e.actor}
              {e.reason ? `: ${e.reason}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </Layout>
  );
}

function ClaimHeader({ c, live }: { c: ClaimDetail; live: LiveView | undefined }) {
  return (
    <section aria-labelledby="summary-h" className="claim-header">
      <h2 id="summary-h">Summary</h2>
      <dl>
        <dt>Status</dt>
        <dd>{statusLabel(c.status)}</dd>
        <dt>Practice</dt>
        <dd>{c.practiceId}</dd>
        <dt>Payer</dt>
        <dd>{c.payerId}</dd>
        <dt>Date of service</dt>
        <dd>{shortDate(c.dateOfService)}</dd>
        <dt>Charge</dt>
        <dd>{money(c.totalChargeCents)}</dd>
        <dt>Paid</dt>
        <dd>{money(c.paidCents)}</dd>
        <dt>Adjusted</dt>
        <dd>{money(c.adjustmentCents)}</dd>
        <dt>Patient responsibility</dt>
        <dd>{money(c.patientResponsibilityCents)}</dd>
        <dt>Open balance</dt>
        <dd>{money(c.openBalanceCents)}</dd>
        <dt>Denial</dt>
        <dd>{categoryLabel(c.denialCategory)}</dd>
        <dt>Recommended action</dt>
        <dd>{actionLabel(c.recommendedAction)}</dd>
        <dt>Assigned to</dt>
        <dd>{c.assignedTo ?? 'unassigned'}</dd>
        <dt>Next deadline</dt>
        <dd>
          <span className={`deadline ${urgency(c.nextDeadline)}`}>
            {shortDate(c.nextDeadline)} ({countdown(c.nextDeadline)})
          </span>
        </dd>
      </dl>
      {live?.deadlines && live.deadlines.length > 0 && (
        <>
          <h3>Deadlines</h3>
          <ul>
            {live.deadlines.map((d) => (
              <li key={`${d.kind}${d.level ?? ''}`}>
                {d.kind.replaceAll('_', ' ').toLowerCase()}
                {d.level ? ` (level ${d.level})` : ''}: {shortDate(d.at)},{' '}
                <span className={`deadline ${urgency(d.at)}`}>{countdown(d.at)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {c.escalated && (
        <p className="notice">
          Escalated{live?.escalations?.length ? `: ${live.escalations.join('; ')}` : ''}
        </p>
      )}
      {c.liveError && <p className="notice">{c.liveError}</p>}
      <p>
        <a href={c.temporalUiUrl} target="_blank" rel="noreferrer">
          Open the claim workflow in the Temporal UI
        </a>
      </p>
    </section>
  );
}

function Decisions({
  c,
  live,
  me,
  onApplied,
  focusNote,
}: {
  c: ClaimDetail;
  live: LiveView | undefined;
  me: string;
  onApplied: () => void;
  focusNote: boolean;
}) {
  const [reason, setReason] = useState('');
  const [rows, setRows] = useState<CorrectionRow[]>([{ field: 'procedureCode', line: 0, value: '' }]);
  const [grounds, setGrounds] = useState('');
  const [outcome, setOutcome] = useState<'overturned' | 'upheld'>('overturned');
  const [appealReason, setAppealReason] = useState('');
  const [writeOffCode, setWriteOffCode] = useState('SMALL_BALANCE');
  const [writeOffNote, setWriteOffNote] = useState('');
  const [transferReason, setTransferReason] = useState('');
  const [waiver, setWaiver] = useState(false);
  const [assignee, setAssignee] = useState(me);
  const [note, setNote] = useState('');
  const [holdReason, setHoldReason] = useState('FINANCIAL_ASSISTANCE');
  const [installment, setInstallment] = useState('');
  const [interval, setInterval] = useState('30');
  const [firstDue, setFirstDue] = useState(new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
  const [payAmount, setPayAmount] = useState('');
  const [payRef, setPayRef] = useState('');
  const [payMethod, setPayMethod] = useState('card');
  const noteRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (focusNote) noteRef.current?.focus();
  }, [focusNote]);
  const common = { claimId: c.id, status: live?.status ?? c.status, onApplied };
  const cents = (v: string) => parseDollars(v);
  return (
    <section aria-labelledby="decisions-h">
      <h2 id="decisions-h">Decisions</h2>
      {live?.denial && (
        <p>
          Denied {money(live.denial.deniedCents)} for {categoryLabel(live.denial.category)} (CARC{' '}
          {live.denial.carcs.join(', ')}
          {live.denial.rarcs.length ? `; RARC ${live.denial.rarcs.join(', ')}` : ''}):{' '}
          <strong>{actionLabel(live.denial.action)}</strong>
          {live.denial.appealable ? '' : ' (not appealable)'}
        </p>
      )}
      <div className="decisions">
        <Decision
          {...common}
          path="resubmit-corrected"
          title="Correct and resubmit"
          submitLabel="Resubmit corrected claim"
          build={() => {
            const r = correctionChanges(rows);
            if ('error' in r) return { error: `change ${r.row + 1}: ${r.error}` };
            return { body: { reason, changes: r.changes } };
          }}
        >
          <Field label="Reason for the correction">
            <input value={reason} onChange={(e) => setReason(e.target.value)} required />
          </Field>
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are only appended, never reordered
            <fieldset key={`row-${i}`} className="inline">
              <legend>Change {i + 1}</legend>
              <Field label="Field">
                <select
                  value={row.field}
                  onChange={(e) =>
                    setRows(
                      rows.map((r, j) => (j === i ? { ...r, field: e.target.value as CorrectionField } : r)),
                    )
                  }
                >
                  {CORRECTION_FIELDS.map((f) => (
                    <option key={f.field} value={f.field}>
                      {f.label}
                    </option>
                  ))}
                </select>
              </Field>
              {CORRECTION_FIELDS.find((f) => f.field === row.field)?.perLine && (
                <Field label="Line">
                  <select
                    value={row.line}
                    onChange={(e) =>
                      setRows(rows.map((r, j) => (j === i ? { ...r, line: Number(e.target.value) } : r)))
                    }
                  >
                    {c.lines.map((l, idx) => (
                      <option key={l.lineNumber} value={idx}>
                        {l.lineNumber} ({l.procedureCode})
                      </option>
                    ))}
                  </select>
                </Field>
              )}
              <Field label="New value">
                <input
                  value={row.value}
                  onChange={(e) =>
                    setRows(rows.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))
                  }
                />
              </Field>
            </fieldset>
          ))}
          <button
            type="button"
            className="secondary"
            onClick={() => setRows([...rows, { field: 'procedureCode', line: 0, value: '' }])}
          >
            Add a change
          </button>
        </Decision>
        <Decision
          {...common}
          path="appeals"
          title="File an appeal"
          submitLabel="File appeal"
          build={() => ({ body: { grounds, attachments: [] } })}
        >
          <Field label="Grounds for the appeal">
            <textarea value={grounds} onChange={(e) => setGrounds(e.target.value)} required rows={3} />
          </Field>
        </Decision>
        <Decision
          {...common}
          path="appeal-decision"
          title="Record the appeal decision"
          submitLabel="Record appeal decision"
          build={() => ({ body: { outcome, ...(appealReason ? { reason: appealReason } : {}) } })}
        >
          <Field label="Outcome">
            <select value={outcome} onChange={(e) => setOutcome(e.target.value as 'overturned' | 'upheld')}>
              <option value="overturned">Overturned (the payer will pay)</option>
              <option value="upheld">Upheld (denial stands)</option>
            </select>
          </Field>
          <Field label="Payer's reason (optional)">
            <input value={appealReason} onChange={(e) => setAppealReason(e.target.value)} />
          </Field>
        </Decision>
        <Decision
          {...common}
          path="write-off"
          title="Write off"
          submitLabel="Write off balance"
          build={() => ({
            body: { reasonCode: writeOffCode, ...(writeOffNote ? { note: writeOffNote } : {}) },
          })}
        >
          <Field label="Write-off reason">
            <select value={writeOffCode} onChange={(e) => setWriteOffCode(e.target.value)}>
              {[
                'SMALL_BALANCE',
                'TIMELY_FILING',
                'BAD_DEBT',
                'NON_COVERED',
                'ADMINISTRATIVE',
                'BUNDLED',
                'CHARITY',
              ].map((r) => (
                <option key={r} value={r}>
                  {statusLabel(r)}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Write-off note">
            <input value={writeOffNote} onChange={(e) => setWriteOffNote(e.target.value)} />
          </Field>
        </Decision>
        <Decision
          {...common}
          path="transfer-to-patient"
          title="Transfer to patient"
          submitLabel="Transfer to patient"
          build={() => ({ body: { reason: transferReason, waiverOnFile: waiver } })}
        >
          <Field label="Transfer reason">
            <input value={transferReason} onChange={(e) => setTransferReason(e.target.value)} required />
          </Field>
          <label className="check">
            <input type="checkbox" checked={waiver} onChange={(e) => setWaiver(e.target.checked)} /> Signed
            waiver (ABN) on file
          </label>
        </Decision>
        <Decision
          {...common}
          path="assign"
          title="Assign"
          submitLabel="Assign"
          build={() => ({ body: { assignee: assignee.trim() || null } })}
        >
          <Field label="Assignee (empty unassigns)">
            <input value={assignee} onChange={(e) => setAssignee(e.target.value)} />
          </Field>
        </Decision>
        <Decision
          {...common}
          path="notes"
          title="Add a note"
          submitLabel="Add note"
          build={() => ({ body: { text: note } })}
        >
          <Field label="Note">
            <textarea
              ref={noteRef}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              required
              rows={3}
            />
          </Field>
        </Decision>
        <Decision
          {...common}
          path="holds"
          title="Place a dunning hold"
          submitLabel="Place hold"
          build={() => ({ body: { reason: holdReason } })}
        >
          <Field label="Hold reason">
            <select value={holdReason} onChange={(e) => setHoldReason(e.target.value)}>
              {['FINANCIAL_ASSISTANCE', 'DISPUTE', 'BANKRUPTCY', 'DECEASED', 'OTHER'].map((r) => (
                <option key={r} value={r}>
                  {statusLabel(r)}
                </option>
              ))}
            </select>
          </Field>
        </Decision>
        <Decision
          {...common}
          path="holds/release"
          title="Release the dunning hold"
          submitLabel="Release hold"
          build={() => ({ body: { reason: holdReason } })}
        >
          <p className="help">Releases the hold of the reason chosen above.</p>
        </Decision>
        <Decision
          {...common}
          path="payment-plan"
          title="Payment plan"
          submitLabel="Set up payment plan"
          build={() => {
            const c2 = cents(installment);
            if (!c2) return { error: 'the installment must be a dollar amount' };
            return { body: { installmentCents: c2, intervalDays: Number(interval), firstDueDate: firstDue } };
          }}
        >
          <Field label="Installment ($)">
            <input value={installment} inputMode="decimal" onChange={(e) => setInstallment(e.target.value)} />
          </Field>
          <Field label="Every (days)">
            <input value={interval} inputMode="numeric" onChange={(e) => setInterval(e.target.value)} />
          </Field>
          <Field label="First due date">
            <input type="date" value={firstDue} onChange={(e) => setFirstDue(e.target.value)} />
          </Field>
        </Decision>
        <Decision
          {...common}
          path="patient-payments"
          title="Patient payment"
          submitLabel="Record patient payment"
          build={() => {
            const c2 = cents(payAmount);
            if (!c2) return { error: 'the amount must be a dollar amount' };
            return {
              body: {
                amountCents: c2,
                reference: payRef || `console-${crypto.randomUUID()}`,
                method: payMethod,
              },
            };
          }}
        >
          <Field label="Amount ($)">
            <input value={payAmount} inputMode="decimal" onChange={(e) => setPayAmount(e.target.value)} />
          </Field>
          <Field label="Receipt reference">
            <input value={payRef} onChange={(e) => setPayRef(e.target.value)} />
          </Field>
          <Field label="Method">
            <select value={payMethod} onChange={(e) => setPayMethod(e.target.value)}>
              {['card', 'check', 'cash', 'ach', 'portal'].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </Field>
        </Decision>
      </div>
    </section>
  );
}
