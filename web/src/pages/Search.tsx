import { type FormEvent, useState } from 'react';
import { api } from '../api/client';
import { Layout } from '../components/Layout';
import { ProblemText } from '../components/ProblemText';
import { money, shortDate, statusLabel } from '../lib/format';
import { type ProblemView, problemView } from '../lib/problems';
import { Link } from '../router';
import { useSession } from '../session';

type Found = {
  id: string;
  claimId: string;
  patientName: string;
  payerId: string;
  status: string;
  dateOfService: string;
  openBalanceCents: number;
};

/**
 * Search by claim id, patient control number, payer claim number, patient name or birth date. The
 * query is sent in a POST body and kept out of the address bar, so a patient's name never lands in
 * browser history or an access log.
 */
export function SearchPage() {
  const { practiceId } = useSession();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Found[]>();
  const [problem, setProblem] = useState<ProblemView>();
  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(undefined);
    const { data, error, response } = await api.POST('/claims/search', {
      body: { q, ...(practiceId ? { practiceId } : {}) },
    });
    if (!data) {
      setProblem(problemView(response.status, error));
      setItems(undefined);
    } else setItems(data.items);
  }
  return (
    <Layout title="Search claims">
      <search>
        <form onSubmit={submit} aria-label="Search claims">
          <label>
            Claim id, payer claim number, patient name or birth date
            <input type="search" value={q} minLength={2} required onChange={(e) => setQ(e.target.value)} />
          </label>
          <button type="submit">Search</button>
        </form>
      </search>
      <ProblemText problem={problem} />
      {items && (
        <table>
          <caption>
            {items.length} claim{items.length === 1 ? '' : 's'} found
          </caption>
          <thead>
            <tr>
              <th scope="col">Claim</th>
              <th scope="col">Patient</th>
              <th scope="col">Payer</th>
              <th scope="col">Service date</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Open balance
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/claim/${c.id}`}>{c.claimId}</Link>
                </td>
                <td>{c.patientName}</td>
                <td>{c.payerId}</td>
                <td>{shortDate(c.dateOfService)}</td>
                <td>{statusLabel(c.status)}</td>
                <td className="num">{money(c.openBalanceCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
