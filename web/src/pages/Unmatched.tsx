import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, idempotencyKey, type UnmatchedItem } from '../api/client';
import { Layout } from '../components/Layout';
import { ProblemText } from '../components/ProblemText';
import { money, shortDate } from '../lib/format';
import { suggestClaims } from '../lib/match';
import { type ProblemView, problemView } from '../lib/problems';
import { useSession } from '../session';

/** The unmatched remittance queue, with a dialog that suggests claims and posts the chosen match. */
export function UnmatchedPage() {
  const { practiceId } = useSession();
  const [open, setOpen] = useState<UnmatchedItem>();
  const [done, setDone] = useState('');
  const list = useQuery({
    queryKey: ['unmatched', practiceId],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/remittances/unmatched', {
        params: { query: { ...(practiceId ? { practiceId } : {}) } },
      });
      if (!data) throw new Error(problemView(response.status, error).message);
      return data.items;
    },
  });
  return (
    <Layout title="Unmatched remittances">
      <div role="status" className="status">
        {done}
      </div>
      {list.isPending && <p role="status">Loading…</p>}
      {list.isError && <p role="alert">{list.error.message}</p>}
      {list.data && (
        <table>
          <caption>
            {list.data.filter((u) => u.status === 'OPEN').length} open claim payments without a claim
          </caption>
          <thead>
            <tr>
              <th scope="col">Patient control number</th>
              <th scope="col">Payer</th>
              <th scope="col">Payer claim number</th>
              <th scope="col">Payment date</th>
              <th scope="col" className="num">
                Paid
              </th>
              <th scope="col">Why unmatched</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((u) => (
              <tr key={u.id}>
                <td>{u.patientControlNumber}</td>
                <td>{u.payerId}</td>
                <td>{u.payerClaimNumber}</td>
                <td>{shortDate(u.paymentDate)}</td>
                <td className="num">{money(u.paidCents)}</td>
                <td>{u.reason}</td>
                <td>
                  {u.status === 'OPEN' ? (
                    <button type="button" onClick={() => setOpen(u)}>
                      Match {u.patientControlNumber}
                    </button>
                  ) : (
                    `matched by ${u.matchedBy}`
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && (
        <MatchDialog
          item={open}
          onClose={(message) => {
            setOpen(undefined);
            if (message) setDone(message);
          }}
        />
      )}
    </Layout>
  );
}

function MatchDialog({ item, onClose }: { item: UnmatchedItem; onClose: (message?: string) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const qc = useQueryClient();
  const [claimUuid, setClaimUuid] = useState('');
  const [problem, setProblem] = useState<ProblemView>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const candidates = useQuery({
    queryKey: ['match-candidates', item.id],
    queryFn: async () => {
      const { data } = await api.GET('/claims', {
        params: {
          query: {
            payerId: [item.payerId],
            ...(item.practiceId ? { practiceId: item.practiceId } : {}),
            limit: 200,
          },
        },
      });
      return data?.items ?? [];
    },
  });
  const suggestions = suggestClaims(item, candidates.data ?? []);
  async function match() {
    setBusy(true);
    const { data, error, response } = await api.POST('/remittances/unmatched/{id}/match', {
      params: { path: { id: item.id } },
      body: { claimId: claimUuid },
      headers: { 'Idempotency-Key': idempotencyKey() },
    });
    setBusy(false);
    if (!data) {
      setProblem(problemView(response.status, error));
      return;
    }
    void qc.invalidateQueries({ queryKey: ['unmatched'] });
    onClose(`Matched ${item.patientControlNumber} to claim ${data.claim.claimId}`);
  }
  return (
    <dialog ref={ref} aria-labelledby="match-title" onClose={() => onClose()} className="dialog">
      <h2 id="match-title">Match payment {item.patientControlNumber}</h2>
      <p>
        {money(item.paidCents)} from {item.payerId} on {shortDate(item.paymentDate)} (payer claim{' '}
        {item.payerClaimNumber}).
      </p>
      {candidates.isPending && <p role="status">Finding claims…</p>}
      <fieldset>
        <legend>Suggested claims</legend>
        {candidates.isSuccess && suggestions.length === 0 && (
          <p>No claim of this payer looks like it; enter the claim's id below.</p>
        )}
        {suggestions.map((s) => (
          <label key={s.claim.id} className="check">
            <input
              type="radio"
              name="claim"
              value={s.claim.id}
              checked={claimUuid === s.claim.id}
              onChange={() => setClaimUuid(s.claim.id)}
            />
            {s.claim.claimId}, {money(s.claim.openBalanceCents)} open, served{' '}
            {shortDate(s.claim.dateOfService)} ({s.reasons.join('; ')})
          </label>
        ))}
      </fieldset>
      <label>
        Claim (uuid)
        <input value={claimUuid} onChange={(e) => setClaimUuid(e.target.value.trim())} />
      </label>
      <ProblemText problem={problem} />
      <div className="actions">
        <button type="button" disabled={!claimUuid || busy} onClick={match}>
          Post to this claim
        </button>
        <button type="button" className="secondary" onClick={() => ref.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
