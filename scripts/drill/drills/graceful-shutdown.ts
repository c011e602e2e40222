/**
 * Drill 8: graceful shutdown under load. The API and the worker each get SIGTERM, then (after a
 * restart) SIGINT, while claims are being submitted and the work queue read. A graceful stop finishes
 * the requests and activities it has, exits 0 within its grace period and prints no stack trace;
 * requests that were in flight at the signal get their answer.
 */

import { checkAll, type Invariant, waitSettled } from '../invariants.js';
import type { Answer } from '../load.js';
import { http, submitClaims } from '../load.js';
import type { RoleProcess } from '../process.js';
import { withStack } from '../run.js';
import type { Drill } from '../types.js';
import { n, sleep } from '../util.js';

/** A request still open at the signal that then got no answer: the server cut it. */
const CUT = new Set(['ECONNRESET', 'EPIPE', 'ABORTED', 'UND_ERR_SOCKET', 'socket hang up']);

interface Attempt {
  startedAt: number;
  answer: Answer;
}

export const gracefulShutdown: Drill = {
  name: 'graceful-shutdown',
  number: 8,
  title:
    'SIGTERM, SIGINT and Ctrl-C (SIGINT+SIGTERM) to the API and the worker under load: exit 0, no stack trace',
  async run(ctx) {
    return withStack(ctx, this, { adjudicationDelayMs: 2000, eraPollSeconds: 3 }, async (stack, out) => {
      const attempts: Attempt[] = [];
      let reading = true;
      // Readers of the work queue beside the writers, so GETs are in flight at the signal too.
      const readers = Promise.all(
        Array.from({ length: 2 }, async () => {
          while (reading) {
            const startedAt = Date.now();
            const answer = await http('GET', `${stack.apiUrl}/worklist`, {
              headers: { authorization: `Bearer ${stack.keys.biller}` },
            });
            attempts.push({ startedAt, answer });
            await sleep(answer.status === 0 ? 500 : 50);
          }
        }),
      );
      const load = submitClaims(stack.apiUrl, stack.keys.integration, {
        count: ctx.claims,
        prefix: `G${ctx.seed.toString(36).slice(-4)}`,
        width: 6,
        // Spread the claims over about a minute, so every stop below happens with claims in flight.
        paceMs: Math.max(100, Math.round(((ctx.short ? 30_000 : 60_000) * 6) / ctx.claims)),
        onAnswer: (startedAt, answer) => attempts.push({ startedAt, answer }),
      });
      const stops: {
        role: string;
        signal: string;
        at: number;
        exit: string;
        ok: boolean;
        cut: number;
        bad: string[];
      }[] = [];
      const stop = async (proc: RoleProcess, signal: NodeJS.Signals, then?: NodeJS.Signals) => {
        proc.clearBadLines();
        const at = Date.now();
        const exiting = proc.signal(signal, 30_000);
        // Ctrl-C on `npm start` reaches the child twice: SIGINT from the terminal's process group and
        // SIGTERM from the launcher that forwards it. A graceful stop must take the second in its stride.
        if (then) setTimeout(() => proc.running && process.kill(proc.pid!, then), 5);
        const exit = await exiting;
        // Give the last answers a moment to land before judging them.
        await sleep(300);
        const cut = attempts.filter(
          (a) =>
            a.startedAt < at - 50 &&
            a.startedAt + a.answer.ms >= at &&
            a.answer.status === 0 &&
            CUT.has(a.answer.error ?? ''),
        ).length;
        const bad = proc.bad.map((b) => b.line);
        const ok =
          exit.code === 0 && exit.signal === null && bad.length === 0 && (proc.role !== 'api' || cut === 0);
        stops.push({
          role: proc.role,
          signal: then ? `${signal}+${then} (Ctrl-C under npm start)` : signal,
          at,
          exit: `${exit.signal ? `killed by ${exit.signal}` : `exit ${exit.code}`} after ${((exit.afterSignalMs ?? 0) / 1000).toFixed(1)} s`,
          ok,
          cut,
          bad,
        });
        ctx.log(
          `[${this.name}] ${proc.role} ${stops.at(-1)!.signal}: ${stops.at(-1)!.exit}, ${bad.length} bad lines, ${cut} requests cut`,
        );
      };
      await sleep(2000);
      await stop(stack.api, 'SIGTERM');
      await stack.restartApi();
      await sleep(1500);
      await stop(stack.worker, 'SIGTERM');
      await stack.restartWorker();
      if (!ctx.short) {
        await sleep(1500);
        await stop(stack.api, 'SIGINT');
        await stack.restartApi();
        await sleep(1500);
        await stop(stack.worker, 'SIGINT');
        await stack.restartWorker();
      }
      await sleep(1500);
      await stop(stack.api, 'SIGINT', 'SIGTERM');
      await stack.restartApi();
      await sleep(1500);
      await stop(stack.worker, 'SIGINT', 'SIGTERM');
      await stack.restartWorker();
      const lastRestart = Date.now();
      const loaded = await load;
      reading = false;
      await readers;
      const byAnswer: Record<string, number> = {};
      for (const a of attempts) {
        const k = a.answer.error ?? String(a.answer.status);
        byAnswer[k] = (byAnswer[k] ?? 0) + 1;
      }
      out.load = `${n(ctx.claims)} claims through POST /claims (6 lanes, 100 ms pace) and 2 readers of GET /worklist: ${n(attempts.length)} requests (${Object.entries(
        byAnswer,
      )
        .map(([k, v]) => `${v}x ${k}`)
        .join(', ')})`;
      out.fault =
        stops.map((s) => `${s.role} ${s.signal}`).join(', then ') + ' (each restarted before the next)';
      await waitSettled(stack, loaded.claims, 120_000 + ctx.claims * 1000, ctx.log);
      out.recoveryMs = Date.now() - lastRestart;
      const exits: Invariant[] = stops.map((s) => ({
        name: `${s.role} ${s.signal}: graceful`,
        ok: s.ok,
        detail: `${s.exit}, ${s.bad.length} stack-trace/error lines${s.role === 'api' ? `, ${s.cut} in-flight requests cut` : ''}`,
        examples: s.bad.slice(0, 4),
      }));
      // 503 is what Fastify answers a request that arrives while it closes: the right answer (retry).
      const served5xx = attempts.filter((a) => a.answer.status >= 500 && a.answer.status !== 503);
      const closing503 = attempts.filter((a) => a.answer.status === 503).length;
      out.invariants = [
        ...exits,
        {
          name: 'no 500 while shutting down',
          ok: served5xx.length === 0,
          detail: `${n(served5xx.length)} answers >= 500 other than 503 of ${n(attempts.length)} (${n(closing503)} were 503 from a closing API, which clients retry)`,
          examples: served5xx.slice(0, 3).map((a) => `${a.answer.status}: ${a.answer.text.slice(0, 200)}`),
        },
        ...(await checkAll(stack, loaded.claims, { logsAllow: /./ })).filter(
          (i) => i.name !== 'no stack traces or error logs',
        ),
      ];
      if (loaded.failed.length > 0) out.notes.push(`${loaded.failed.length} claims never accepted`);
    });
  },
};
