/**
 * Claim rules for the pre-submission scrubber and the miner's proposals (docs/claim-rules.md). Rules
 * are versioned: a PUT writes the next version of the key and claims filed from then on are scrubbed
 * with it. Supervisors and admins change rules and decide proposals; every work role reads them.
 */
import { randomUUID } from 'node:crypto';
import {
  claimRuleVersions,
  decideProposal,
  latestClaimRules,
  listProposals,
  ruleEffect,
  saveClaimRule,
} from '../../db/claim-rules.js';
import type { ClaimRule } from '../../domain/claim-scrubber.js';
import { practicesFor } from '../plugins/auth.js';
import { conflict, type FieldError, notFound, unprocessable } from '../plugins/problems.js';
import * as s from '../schemas/claim-rules.js';
import { problemResponse } from '../schemas/common.js';
import { type App, type AppDeps, OVERSIGHT_ROLES, WORK_ROLES } from '../types.js';

/** The parameters each kind of rule needs: a rule that cannot fire, or fires on everything, is refused. */
function ruleErrors(
  b: Pick<ClaimRule, 'kind' | 'procedureCode' | 'modifier' | 'diagnosisPrefixes' | 'withinDays'>,
) {
  const errors: FieldError[] = [];
  const need = (field: keyof typeof b, present: boolean) => {
    if (!present) errors.push({ field: `body/${field}`, message: `is required for a ${b.kind} rule` });
  };
  const forbid = (field: keyof typeof b, present: boolean) => {
    if (present) errors.push({ field: `body/${field}`, message: `does not apply to a ${b.kind} rule` });
  };
  if (b.kind === 'MODIFIER_REQUIRED') {
    need('procedureCode', b.procedureCode !== undefined);
    need('modifier', b.modifier !== undefined);
    forbid('diagnosisPrefixes', b.diagnosisPrefixes !== undefined);
    forbid('withinDays', b.withinDays !== undefined);
  } else if (b.kind === 'DIAGNOSIS_REQUIRED') {
    need('procedureCode', b.procedureCode !== undefined);
    need('diagnosisPrefixes', b.diagnosisPrefixes !== undefined);
    forbid('modifier', b.modifier !== undefined);
    forbid('withinDays', b.withinDays !== undefined);
  } else {
    need('withinDays', b.withinDays !== undefined);
    forbid('procedureCode', b.procedureCode !== undefined);
    forbid('modifier', b.modifier !== undefined);
    forbid('diagnosisPrefixes', b.diagnosisPrefixes !== undefined);
  }
  return errors;
}

export function claimRuleRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.get(
      '/practices/:practiceId/claim-rules',
      {
        schema: {
          params: s.PracticeParams,
          tags: ['claim rules'],
          operationId: 'listClaimRules',
          summary: 'The newest version of every claim rule of the practice (inactive ones included)',
          response: { 200: s.RuleList },
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        practicesFor(req, req.params.practiceId);
        return { rules: await latestClaimRules(deps.db, req.params.practiceId) };
      },
    );

    app.put(
      '/practices/:practiceId/claim-rules/:ruleKey',
      {
        schema: {
          params: s.RuleParams,
          body: s.RuleBody,
          tags: ['claim rules'],
          operationId: 'putClaimRule',
          summary: 'Write the next version of a claim rule (active: false retires it)',
          description:
            'Claims are scrubbed with the newest version from the next submission on. 422 names a parameter ' +
            'the kind needs or does not take.',
          response: {
            201: s.RuleView,
            422: problemResponse('the rule misses a parameter its kind needs, or has one it does not take'),
          },
        },
        config: { roles: OVERSIGHT_ROLES },
      },
      async (req, reply) => {
        const { practiceId, ruleKey } = req.params;
        practicesFor(req, practiceId);
        const errors = ruleErrors(req.body);
        if (errors.length > 0) throw unprocessable('the rule cannot be used as written', errors);
        const saved = await saveClaimRule(deps.db, {
          ...req.body,
          practiceId,
          ruleKey,
          source: 'MANUAL',
          createdBy: req.principal!.userId,
        });
        return reply.status(201).send(saved);
      },
    );

    app.get(
      '/practices/:practiceId/claim-rules/:ruleKey/versions',
      {
        schema: {
          params: s.RuleParams,
          tags: ['claim rules'],
          operationId: 'listClaimRuleVersions',
          summary: 'Every version of a claim rule, newest first',
          response: { 200: s.RuleList },
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        practicesFor(req, req.params.practiceId);
        const rules = await claimRuleVersions(deps.db, req.params.practiceId, req.params.ruleKey);
        if (rules.length === 0) throw notFound(`claim rule ${req.params.ruleKey}`);
        return { rules };
      },
    );

    app.get(
      '/practices/:practiceId/claim-rules/:ruleKey/effect',
      {
        schema: {
          params: s.RuleParams,
          tags: ['claim rules'],
          operationId: 'getClaimRuleEffect',
          summary: 'Denial rate of the combination a modifier rule is about, before and after its adoption',
          description:
            'Lines of the rule’s payer and procedure without its modifier, on claims created before the rule’s ' +
            'first version and since; a claim the rule held counts as a line not denied (the denial was prevented).',
          response: { 200: s.RuleEffect, 422: problemResponse('the rule is not a MODIFIER_REQUIRED rule') },
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        const { practiceId, ruleKey } = req.params;
        practicesFor(req, practiceId);
        const [rule] = await claimRuleVersions(deps.db, practiceId, ruleKey);
        if (!rule) throw notFound(`claim rule ${ruleKey}`);
        if (rule.kind !== 'MODIFIER_REQUIRED') {
          throw unprocessable('only a modifier rule has a combination to measure', [
            { field: 'ruleKey', message: `${ruleKey} is a ${rule.kind} rule` },
          ]);
        }
        return ruleEffect(deps.db, practiceId, rule);
      },
    );

    app.get(
      '/practices/:practiceId/claim-rule-proposals',
      {
        schema: {
          params: s.PracticeParams,
          querystring: s.ProposalQuery,
          tags: ['claim rules'],
          operationId: 'listClaimRuleProposals',
          summary: 'Rules the miner proposes from the practice’s own denials, with their evidence',
          response: { 200: s.ProposalList },
        },
        config: { roles: WORK_ROLES },
      },
      async (req) => {
        practicesFor(req, req.params.practiceId);
        return { proposals: await listProposals(deps.db, req.params.practiceId, req.query.status) };
      },
    );

    app.post(
      '/practices/:practiceId/claim-rule-mining',
      {
        schema: {
          params: s.PracticeParams,
          tags: ['claim rules'],
          operationId: 'mineClaimRules',
          summary: 'Mine the practice’s first adjudications for proposals now (the schedule does it daily)',
          response: { 200: s.MiningResult },
        },
        config: { roles: OVERSIGHT_ROLES },
      },
      async (req) => {
        practicesFor(req, req.params.practiceId);
        const workflowId = `rule-miner-${req.params.practiceId}-${randomUUID()}`;
        const result = (await deps.temporal.workflow.execute('ruleMinerWorkflow', {
          taskQueue: deps.config.temporal.taskQueue,
          workflowId,
          args: [
            {
              practiceIds: [req.params.practiceId],
              ...(deps.config.ruleMiner
                ? {
                    thresholds: {
                      minLines: deps.config.ruleMiner.minLines,
                      minDenialRate: deps.config.ruleMiner.minDenialRatePercent / 100,
                    },
                  }
                : {}),
            },
          ],
        })) as { practices: number; proposals: number };
        return { ...result, workflowId };
      },
    );

    const decide =
      (accept: boolean) =>
      async (
        req: {
          params: { practiceId: string; id: string };
          body: { reason?: string; action?: 'WARN' | 'HOLD' };
        },
        actor: string,
      ) => {
        const r = await decideProposal(deps.db, {
          practiceId: req.params.practiceId,
          proposalId: req.params.id,
          accept,
          actor,
          ...(req.body.reason === undefined ? {} : { reason: req.body.reason }),
          ...(req.body.action === undefined ? {} : { action: req.body.action }),
        });
        if (r === undefined) throw notFound(`proposal ${req.params.id}`);
        if (r === 'decided') throw conflict('the proposal was already accepted or rejected');
        return r;
      };
    const errors = {
      409: problemResponse('the proposal was already accepted or rejected'),
    };
    app.post(
      '/practices/:practiceId/claim-rule-proposals/:id/accept',
      {
        schema: {
          params: s.ProposalParams,
          body: s.AcceptBody,
          tags: ['claim rules'],
          operationId: 'acceptClaimRuleProposal',
          summary: 'Adopt a proposal: it becomes a LEARNED rule (HOLD unless WARN is asked for)',
          response: { 200: s.ProposalDecision, ...errors },
        },
        config: { roles: OVERSIGHT_ROLES },
      },
      async (req) => {
        practicesFor(req, req.params.practiceId);
        return decide(true)(req, req.principal!.userId);
      },
    );
    app.post(
      '/practices/:practiceId/claim-rule-proposals/:id/reject',
      {
        schema: {
          params: s.ProposalParams,
          body: s.RejectBody,
          tags: ['claim rules'],
          operationId: 'rejectClaimRuleProposal',
          summary: 'Reject a proposal with a reason; mining does not propose it again',
          response: { 200: s.ProposalDecision, ...errors },
        },
        config: { roles: OVERSIGHT_ROLES },
      },
      async (req) => {
        practicesFor(req, req.params.practiceId);
        return decide(false)(req, req.principal!.userId);
      },
    );
  };
}
