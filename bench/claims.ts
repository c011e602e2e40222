/** Claim bodies and submission through the real HTTP API, as a practice management system sends them. */
import { randomBytes } from 'node:crypto';
import { auth } from './stack.js';

const runTag = randomBytes(3).toString('hex').toUpperCase();
let seq = 0;

/** A valid POST /claims body; the member id's prefix steers payer-sim (PAID-, DENY50-, LOST-). */
export function benchClaimBody(memberId: string) {
  seq += 1;
  const claimId = `B${runTag}${seq}`;
  return {
    practiceId: 'sunrise-fp',
    claimId,
    payerId: 'ACME-HEALTH',
    billingProviderNpi: '1234567893',
    dateOfService: new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10),
    patient: {
      externalId: `P-${claimId}`,
      firstName: 'Bench',
      lastName: 'Patient',
      birthDate: '1980-04-02',
      memberId,
    },
    diagnosisCodes: ['E11.9'],
    lines: [
      { procedureCode: '99213', modifiers: [], units: 1, chargeCents: 15_000, diagnosisPointers: [1] },
      { procedureCode: '36415', modifiers: [], units: 1, chargeCents: 5_000, diagnosisPointers: [1] },
    ],
  };
}

export interface Submitted {
  id: string;
  workflowId: string;
  submittedAt: number;
}

/** POST /claims; throws unless the API created the claim. */
export async function submitClaim(apiUrl: string, memberId: string): Promise<Submitted> {
  const submittedAt = Date.now();
  const res = await fetch(`${apiUrl}/claims`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth('integration') },
    body: JSON.stringify(benchClaimBody(memberId)),
  });
  if (res.status !== 201) throw new Error(`POST /claims answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { id: string; workflowId: string };
  return { id: body.id, workflowId: body.workflowId, submittedAt };
}
