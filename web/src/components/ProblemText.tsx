import type { ProblemView } from '../lib/problems';

/** A refusal or error shown next to the control that caused it (announced to screen readers). */
export function ProblemText({ problem, id }: { problem: ProblemView | undefined; id?: string }) {
  if (!problem) return null;
  return (
    <div role="alert" className="error" id={id}>
      <p>{problem.message}</p>
      {problem.fieldErrors.length > 0 && (
        <ul>
          {problem.fieldErrors.map((e) => (
            <li key={`${e.field}:${e.message}`}>
              <strong>{e.field}</strong>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
