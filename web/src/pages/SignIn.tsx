import { type FormEvent, useState } from 'react';
import { api, type SessionView } from '../api/client';
import { problemView } from '../lib/problems';

/** Email, password and (for accounts that use one) the authenticator app's code. */
export function SignIn({ onSignedIn, expired }: { onSignedIn: (s: SessionView) => void; expired: boolean }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const {
      data,
      error: err,
      response,
    } = await api.POST('/session', {
      body: { email, password, ...(totp ? { totp } : {}) },
    });
    setBusy(false);
    if (data) onSignedIn(data);
    else setError(problemView(response.status, err).message);
  }

  return (
    <main className="sign-in">
      <h1>Denial desk</h1>
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        {expired && (
          <p role="status" className="notice">
            Your session has ended. Sign in again to continue.
          </p>
        )}
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <label>
          Authentication code
          <input
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{6}"
            aria-describedby="totp-help"
            value={totp}
            onChange={(e) => setTotp(e.target.value.trim())}
          />
        </label>
        <p id="totp-help" className="help">
          The 6-digit code of your authenticator app (supervisors and admins always; billers when the practice
          asks).
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
