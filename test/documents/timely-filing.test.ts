/**
 * Proof of timely filing for a CARC 29 denial, built from the submission history: it names the first
 * submission, the clearinghouse acceptance id and date, the resubmissions and the filing limit, and it
 * refuses to exist when the history proves nothing.
 */
import { describe, expect, it } from 'vitest';
import { buildAppealPacket } from '../../documents/appeal-packet.js';
import { DocumentError } from '../../documents/errors.js';
import { renderTimelyFilingProof } from '../../documents/timely-filing.js';
import type { SubmissionEvent, TimelyFilingProofData } from '../../documents/types.js';
import { FailureType } from '../../domain/failures.js';
import { commercialPacketData, pdfText } from './fixtures.js';

const history: SubmissionEvent[] = [
  { at: '2026-09-05T14:02:00Z', kind: 'SUBMITTED', clearinghouseClaimId: 'CH-1001' },
  {
    at: '2026-09-05T14:03:10Z',
    kind: 'ACCEPTED',
    clearinghouseClaimId: 'CH-1001',
    detail: '999/277CA accepted',
  },
  {
    at: '2026-10-20T09:00:00Z',
    kind: 'RESUBMITTED',
    clearinghouseClaimId: 'CH-2002',
    detail: 'corrected claim',
  },
  { at: '2026-10-20T09:01:00Z', kind: 'ACCEPTED', clearinghouseClaimId: 'CH-2002' },
];

function proofData(overrides: Partial<TimelyFilingProofData> = {}): TimelyFilingProofData {
  const base = commercialPacketData();
  return {
    letterhead: base.letterhead,
    payer: base.payer,
    patient: base.patient,
    claim: base.claim,
    timelyFilingDeadline: '2026-12-02',
    denialDate: '2027-01-10',
    history,
    preparedOn: '2027-01-15',
    ...overrides,
  };
}

describe('proof of timely filing', () => {
  it('names the first submission, the acceptance id and date, the resubmissions and the limit', async () => {
    const text = pdfText(await renderTimelyFilingProof(proofData()));
    expect(text).toContain('Proof of timely filing');
    expect(text).toContain('first submitted on September 5, 2026');
    expect(text).toContain('acceptance id CH-1001');
    expect(text).toContain('filing limit of December 2, 2026');
    expect(text).toContain('resubmitted 1 time(s)');
    expect(text).toContain('CARC 29: the time limit for filing has expired');
    expect(text).toContain('CH-2002');
    expect(text).toContain('PCL-55501');
  });

  it('is refused when the first acceptance came after the filing limit', async () => {
    const err = await renderTimelyFilingProof(proofData({ timelyFilingDeadline: '2026-09-01' })).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(DocumentError);
    expect(err.type).toBe(FailureType.DocumentDataInvalid);
    expect(err.message).toContain('after the filing limit');
  });

  it('is refused without a clearinghouse acceptance', async () => {
    const err = await renderTimelyFilingProof(proofData({ history: [history[0]!] })).catch((e) => e);
    expect(err.message).toContain('no clearinghouse acceptance');
  });

  it('goes into a timely-filing appeal packet after the remittance excerpt', async () => {
    const base = commercialPacketData();
    const packet = await buildAppealPacket({
      ...base,
      denial: {
        ...base.denial,
        category: 'TIMELY_FILING',
        adjustments: [{ group: 'CO', carc: '29', amountCents: 48_500 }],
        rarcs: [],
      },
      submissionHistory: history,
      timelyFilingDeadline: '2026-12-02',
    });
    expect(packet.templateKey).toBe('commercial-timely-filing');
    expect(packet.sections.map((s) => s.title)).toEqual([
      'Appeal letter',
      'Claim summary',
      'Remittance advice excerpt',
      'Proof of timely filing',
    ]);
    const proof = packet.sections[3]!;
    expect(pdfText(packet.bytes, { first: proof.firstPage, last: proof.firstPage })).toContain(
      'acceptance id CH-1001',
    );
    expect(pdfText(packet.bytes, { first: 1, last: 1 })).toContain(
      'CO-29: The time limit for filing has expired',
    );
  });
});
