/**
 * Time-skipping workflow tests on the real Java test server (`io.temporal:temporal-test-server`, started
 * through the SDK's `existing-path` option) with in-memory activities.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Activities } from '../../activities/index.js';
import type { ClaimRef } from '../../domain/claim.js';
import type { RemittanceAdjustment, RemittanceSummary } from '../../domain/remittance.js';
import type { claimWorkflow } from '../../workflows/claim/index.js';
import { claimWorkflowId } from '../../workflows/ids.js';
import { type ClaimView, remittanceReceivedSignal, stateQuery } from '../../workflows/messages.js';
import { type FakeScript, FakeWorld } from './fake-activities.js';

let runtimeInstalled = false;

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  if (!runtimeInstalled) {
    runtimeInstalled = true;
    Runtime.install({
      logger: new DefaultLogger((process.env.TEST_SDK_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN'),
    });
  }
  const env = await startTimeSkippingServer();
  // The Java server skips time whenever the workflow idles, even while a test is between steps. Lock
  // it so time moves only through `env.sleep()` and while awaiting a result: deterministic tests.
  await env.connection.testService!.lockTimeSkipping({});
  return env;
}

/**
 * The SDK kills a test server that does not answer within about 5 s; on a loaded machine the JVM can
 * miss that. A server that failed to start left nothing behind, so starting another is safe.
 */
async function startTimeSkippingServer(attempts = 4): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
      });
    } catch (err) {
      if (attempt >= attempts || !String(err).includes('did not start')) throw err;
    }
  }
}

export const DAY = 86_400_000;

export interface ClaimHarness {
  /** This test's own time-skipping server: nothing another test left running can hold its clock. */
  env: TestWorkflowEnvironment;
  world: FakeWorld;
  handle: WorkflowHandle<typeof claimWorkflow>;
  ref: ClaimRef;
  worker: Worker;
  view(): Promise<ClaimView>;
  /** Polls the query until `predicate` holds (workflow tasks run asynchronously to the test). */
  waitFor(predicate: (v: ClaimView) => boolean, what: string): Promise<ClaimView>;
  now(): Promise<number>;
  /** Signals one CLP loop dated today (workflow time), as ERA posting would. */
  remit(opts: Omit<Parameters<typeof remittance>[1], 'paymentDate'>): Promise<void>;
}

/** Adjudicates the claim with a patient share: paid 12,000, CO-45 5,000, PR-2 3,000. */
export async function toPatientBalance(h: ClaimHarness): Promise<number> {
  await h.waitFor((v) => v.status === 'AWAITING_ADJUDICATION', 'acceptance');
  await h.remit({
    paidCents: 12_000,
    adjustments: [
      { group: 'CO', reason: '45', amountCents: 5_000 },
      { group: 'PR', reason: '2', amountCents: 3_000 },
    ],
  });
  await h.waitFor(
    (v) => v.status === 'PATIENT_BALANCE' && (v.patientBalance?.statementsSent ?? 0) >= 1,
    'first statement',
  );
  return h.now();
}

export async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const { ensureSearchAttributes } = await import('../../scripts/infra/temporal.js');
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
}

export interface RunClaimOptions {
  dateOfService?: string;
  chargeCents?: number;
  historyBudget?: number;
  recordAs?: string;
  /** The claim's ids, for a test whose real activities read a claim seeded in Postgres. */
  claim?: Pick<ClaimRef, 'claimUuid' | 'claimId'>;
  /** Real activities that replace the fakes of the same name (the fakes still record every call). */
  activities?: Partial<Activities>;
}

/** Starts a claim workflow on a fresh task queue with a worker running fake activities. */
export async function runClaim(
  script: FakeScript,
  body: (h: ClaimHarness) => Promise<void>,
  opts: RunClaimOptions = {},
): Promise<FakeWorld> {
  const env = await createTimeSkippingEnv();
  await registerSearchAttributes(env);
  try {
    return await runClaimIn(env, script, body, opts);
  } finally {
    await env.teardown();
  }
}

async function runClaimIn(
  env: TestWorkflowEnvironment,
  script: FakeScript,
  body: (h: ClaimHarness) => Promise<void>,
  opts: RunClaimOptions,
): Promise<FakeWorld> {
  const world = new FakeWorld(script);
  const taskQueue = `tq-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: { ...world.activities(), ...opts.activities },
  });
  const claimId = opts.claim?.claimId ?? `C${randomUUID().slice(0, 8)}`;
  const now = await env.currentTimeMs();
  const ref: ClaimRef = {
    claimUuid: opts.claim?.claimUuid ?? randomUUID(),
    practiceId: 'sunrise-fp',
    claimId,
    patientControlNumber: claimId,
    payerId: 'ACME-HEALTH',
    dateOfService: opts.dateOfService ?? new Date(now - 5 * DAY).toISOString().slice(0, 10),
    totalChargeCents: opts.chargeCents ?? 20_000,
  };
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof claimWorkflow>('claimWorkflow', {
      workflowId: claimWorkflowId(ref.practiceId, ref.claimId),
      taskQueue,
      args: [{ claim: ref, historyBudget: opts.historyBudget }],
    });
    const harness: ClaimHarness = {
      env,
      world,
      handle,
      ref,
      worker,
      view: () => handle.query(stateQuery),
      now: () => env.currentTimeMs(),
      async remit(o) {
        await handle.signal(
          remittanceReceivedSignal,
          remittance(ref, { ...o, paymentDate: isoDay(await env.currentTimeMs()) }),
        );
      },
      async waitFor(predicate, what) {
        const deadline = Date.now() + 60_000;
        let last: ClaimView | undefined;
        while (Date.now() < deadline) {
          last = await handle.query(stateQuery);
          if (predicate(last)) return last;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`timed out waiting for ${what}; last status ${last?.status}`);
      },
    };
    await body(harness);
    if (opts.recordAs && process.env.RECORD_HISTORIES) await recordHistory(handle, opts.recordAs);
  });
  return world;
}

/**
 * Writes the workflow's history to test/histories/<name>.json (RECORD_HISTORIES=1 npm test). Committed
 * histories are replayed against the current code in CI, so a non-deterministic change fails the build.
 * With RECORD_HISTORIES_SUFFIX=v2 the file is <name>.v2.json: a new recording beside the old one, so the
 * histories of code still running in production keep replaying too.
 */
async function recordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  const history = await handle.fetchHistory();
  const dir = join(import.meta.dirname, '..', 'histories');
  mkdirSync(dir, { recursive: true });
  const suffix = process.env.RECORD_HISTORIES_SUFFIX;
  writeFileSync(join(dir, `${name}${suffix ? `.${suffix}` : ''}.json`), historyToJSON(history));
}

let traceSeq = 0;

/** A remittance summary for one CLP loop, balanced the way payers send it. */
export function remittance(
  ref: ClaimRef,
  opts: {
    paymentDate: string;
    paidCents: number;
    adjustments: RemittanceAdjustment[];
    statusCode?: string;
    remarkCodes?: string[];
    patientResponsibilityCents?: number;
  },
): RemittanceSummary {
  traceSeq += 1;
  const trace = `TRN${traceSeq}`;
  const statusCode = opts.statusCode ?? '1';
  const pr =
    opts.patientResponsibilityCents ??
    opts.adjustments.filter((a) => a.group === 'PR').reduce((s, a) => s + a.amountCents, 0);
  return {
    postingKey: [ref.payerId, trace, ref.patientControlNumber, 'ICN1', statusCode === '22' ? 'R' : 'P'].join(
      '|',
    ),
    payerId: ref.payerId,
    traceNumber: trace,
    paymentDate: opts.paymentDate,
    patientControlNumber: ref.patientControlNumber,
    payerClaimNumber: 'ICN1',
    statusCode,
    chargeCents: statusCode === '22' ? -ref.totalChargeCents : ref.totalChargeCents,
    paidCents: opts.paidCents,
    patientResponsibilityCents: pr,
    adjustments: opts.adjustments,
    remarkCodes: opts.remarkCodes ?? [],
  };
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
