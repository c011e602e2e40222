import type { ReactNode } from 'react';
import { Link } from '../router';
import { useSession } from '../session';

/** Header (navigation, practice switcher, user and sign-out) around every signed-in page. */
export function Layout({ title, children }: { title: string; children: ReactNode }) {
  const { session, practiceId, setPracticeId, signOut } = useSession();
  const { user } = session;
  const supervisor = user.role !== 'biller';
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Denial desk</span>
        <nav aria-label="Main">
          <ul>
            <li>
              <Link to="/">Work queue</Link>
            </li>
            <li>
              <Link to="/search">Search</Link>
            </li>
            {supervisor && (
              <>
                <li>
                  <Link to="/stuck">Stuck claims</Link>
                </li>
                <li>
                  <Link to="/unmatched">Unmatched remittances</Link>
                </li>
                <li>
                  <Link to="/era">ERA upload</Link>
                </li>
                <li>
                  <Link to="/dashboard">KPIs</Link>
                </li>
                <li>
                  <Link to="/rules">Payer rules</Link>
                </li>
                <li>
                  <Link to="/users">Users</Link>
                </li>
              </>
            )}
          </ul>
        </nav>
        <label className="practice">
          Practice
          <select value={practiceId} onChange={(e) => setPracticeId(e.target.value)}>
            {user.practiceIds.length > 1 && <option value="">All my practices</option>}
            {user.practiceIds.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <span className="who">
          {user.displayName} ({user.role})
        </span>
        <button type="button" onClick={() => signOut()}>
          Sign out
        </button>
        <button type="button" className="secondary" onClick={() => signOut(true)}>
          Sign out everywhere
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <h1>{title}</h1>
        {children}
      </main>
    </>
  );
}
