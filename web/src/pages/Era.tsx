import { type DragEvent, useState } from 'react';
import { getCsrfToken, idempotencyKey } from '../api/client';
import { Layout } from '../components/Layout';
import { ProblemText } from '../components/ProblemText';
import { type ProblemView, problemView } from '../lib/problems';

/** ERA (835) upload: drop or choose a file; a refusal lists each segment and rule. */
export function EraPage() {
  const [file, setFile] = useState<File>();
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string>();
  const [problem, setProblem] = useState<ProblemView>();

  async function upload() {
    if (!file) return;
    setBusy(true);
    setResult(undefined);
    setProblem(undefined);
    const form = new FormData();
    form.append('file', file, file.name);
    // A multipart body: the typed client's JSON body does not fit a file, so this one call uses fetch
    // with the same cookie and CSRF token the client sends.
    const res = await fetch('/remittances', {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { 'x-csrf-token': getCsrfToken() ?? '', 'Idempotency-Key': idempotencyKey() },
    });
    const body = await res.json().catch(() => ({}));
    setBusy(false);
    if (res.status === 200 || res.status === 201) {
      const b = body as {
        posted: number;
        alreadyPosted: number;
        unmatched: number;
        claims: number;
        duplicateFile: boolean;
      };
      setResult(
        `${b.duplicateFile ? 'Already received' : 'Received'}: ${b.claims} claim payments, ${b.posted} posted, ${b.alreadyPosted} already posted, ${b.unmatched} unmatched.`,
      );
    } else if (res.status === 202)
      setResult('Received: posting goes on in the background. Upload it again later for the outcome.');
    else setProblem(problemView(res.status, body));
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f) setFile(f);
  };

  return (
    <Layout title="ERA upload">
      <section
        className={`dropzone ${over ? 'over' : ''}`}
        aria-label="Drop an 835 file here"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>Drag an 835 remittance file here, or choose it.</p>
        <label>
          835 file
          <input
            type="file"
            accept=".835,.txt,.edi,.x12,text/plain"
            onChange={(e) => setFile(e.target.files?.[0])}
          />
        </label>
        {file && <p>Chosen: {file.name}</p>}
        <button type="button" disabled={!file || busy} onClick={upload}>
          {busy ? 'Uploading…' : 'Upload ERA'}
        </button>
      </section>
      <div role="status" className="status">
        {result}
      </div>
      <ProblemText problem={problem} />
    </Layout>
  );
}
