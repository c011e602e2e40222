/**
 * Payer rules: read the versions and the rules in force, and add a version (supervisor for a practice
 * override of its own practice, admin also for the payer default). A change is a new version with its
 * effective date plus an audit row (`rule_changes`); running claims of that payer are then sent
 * `payerRulesChanged` so their timers follow the rule now in force.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { type Static, Type } from 'typebox';
import {
  addRuleVersion,
  openClaimsOfPayer,
  ruleChanges,
  ruleVersions,
  setSignalledClaims,
} from '../../db/queries/payer-rules.js';
import { DEFAULT_RULES, type PayerRules, type PayerType, validateRules } from '../../domain/payer-rules.js';
import { payerRulesChangedSignal } from '../../workflows/messages.js';
import type { App, AppDeps } from '../app.js';
import { conflict, notFound, Problem, unprocessable } from '../errors.js';
import * as r from '../responses.js';
import { forbiddenPractice, isoTimestamp, practicesFor } from '../views.js';

const PayerParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);

const RuleChangeBody = Type.Object(
  {
    practiceId: r.Nullable(
      Type.String({
        pattern: '^[a-z0-9-]{1,20}$',
        description: 'null changes the payer default (admin only)',
      }),
    ),
    effectiveFrom: Type.String({ format: 'date', description: 'the first day the rules apply' }),
    rules: r.PayerRulesSchema,
  },
  { additionalProperties: false },
);

const SIGNAL_PAGE = 500;
const SIGNAL_CONCURRENCY = 16;

export function payerRuleRoutes(deps: AppDeps) {
  async function payerType(id: string): Promise<PayerType> {
    const payer = await deps.db
      .selectFrom('payers')
      .select('payer_type')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!payer) throw notFound(`payer ${id}`);
    return payer.payer_type as PayerType;
  }

  /**
   * Tells every running claim the change affects to reload its rules. Paged through Postgres and sent a
   * few at a time, so a payer with many open claims costs bounded memory; a claim that closed meanwhile
   * is skipped.
   */
  async function signalAffectedClaims(payerId: string, practiceIds: string[] | 'all'): Promise<number> {
    let signalled = 0;
    let afterId: string | undefined;
    for (;;) {
      const batch = await openClaimsOfPayer(deps.db, { payerId, practiceIds, afterId, limit: SIGNAL_PAGE });
      if (batch.length === 0) return signalled;
      let next = 0;
      const send = async () => {
        while (next < batch.length) {
          const claim = batch[next++]!;
          try {
            await deps.temporal.workflow.getHandle(claim.workflow_id).signal(payerRulesChangedSignal);
            signalled++;
          } catch (err) {
            if (!(err instanceof WorkflowNotFoundError)) throw err;
          }
        }
      };
      await Promise.all(Array.from({ length: SIGNAL_CONCURRENCY }, send));
      afterId = batch[batch.length - 1]!.id;
    }
  }

  return async function routes(app: App): Promise<void> {
    app.get(
      '/payers/:id/rules',
      {
        schema: {
          params: PayerParams,
          tags: ['payer rules'],
          summary:
            'A payer’s rule versions, the rules each of the caller’s practices follows today, and the change log',
          description: 'Only the payer default and the caller’s practices’ overrides are shown.',
          response: { 200: r.PayerRulesView, ...r.problemResponses },
        },
        config: { roles: ['biller', 'supervisor', 'admin'] },
      },
      async (req) => {
        const payerId = req.params.id;
        const type = await payerType(payerId);
        const practiceIds = practicesFor(req);
        const [versions, changes] = await Promise.all([
          ruleVersions(deps.db, payerId, practiceIds),
          ruleChanges(deps.db, payerId, practiceIds, 100),
        ]);
        const today = new Date().toISOString().slice(0, 10);
        const current = (practiceId: string | null) =>
          versions.find((v) => v.practiceId === practiceId && v.effectiveFrom <= today);
        const inForce = practiceIds.map((practiceId) => {
          const own = current(practiceId);
          if (own) return { practiceId, source: 'practice' as const, rules: own.rules };
          const payerDefault = current(null);
          if (payerDefault) return { practiceId, source: 'payer' as const, rules: payerDefault.rules };
          return {
            practiceId,
            source: 'default' as const,
            rules: DEFAULT_RULES[type] ?? DEFAULT_RULES.COMMERCIAL,
          };
        });
        return {
          payerId,
          inForce,
          versions: versions.map((v) => ({ ...v, createdAt: isoTimestamp(v.createdAt) })),
          changes: changes.map((c) => ({
            id: String(c.id),
            practiceId: c.practice_id,
            effectiveFrom: c.effective_from,
            actor: c.actor,
            requestId: c.request_id,
            previous: c.previous ?? null,
            rules: c.rules as PayerRules,
            signalledClaims: c.signalled_claims,
            at: isoTimestamp(c.at),
          })),
        };
      },
    );

    app.put(
      '/payers/:id/rules',
      {
        schema: {
          params: PayerParams,
          body: RuleChangeBody,
          tags: ['payer rules'],
          summary:
            'Add a rule version with its effective date; running claims of the payer reload their rules',
          description:
            'A supervisor may add an override for one of its practices; an admin also the payer default ' +
            '(practiceId null). 422 names the rule field that fails validation; 409 when a version with that scope and ' +
            'effective date exists (versions are never replaced). Claims are signalled only when the version is ' +
            'already in force (effectiveFrom today or earlier).',
          response: {
            201: r.RuleChangeResult,
            409: r.ProblemSchema,
            422: r.ProblemSchema,
            ...r.problemResponses,
          },
        },
        config: { roles: ['supervisor', 'admin'] },
      },
      async (req, reply) => {
        const payerId = req.params.id;
        const body = req.body as Static<typeof RuleChangeBody>;
        const principal = req.principal!;
        if (body.practiceId === null && principal.role !== 'admin') {
          throw new Problem(403, 'Forbidden', 'only an admin may change a payer’s default rules');
        }
        if (body.practiceId !== null && !principal.practiceIds.includes(body.practiceId))
          throw forbiddenPractice(body.practiceId);
        await payerType(payerId);
        const invalid = validateRules(body.rules);
        if (invalid)
          throw unprocessable('the rules cannot be accepted', [
            { field: `body/rules/${invalid.field}`, message: invalid.message },
          ]);
        const added = await addRuleVersion(deps.db, {
          payerId,
          practiceId: body.practiceId,
          effectiveFrom: body.effectiveFrom,
          rules: body.rules,
          actor: principal.userId,
          requestId: req.id,
        });
        if (added.kind === 'exists') {
          throw conflict(
            `a version of these rules effective ${body.effectiveFrom} already exists; add one with another date`,
          );
        }
        const inForceNow = body.effectiveFrom <= new Date().toISOString().slice(0, 10);
        const signalled = inForceNow
          ? await signalAffectedClaims(payerId, body.practiceId === null ? 'all' : [body.practiceId])
          : 0;
        await setSignalledClaims(deps.db, added.changeId, signalled);
        const version = (
          await ruleVersions(deps.db, payerId, body.practiceId === null ? [] : [body.practiceId])
        ).find((v) => v.id === added.ruleId)!;
        return reply.status(201).send({
          version: { ...version, createdAt: isoTimestamp(version.createdAt) },
          changeId: added.changeId,
          signalledClaims: signalled,
        });
      },
    );
  };
}
