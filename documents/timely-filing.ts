/**
 * Proof of timely filing, for a CARC 29 denial ("the time limit for filing has expired"). Payers
 * accept the clearinghouse's acceptance report as proof the claim reached them in time, so the letter
 * lists the first submission, the clearinghouse acceptance (id and date) and every resubmission, and
 * states the filing limit they beat (docs/deadlines.md). Without an acceptance before the limit there
 * is nothing to prove, and the renderer refuses rather than print a letter that would lose the appeal.
 */
import { FailureType } from '../domain/failures.js';
import { formatUsd } from '../domain/money.js';
import { DocumentError } from './errors.js';
import { Composer } from './pdf/composer.js';
import { addressLines, longDate } from './templates/fields.js';
import type { SubmissionEvent, TimelyFilingProofData } from './types.js';

const KIND_TEXT: Record<SubmissionEvent['kind'], string> = {
  SUBMITTED: 'Submitted to the clearinghouse',
  ACCEPTED: 'Accepted by the clearinghouse',
  REJECTED: 'Rejected by the clearinghouse (front-end edit)',
  RESUBMITTED: 'Resubmitted (corrected claim)',
  PAYER_RECEIVED: 'Received by the payer',
  STATUS_INQUIRY: 'Claim status inquiry',
};

/** The facts the letter rests on, checked: first submission and first acceptance, both in time. */
export function timelyFilingFacts(data: Pick<TimelyFilingProofData, 'history' | 'timelyFilingDeadline'>): {
  firstSubmission: SubmissionEvent;
  acceptance: SubmissionEvent;
  resubmissions: SubmissionEvent[];
} {
  const history = [...data.history].sort((a, b) => a.at.localeCompare(b.at));
  const firstSubmission = history.find((e) => e.kind === 'SUBMITTED' || e.kind === 'RESUBMITTED');
  if (!firstSubmission) {
    throw new DocumentError(
      FailureType.DocumentDataInvalid,
      'The submission history has no submission: there is nothing to prove timely filing with.',
      'history',
    );
  }
  const acceptance = history.find((e) => e.kind === 'ACCEPTED' && e.at >= firstSubmission.at);
  if (!acceptance?.clearinghouseClaimId) {
    throw new DocumentError(
      FailureType.DocumentDataInvalid,
      'The submission history has no clearinghouse acceptance with its id: payers require it as proof.',
      'history',
    );
  }
  if (acceptance.at.slice(0, 10) > data.timelyFilingDeadline) {
    throw new DocumentError(
      FailureType.DocumentDataInvalid,
      `The first acceptance (${acceptance.at.slice(0, 10)}) is after the filing limit (${data.timelyFilingDeadline}): the claim was not filed in time.`,
      'history',
    );
  }
  return {
    firstSubmission,
    acceptance,
    resubmissions: history.filter((e) => e.kind === 'RESUBMITTED' && e !== firstSubmission),
  };
}

/** Renders the proof-of-timely-filing letter. */
export async function renderTimelyFilingProof(data: TimelyFilingProofData): Promise<Buffer> {
  const facts = timelyFilingFacts(data);
  const c = new Composer({
    title: `Proof of timely filing ${data.claim.claimId}`,
    createdOn: data.preparedOn,
    author: data.letterhead.practiceName,
  });
  const lh = data.letterhead;
  c.lines([lh.practiceName], { font: 'bold', size: 14 });
  c.lines([...addressLines(lh.address), `Phone ${lh.phone}  ·  NPI ${lh.npi}`]);
  c.rule();
  c.paragraph(longDate(data.preparedOn));
  c.lines([data.payer.name, ...(data.payer.appealAddress ? addressLines(data.payer.appealAddress) : [])]);
  c.doc.moveDown(0.8);
  c.heading('Proof of timely filing', 13);
  c.fields([
    ['Patient', `${data.patient.firstName} ${data.patient.lastName}`],
    ['Member ID', data.patient.memberId],
    ['Payer claim number', data.claim.payerClaimNumber ?? 'not assigned'],
    ['Patient control number', data.claim.patientControlNumber],
    ['Date of service', longDate(data.claim.dateOfService)],
    ['Billed amount', formatUsd(data.claim.totalChargeCents)],
    ['Denied on', `${longDate(data.denialDate)} (CARC 29: the time limit for filing has expired)`],
    ['Filing limit', longDate(data.timelyFilingDeadline)],
  ]);
  c.paragraph(
    `The claim was first submitted on ${longDate(facts.firstSubmission.at.slice(0, 10))} and accepted by the ` +
      `clearinghouse on ${longDate(facts.acceptance.at.slice(0, 10))} under acceptance id ` +
      `${facts.acceptance.clearinghouseClaimId}, before the filing limit of ${longDate(data.timelyFilingDeadline)}.` +
      (facts.resubmissions.length > 0
        ? ` It was resubmitted ${facts.resubmissions.length} time(s) afterwards; a corrected claim keeps the ` +
          'filing date of the original it replaces.'
        : '') +
      ' We ask that the denial be reversed and the claim processed.',
  );
  c.heading('Submission history', 11);
  c.table(
    [
      { header: 'Date and time (UTC)', width: 130 },
      { header: 'Event', width: 190 },
      { header: 'Clearinghouse id', width: 100 },
      { header: 'Detail', width: c.width - 420 },
    ],
    [...data.history]
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((e) => [
        e.at.replace('T', ' ').slice(0, 16),
        KIND_TEXT[e.kind],
        e.clearinghouseClaimId ?? '',
        e.detail ?? '',
      ]),
  );
  c.paragraph(`Prepared by ${lh.practiceName} from its claim audit trail.`, { font: 'italic', size: 9 });
  return c.finish();
}
