/**
 * Data minimisation, read the way an attacker with the Temporal server's database would: a claim runs
 * through a denial, notes, an appeal with grounds and the payment on the real stack, then every history
 * of its task queue is read WITHOUT the codec. No patient name, member id, birth date, diagnosis code,
 * procedure code, note text or appeal grounds may appear in any payload, search attribute, memo or
 * other field; every payload but the search attributes is sealed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENCRYPTED_ENCODING } from '../../temporal/codec.js';
import { findSecrets, isPatchMarker, isSearchAttribute, rawHistory } from '../support/raw-history.js';
import { type Stack, startStack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('no PHI reaches the Temporal server', () => {
  it('a denied, noted, appealed and paid claim leaves no PHI in any history of its task queue', async () => {
    const note = 'Spoke with Zenobia about her knee, chart note 4471';
    const grounds = 'Prior authorisation PA-99172 covered the Quillfeather visit';
    const { body, claim } = await stack.submitClaim('AUTH197-861204', {
      patient: {
        externalId: `P-${Date.now()}`,
        firstName: 'Zenobia',
        lastName: 'Quillfeather',
        birthDate: '1957-11-23',
        memberId: 'overwritten',
      },
      diagnosisCodes: ['M17.11', 'Z96.652'],
      lines: [
        { procedureCode: '27447', modifiers: ['RT'], units: 1, chargeCents: 150_000, diagnosisPointers: [1] },
        { procedureCode: '73562', modifiers: [], units: 1, chargeCents: 9_000, diagnosisPointers: [2] },
      ],
    });
    await stack.waitForStatus(claim.id, 'AWAITING_ADJUDICATION');
    await stack.pullEras({ appeals: true });
    await stack.waitForStatus(claim.id, 'NEEDS_REVIEW');
    const decide = (path: string, payload: object, role: 'biller' | 'supervisor' = 'biller') =>
      stack.app.inject({
        method: 'POST',
        url: `/claims/${claim.id}/${path}`,
        headers: stack.auth(role),
        payload,
      });
    expect((await decide('notes', { text: note })).statusCode).toBe(200);
    expect((await decide('appeals', { grounds, attachments: ['auth-letter.pdf'] })).statusCode).toBe(200);
    await stack.waitForStatus(claim.id, 'APPEALING');
    const decided = await decide(
      'appeal-decision',
      { outcome: 'overturned', reason: 'auth verified' },
      'supervisor',
    );
    expect(decided.statusCode).toBe(200);
    await stack.waitForStatus(claim.id, 'AWAITING_PAYMENT');
    await stack.pullEras({ appeals: true });
    await stack.pullEras({ appeals: true });
    await stack.waitForStatus(claim.id, 'PAID');

    const phi = [
      body.patient.firstName,
      body.patient.lastName,
      body.patient.memberId,
      body.patient.birthDate,
      ...body.diagnosisCodes,
      ...body.lines.map((l) => l.procedureCode),
      note,
      'chart note 4471',
      grounds,
      'PA-99172',
    ];
    // Every workflow this stack ran: the claim, its ERA pulls, anything it started.
    const ids = new Set<string>([claim.workflowId]);
    for await (const wf of stack.client.workflow.list({ query: `TaskQueue = "${stack.taskQueue}"` })) {
      ids.add(wf.workflowId);
    }
    expect(ids.size).toBeGreaterThan(2);
    const leaks: string[] = [];
    let sealed = 0;
    for (const id of ids) {
      const h = await rawHistory(stack.connection, id);
      leaks.push(...findSecrets(h, phi));
      for (const p of h.payloads) {
        if (isSearchAttribute(p) || isPatchMarker(p)) continue;
        // Memos, inputs, results, signals, updates, failure details: all sealed.
        if (p.encoding !== ENCRYPTED_ENCODING) leaks.push(`${id}: plain ${p.encoding} payload at ${p.path}`);
        else sealed++;
      }
    }
    expect(leaks).toEqual([]);
    // The claim's own payloads name their workflow, which the codec server authorises decodes by.
    const own = (await rawHistory(stack.connection, claim.workflowId)).payloads.filter(
      (p) => !isSearchAttribute(p) && !isPatchMarker(p),
    );
    expect(new Set(own.map((p) => p.workflowId))).toEqual(new Set([claim.workflowId]));
    expect(sealed).toBeGreaterThan(20);
    // The search attributes the supervisors query by are still there, in plain text, and PHI-free.
    const desc = await stack.client.workflow.getHandle(claim.workflowId).describe();
    expect(desc.status.name).toBe('COMPLETED');
    expect(desc.searchAttributes).toMatchObject({ ClaimStatus: ['PAID'], PracticeId: ['sunrise-fp'] });
  });
});
