/**
 * Payer rules: read the versions and the rules in force, and add a version (supervisor for a practice
 * override of its own practice, admin also for the payer default). A change is a new version with its
 * effective date plus an audit row (`rule_changes`); running claims of that payer are then sent
 * `payerRulesChanged` so their timers follow the rule now in force.
 */
import type { Static } from 'typebox';
import { addRuleVersion, ruleChanges, ruleVersions } from '../../db/payer-rules.js';
import { DEFAULT_RULES, type PayerRules, type PayerType, validateRules } from '../../domain/payer-rules.js';
import { rulesRolloutWorkflowId } from '../../workflows/ids.js';
import { forbiddenPractice, practicesFor } from '../plugins/auth.js';
import { conflict, notFound, Problem, unprocessable } from '../plugins/problems.js';
import { problemResponse } from '../schemas/common.js';
import * as s from '../schemas/payer-rules.js';
import { type App, type AppDeps, OVERSIGHT_ROLES, WORK_ROLES } from '../types.js';
import { isoTimestamp } from '../views.js';

/** How long PUT waits for a rollout in force now before answering without its count. */
const ROLLOUT_WAIT_MS = 10_000;

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

  return async function routes(app: App): Promise<void> {
    app.get(
      '/payers/:id/rules',
      {
        schema: {
          params: s.PayerParams,
          tags: ['payer rules'],
          operationId: 'getPayerRules',
          summary:
            'A payer’s rule versions, the rules each of the caller’s practices follows today, and the change log',
          description: 'Only the payer default and the caller’s practices’ overrides are shown.',
          response: { 200: s.PayerRulesView },
        },
        config: { roles: WORK_ROLES },
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
          params: s.PayerParams,
          body: s.RuleChangeBody,
          tags: ['payer rules'],
          operationId: 'addPayerRuleVersion',
          summary:
            'Add a rule version with its effective date; running claims of the payer reload their rules',
          description:
            'A supervisor may add an override for one of its practices; an admin also the payer default ' +
            '(practiceId null). 422 names the rule field that fails validation; 409 when a version with that scope and ' +
            'effective date exists (versions are never replaced). A Temporal workflow rolls the version out: at once when ' +
            'it is in force, on its effective date when it is future-dated.',
          response: {
            201: s.RuleChangeResult,
            409: problemResponse(
              'a version with this scope and effective date exists, or the Idempotency-Key is still in use',
            ),
            422: problemResponse('a rule fails validation (`errors` names `body/rules/<field>`)'),
          },
        },
        config: { roles: OVERSIGHT_ROLES },
      },
      async (req, reply) => {
        const payerId = req.params.id;
        const body = req.body as Static<typeof s.RuleChangeBody>;
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
        // A durable rollout: it waits for a future effective date, then signals the open claims in pages.
        const rolloutWorkflowId = rulesRolloutWorkflowId(added.changeId);
        const rollout = await deps.temporal.workflow.start('payerRulesRolloutWorkflow', {
          workflowId: rolloutWorkflowId,
          taskQueue: deps.config.temporal.taskQueue,
          args: [
            {
              changeId: added.changeId,
              payerId,
              practiceIds: body.practiceId === null ? 'all' : [body.practiceId],
              effectiveFrom: body.effectiveFrom,
            },
          ],
        });
        const inForceNow = body.effectiveFrom <= new Date().toISOString().slice(0, 10);
        // In force now: answer with the count when the rollout is quick, else let it go on by itself.
        const signalled = inForceNow
          ? await Promise.race([
              rollout.result().then((r: { signalled: number }) => r.signalled),
              new Promise<null>((resolve) => setTimeout(() => resolve(null), ROLLOUT_WAIT_MS).unref()),
            ])
          : 0;
        const version = (
          await ruleVersions(deps.db, payerId, body.practiceId === null ? [] : [body.practiceId])
        ).find((v) => v.id === added.ruleId)!;
        return reply.status(201).send({
          version: { ...version, createdAt: isoTimestamp(version.createdAt) },
          changeId: added.changeId,
          signalledClaims: signalled,
          rolloutWorkflowId,
        });
      },
    );
  };
}
