import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { Layout } from '../components/Layout';
import { countdown, money, statusLabel, urgency } from '../lib/format';
import { problemView } from '../lib/problems';
import { Link } from '../router';
import { useSession } from '../session';

/** The supervisor's stuck list: escalations, deadlines this week, review SLA, untouched, failing activities. */
export function StuckPage() {
  const { practiceId } = useSession();
  const stuck = useQuery({
    queryKey: ['stuck', practiceId],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/claims/stuck', {
        params: { query: { ...(practiceId ? { practiceId } : {}), nearDeadlineDays: 7 } },
      });
      if (!data) throw new Error(problemView(response.status, error).message);
      return data;
    },
  });
  return (
    <Layout title="Stuck claims">
      {stuck.isPending && <p role="status">Loading…</p>}
      {stuck.isError && <p role="alert">{stuck.error.message}</p>}
      {stuck.data && (
        <table>
          <caption>
            {stuck.data.items.length} stuck claim{stuck.data.items.length === 1 ? '' : 's'} (
            {stuck.data.activityCheck.described} workflows checked for failing activities)
          </caption>
          <thead>
            <tr>
              <th scope="col">Claim</th>
              <th scope="col">Practice</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Open balance
              </th>
              <th scope="col">Deadline</th>
              <th scope="col">Why it is stuck</th>
              <th scope="col">Workflow</th>
            </tr>
          </thead>
          <tbody>
            {stuck.data.items.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/claim/${c.id}`}>{c.claimId}</Link>
                </td>
                <td>{c.practiceId}</td>
                <td>{statusLabel(c.status)}</td>
                <td className="num">{money(c.openBalanceCents)}</td>
                <td>
                  <span className={`deadline ${urgency(c.nextDeadline)}`}>{countdown(c.nextDeadline)}</span>
                </td>
                <td>
                  <ul className="reasons">
                    {c.reasons.map((r) => (
                      <li key={r.code}>
                        <strong>{statusLabel(r.code)}</strong>: {r.detail}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <a href={c.temporalUiUrl} target="_blank" rel="noreferrer">
                    Temporal UI<span className="visually-hidden"> for claim {c.claimId}</span>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
