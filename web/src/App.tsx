import { useEffect } from 'react';
import { Layout } from './components/Layout';
import { ClaimPage } from './pages/Claim';
import { EraPage } from './pages/Era';
import { KpiPage } from './pages/Kpis';
import { QueuePage } from './pages/Queue';
import { RulesPage } from './pages/Rules';
import { SearchPage } from './pages/Search';
import { SignIn } from './pages/SignIn';
import { StuckPage } from './pages/Stuck';
import { UnmatchedPage } from './pages/Unmatched';
import { UsersPage } from './pages/Users';
import { match, Router, useRouter } from './router';
import { SessionGate, useSession } from './session';

function Pages() {
  const { path } = useRouter();
  const { session } = useSession();
  const supervisor = session.user.role !== 'biller';
  // A new page moves focus to its content, as a full page load would (screen readers announce it).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every path change by design
  useEffect(() => {
    document.getElementById('main')?.focus();
  }, [path]);
  const claim = match('/claim/:id', path);
  if (claim) return <ClaimPage key={claim.id} id={claim.id as string} />;
  if (path === '/' || path === '/queue') return <QueuePage />;
  if (path === '/search') return <SearchPage />;
  if (supervisor) {
    if (path === '/stuck') return <StuckPage />;
    if (path === '/unmatched') return <UnmatchedPage />;
    if (path === '/era') return <EraPage />;
    if (path === '/dashboard') return <KpiPage />;
    if (path === '/rules') return <RulesPage />;
    if (path === '/users') return <UsersPage />;
  }
  return (
    <Layout title="Page not found">
      <p>There is no such page{supervisor ? '' : ' for your role'}.</p>
    </Layout>
  );
}

export function App() {
  return (
    <Router>
      <SessionGate signIn={(p) => <SignIn {...p} />}>
        <Pages />
      </SessionGate>
    </Router>
  );
}
