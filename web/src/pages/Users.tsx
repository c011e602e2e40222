import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, idempotencyKey } from '../api/client';
import { Layout } from '../components/Layout';
import { ProblemText } from '../components/ProblemText';
import { type ProblemView, problemView } from '../lib/problems';
import { useSession } from '../session';

type Role = 'biller' | 'supervisor' | 'admin';

/** Console users of my practices; admins add users (first password and TOTP secret shown once) and disable them. */
export function UsersPage() {
  const { session } = useSession();
  const admin = session.user.role === 'admin';
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('biller');
  const [practices, setPractices] = useState<string[]>(session.user.practiceIds.slice(0, 1));
  const [created, setCreated] = useState<{ email: string; password: string; totpSecret: string | null }>();
  const [problem, setProblem] = useState<ProblemView>();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: async () => {
      const { data, error, response } = await api.GET('/users');
      if (!data) throw new Error(problemView(response.status, error).message);
      return data.items;
    },
  });
  async function add(e: FormEvent) {
    e.preventDefault();
    setProblem(undefined);
    const { data, error, response } = await api.POST('/users', {
      body: { email, displayName, role, practiceIds: practices },
      headers: { 'Idempotency-Key': idempotencyKey() },
    });
    if (!data) return setProblem(problemView(response.status, error));
    setCreated({ email, password: data.password, totpSecret: data.totpSecret });
    setEmail('');
    setDisplayName('');
    void qc.invalidateQueries({ queryKey: ['users'] });
  }
  async function disable(id: string) {
    const { error, response } = await api.DELETE('/users/{id}', { params: { path: { id } } });
    if (response.status !== 200) setProblem(problemView(response.status, error));
    void qc.invalidateQueries({ queryKey: ['users'] });
  }
  return (
    <Layout title="Users">
      <ProblemText problem={problem} />
      {users.data && (
        <table>
          <caption>Console users of my practices</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Practices</th>
              <th scope="col">Second factor</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id}>
                <td>{u.displayName}</td>
                <td>{u.email}</td>
                <td>{u.role}</td>
                <td>{u.practiceIds.join(', ')}</td>
                <td>{u.totpEnrolled ? 'TOTP' : 'none'}</td>
                <td>
                  {u.disabled ? (
                    'disabled'
                  ) : admin && u.id !== session.user.id ? (
                    <button type="button" className="secondary" onClick={() => disable(u.id)}>
                      Disable {u.displayName}
                    </button>
                  ) : (
                    'active'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {admin && (
        <form onSubmit={add} aria-labelledby="add-user-h">
          <h2 id="add-user-h">Add a user</h2>
          <label>
            Email
            <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <label>
            Name
            <input required value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          </label>
          <label>
            Role
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="biller">Biller</option>
              <option value="supervisor">Supervisor</option>
              <option value="admin">Admin</option>
            </select>
          </label>
          <fieldset>
            <legend>Practices</legend>
            {session.user.practiceIds.map((p) => (
              <label key={p} className="check">
                <input
                  type="checkbox"
                  checked={practices.includes(p)}
                  onChange={(e) =>
                    setPractices(e.target.checked ? [...practices, p] : practices.filter((x) => x !== p))
                  }
                />
                {p}
              </label>
            ))}
          </fieldset>
          <button type="submit" disabled={practices.length === 0}>
            Add user
          </button>
        </form>
      )}
      {created && (
        <section role="status" aria-labelledby="created-h" className="notice">
          <h2 id="created-h">User {created.email} added</h2>
          <p>
            First password: <code>{created.password}</code>
            {created.totpSecret && (
              <>
                {' '}
                and TOTP secret <code>{created.totpSecret}</code>
              </>
            )}
            . They are shown only now: hand them over securely.
          </p>
        </section>
      )}
    </Layout>
  );
}
