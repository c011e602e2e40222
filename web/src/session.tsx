/** The signed-in user, the practice being worked, and sign-in/out. */
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { api, onSessionExpired, type SessionView, setCsrfToken } from './api/client';

interface SessionContextValue {
  session: SessionView;
  /** The practice the screens show; '' means every practice of the user. */
  practiceId: string;
  setPracticeId: (id: string) => void;
  signOut: (everywhere?: boolean) => Promise<void>;
}

/** Forgets every answer of the previous user (the session query itself stays observed). */
function dropServerState(qc: QueryClient): void {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function useSession(): SessionContextValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside a signed-in page');
  return v;
}

/** Loads the session; renders `signIn` without one (also after it expires), `children` with one. */
export function SessionGate({
  children,
  signIn,
}: {
  children: ReactNode;
  signIn: (opts: { onSignedIn: (s: SessionView) => void; expired: boolean }) => ReactNode;
}) {
  const qc = useQueryClient();
  const [expired, setExpired] = useState(false);
  const [practiceId, setPracticeId] = useState(() => sessionStorage.getItem('dd.practice') ?? '');
  const me = useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      const { data, response } = await api.GET('/session');
      if (response.status === 401) return null;
      if (!data) throw new Error(`GET /session answered ${response.status}`);
      return data;
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  useEffect(
    () =>
      onSessionExpired(() => {
        setCsrfToken(undefined);
        setExpired(true);
        qc.setQueryData(['session'], null);
      }),
    [qc],
  );
  useEffect(() => setCsrfToken(me.data?.csrfToken), [me.data]);

  if (me.isPending) return <p role="status">Loading…</p>;
  if (me.isError) return <p role="alert">The console cannot reach the API: {String(me.error)}</p>;
  const session = me.data;
  if (!session)
    return (
      <>
        {signIn({
          expired,
          onSignedIn: (s) => {
            setCsrfToken(s.csrfToken);
            setExpired(false);
            dropServerState(qc);
            qc.setQueryData(['session'], s);
          },
        })}
      </>
    );
  const validPractice = practiceId && session.user.practiceIds.includes(practiceId) ? practiceId : '';
  return (
    <SessionContext.Provider
      value={{
        session,
        practiceId: validPractice,
        setPracticeId: (id) => {
          sessionStorage.setItem('dd.practice', id);
          setPracticeId(id);
        },
        signOut: async (everywhere = false) => {
          if (everywhere) await api.POST('/session/sign-out-everywhere');
          else await api.DELETE('/session');
          setCsrfToken(undefined);
          dropServerState(qc);
          qc.setQueryData(['session'], null);
        },
      }}
    >
      {children}
    </SessionContext.Provider>
  );
}
