/**
 * Drill 7: 50 billers decide the same denied claim at the same instant: a third file an appeal, a third
 * write it off, a third bill the patient. The decisions conflict, so exactly one may win; every other
 * one is refused with 409 and the reason, and the audit trail shows the one decision that happened,
 * with the winner as its actor and its request id.
 */
import type { ClaimStatus } from '../../../domain/claim-status.js';
import { checkAll, type Invariant, simLedger, waitSettled } from '../invariants.js';
import { type Answer, type CreatedClaim, http, type Story, submitClaims } from '../load.js';
import { withStack } from '../run.js';
import type { DrillStack } from '../stack.js';
import type { Drill } from '../types.js';
import { mapLimit, n } from '../util.js';

const BILLERS = 50;

const DECISIONS = [
  {
    path: 'appeals',
    body: {
      expectedStatus: 'NEEDS_REVIEW',
      grounds: 'Medical necessity is documented in the visit note.',
      attachments: ['note.pdf'],
    },
    to: ['APPEALING', 'AWAITING_PAYMENT', 'PAID'],
  },
  {
    path: 'write-off',
    body: { expectedStatus: 'NEEDS_REVIEW', reasonCode: 'ADMINISTRATIVE', note: 'not worth pursuing' },
    to: ['WRITTEN_OFF'],
  },
  {
    path: 'transfer-to-patient',
    body: {
      expectedStatus: 'NEEDS_REVIEW',
      reason: 'non-covered service, waiver on file',
      waiverOnFile: true,
    },
    to: ['PATIENT_BALANCE'],
  },
] as const;

export const concurrentDecisions: Drill = {
  name: 'concurrent-decisions',
  number: 7,
  title: '50 concurrent conflicting decisions on one claim: one wins, the rest 409 with the reason, audited',
  async run(ctx) {
    return withStack(ctx, this, { adjudicationDelayMs: 1000, eraPollSeconds: 3 }, async (stack, out) => {
      const loaded = await submitClaims(stack.apiUrl, stack.keys.integration, {
        count: Math.max(ctx.claims, 20),
        prefix: `C${ctx.seed.toString(36).slice(-4)}`,
      });
      await waitSettled(stack, loaded.claims, 120_000 + ctx.claims * 500, ctx.log);
      const targets = loaded.claims.filter((c) => c.story.name === 'denied').slice(0, ctx.short ? 1 : 3);
      // 50 billers, each with an own API key, issued by the practice's admin through the API.
      const keys = await mapLimit(
        Array.from({ length: BILLERS }, (_, i) => `biller-${String(i + 1).padStart(2, '0')}`),
        8,
        async (userId) => {
          const a = await http('POST', `${stack.apiUrl}/api-keys`, {
            body: { userId, role: 'biller', practiceIds: ['sunrise-fp'] },
            headers: { authorization: `Bearer ${stack.keys.admin}` },
          });
          if (a.status !== 201) throw new Error(`POST /api-keys answered ${a.status}: ${a.text}`);
          return { userId, key: (a.json as { key: string }).key };
        },
      );
      const invariants: Invariant[] = [];
      const started = Date.now();
      let lastDecision = Date.now();
      for (const target of targets) {
        const answers = await Promise.all(
          keys.map(async (k, i) => {
            const d = DECISIONS[i % DECISIONS.length]!;
            const requestId = `drill-${target.claimId}-${k.userId}`;
            const a = await http('POST', `${stack.apiUrl}/claims/${target.id}/${d.path}`, {
              body: d.body,
              headers: {
                authorization: `Bearer ${k.key}`,
                'idempotency-key': requestId,
                'x-request-id': requestId,
              },
              timeoutMs: 60_000,
            });
            return { who: k.userId, decision: d, requestId, a };
          }),
        );
        lastDecision = Date.now();
        const won = answers.filter((x) => x.a.status === 200 || x.a.status === 202);
        const refused = answers.filter((x) => x.a.status === 409);
        const withReason = refused.filter(
          (x) =>
            typeof (x.a.json as { detail?: unknown })?.detail === 'string' &&
            (x.a.json as { detail: string }).detail.length > 0,
        );
        const other = answers.filter((x) => ![200, 202, 409].includes(x.a.status));
        const tally: Record<string, number> = {};
        for (const x of answers)
          tally[`${x.decision.path} ${x.a.error ?? x.a.status}`] =
            (tally[`${x.decision.path} ${x.a.error ?? x.a.status}`] ?? 0) + 1;
        invariants.push({
          name: `${target.claimId}: one decision wins`,
          ok:
            won.length === 1 &&
            refused.length === BILLERS - 1 &&
            withReason.length === refused.length &&
            other.length === 0,
          detail: `${BILLERS} concurrent decisions: ${Object.entries(tally)
            .map(([k, v]) => `${v}x ${k}`)
            .join(
              ', ',
            )}; winner ${won.map((w) => `${w.who} (${w.decision.path})`).join(', ') || 'none'}; ${n(withReason.length)} of ${n(refused.length)} refusals carry a reason, e.g. "${(refused[0]?.a.json as { detail?: string } | undefined)?.detail ?? ''}"`,
          examples: other
            .slice(0, 3)
            .map((x) => `${x.who} ${x.decision.path}: ${x.a.status || x.a.error} ${x.a.text.slice(0, 200)}`),
        });
        const winner = won[0];
        // The claim's expected end now follows the winning decision.
        if (winner)
          target.story = {
            ...target.story,
            name: `decided:${winner.decision.path}`,
            settled: winner.decision.to as unknown as ClaimStatus[],
          } as Story;
        invariants.push(
          await auditShows(
            stack,
            target,
            winner,
            answers.map((x) => x.a),
          ),
        );
      }
      await waitSettled(stack, loaded.claims, 120_000, ctx.log);
      out.recoveryMs = Date.now() - lastDecision;
      out.load = `${n(loaded.claims.length)} claims (${targets.length} denied ones decided), ${BILLERS} billers with their own API keys`;
      out.fault = `${BILLERS} concurrent conflicting decisions (appeal / write-off / transfer to patient) per claim on ${targets.length} claim(s), in ${((lastDecision - started) / 1000).toFixed(1)} s`;
      const ledger = await simLedger(stack);
      const pcns = new Map(
        (await stack.db.selectFrom('claims').select(['id', 'patient_control_number']).execute()).map((r) => [
          r.id,
          r.patient_control_number,
        ]),
      );
      const appealsPerTarget = targets.map(
        (t) => ledger.appeals.filter((a) => a.patientControlNumber === pcns.get(t.id)).length,
      );
      invariants.push({
        name: 'payer received at most one appeal per decided claim',
        ok: appealsPerTarget.every((k) => k <= 1),
        detail: `appeals at the payer per decided claim: ${appealsPerTarget.join(', ')}`,
      });
      out.invariants = [...invariants, ...(await checkAll(stack, loaded.claims))];
    });
  },
};

/** The audit trail of `target` holds exactly one decision out of NEEDS_REVIEW, by the winner, with its request id. */
async function auditShows(
  stack: DrillStack,
  target: CreatedClaim,
  winner: { who: string; requestId: string } | undefined,
  answers: Answer[],
): Promise<Invariant> {
  const events = await stack.db
    .selectFrom('claim_events')
    .select(['actor', 'kind', 'from_status', 'to_status', 'request_id'])
    .where('claim_id', '=', target.id)
    .orderBy('id')
    .execute();
  const decisions = events.filter((e) => e.kind === 'STATUS_CHANGED' && e.from_status === 'NEEDS_REVIEW');
  const byBillers = events.filter((e) => e.actor.startsWith('biller-'));
  const timeline = await http('GET', `${stack.apiUrl}/claims/${target.id}/events`, {
    headers: { authorization: `Bearer ${stack.keys.supervisor}` },
  });
  const shown = (
    (timeline.json as { items?: { actor: string; requestId: string | null }[] })?.items ?? []
  ).filter((e) => e.actor.startsWith('biller-'));
  const ok =
    winner !== undefined &&
    decisions.length === 1 &&
    decisions[0]!.actor === winner.who &&
    decisions[0]!.request_id === winner.requestId &&
    byBillers.every((e) => e.actor === winner.who) &&
    shown.some((e) => e.actor === winner.who && e.requestId === winner.requestId);
  return {
    name: `${target.claimId}: audit shows the one decision`,
    ok,
    detail: `${n(decisions.length)} decisions out of NEEDS_REVIEW in claim_events (${decisions.map((d) => `${d.actor} -> ${d.to_status}, request ${d.request_id}`).join('; ')}); ${n(byBillers.length)} events by billers; GET /claims/:id/events shows ${n(shown.length)} by the winner; ${n(answers.length)} answers`,
  };
}
