/**
 * Pure adjudication logic of the simulated payer: which scenario a claim falls under, how its lines are
 * priced (allowed amount, contractual CO-45, patient responsibility PR-1/2/3, denials with group + CARC +
 * RARC), reversals, and appeal decisions. No I/O and no clock: everything is a function of the claim, the
 * scenario table and the dates passed in, so the same claim always gets the same answer.
 *
 * Every `ClaimPayment` made here balances by construction (docs/x12-835.md): per line
 * `SVC02 - SVC03 = sum(line CAS)`, and per claim `CLP03 - CLP04 = sum(claim CAS) + sum(line CAS)`.
 */
import { createHash } from 'node:crypto';
import type { Adjustment, ClaimPayment, ServiceLine } from '../domain/x12/index.js';
import { daysBetween } from './dates.js';
import {
  type AppealRule,
  DEFAULT_MIX,
  type Outcome,
  type ScenarioCondition,
  type ScenarioRule,
} from './scenarios.js';
import type { ClaimBody, ClaimLine } from './schemas.js';

/** The allowed amount of rules that do not say otherwise: 80% of the charge. */
export const DEFAULT_ALLOWED_PERCENT = 80;

/** What the payer decided to do with a claim, fixed when the claim is accepted. */
export interface SelectedScenario {
  /** The rule name, or `default:<mix row>` for the default mix. */
  name: string;
  outcome: Outcome;
  allowedPercent: number;
  delayFactor: number;
  interestPercent?: number;
  recoupPercent?: number;
  repostAllowedPercent?: number;
  underpayCents?: number;
  appeal?: AppealRule;
  /** The matched rule's conditions, for denials scoped to `matching_lines`. */
  when?: ScenarioCondition;
  /**
   * Set on a corrected claim that fixed some of the denied lines: the denial applies to these line
   * numbers only, whatever the scope says (payer-sim/corrections.ts).
   */
  deniedLineNumbers?: number[];
}

/** A number in [0, 1) that depends only on `key` (SHA-256), for decisions that must be stable across runs. */
export function stableFraction(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

function hasLineCondition(when: ScenarioCondition): boolean {
  return (
    when.procedureCode !== undefined || when.modifier !== undefined || when.missingModifier !== undefined
  );
}

function lineMatches(line: ClaimLine, when: ScenarioCondition): boolean {
  if (when.procedureCode !== undefined && line.procedureCode !== when.procedureCode) return false;
  if (when.modifier !== undefined && !line.modifiers.includes(when.modifier)) return false;
  if (when.missingModifier !== undefined && line.modifiers.includes(when.missingModifier)) return false;
  return true;
}

/** True when every condition of `when` holds for the claim received on `receivedDate`. */
export function ruleMatches(claim: ClaimBody, when: ScenarioCondition, receivedDate: string): boolean {
  if (when.memberIdPrefix !== undefined && !claim.patient.memberId.startsWith(when.memberIdPrefix))
    return false;
  if (
    when.patientControlNumberPrefix !== undefined &&
    !claim.patientControlNumber.startsWith(when.patientControlNumberPrefix)
  ) {
    return false;
  }
  if (when.payerId !== undefined && claim.payerId !== when.payerId) return false;
  if (when.frequencyCode !== undefined && claim.frequencyCode !== when.frequencyCode) return false;
  if (when.diagnosisPrefix !== undefined) {
    const prefix = when.diagnosisPrefix;
    if (!claim.diagnosisCodes.some((code) => code.startsWith(prefix))) return false;
  }
  if (
    when.dateOfServiceOlderThanDays !== undefined &&
    daysBetween(claim.dateOfService, receivedDate) <= when.dateOfServiceOlderThanDays
  ) {
    return false;
  }
  if (hasLineCondition(when) && !claim.lines.some((line) => lineMatches(line, when))) return false;
  return true;
}

/**
 * The default mix outcome of a claim no rule matched, picked by a stable hash of its patient control
 * number, so a replacement claim (frequency 7) draws the same row as the claim it replaces; whether the
 * correction lifts that denial is decided by `correctedScenario` (payer-sim/corrections.ts).
 */
export function defaultMixScenario(claim: ClaimBody): SelectedScenario {
  const bucket = Math.floor(stableFraction(`mix:${claim.patientControlNumber}`) * 10_000);
  let cumulative = 0;
  let row = DEFAULT_MIX[DEFAULT_MIX.length - 1]!;
  for (const candidate of DEFAULT_MIX) {
    cumulative += candidate.weight;
    if (bucket < cumulative) {
      row = candidate;
      break;
    }
  }
  const allowedPercent = 65 + Math.floor(stableFraction(`allowed:${claim.patientControlNumber}`) * 26);
  return { name: `default:${row.name}`, outcome: row.outcome, allowedPercent, delayFactor: 1 };
}

/**
 * Picks the scenario of a claim: the first matching rule, else the default mix. `priorLost` skips
 * `lost` rules, so a claim the payer lost is adjudicated when it is submitted again.
 */
export function selectScenario(
  claim: ClaimBody,
  rules: readonly ScenarioRule[],
  ctx: { receivedDate: string; priorLost: boolean },
): SelectedScenario {
  for (const rule of rules) {
    if (ctx.priorLost && rule.outcome?.kind === 'lost') continue;
    if (!ruleMatches(claim, rule.when, ctx.receivedDate)) continue;
    const base = rule.outcome ? undefined : defaultMixScenario(claim);
    const selected: SelectedScenario = {
      name: base ? `${rule.name}+${base.name}` : rule.name,
      outcome: rule.outcome ?? base!.outcome,
      allowedPercent: rule.allowedPercent ?? base?.allowedPercent ?? DEFAULT_ALLOWED_PERCENT,
      delayFactor: rule.delayFactor ?? 1,
      when: rule.when,
    };
    if (rule.interestPercent !== undefined) selected.interestPercent = rule.interestPercent;
    if (rule.recoupPercent !== undefined) selected.recoupPercent = rule.recoupPercent;
    if (rule.repostAllowedPercent !== undefined) selected.repostAllowedPercent = rule.repostAllowedPercent;
    if (rule.underpayCents !== undefined) selected.underpayCents = rule.underpayCents;
    if (rule.appeal !== undefined) selected.appeal = rule.appeal;
    return selected;
  }
  return defaultMixScenario(claim);
}

/** Percentage of an amount in integer cents, rounded half up. */
function percentOf(cents: number, percent: number): number {
  return Math.round((cents * percent) / 100);
}

/** X12 data may not contain a delimiter; names are upper-cased as payers print them. */
function x12Text(value: string): string {
  return value
    .replace(/[*~:^\r\n]/g, ' ')
    .trim()
    .toUpperCase();
}

/** CLP06 claim filing indicator from the payer id: MB Medicare Part B, MC Medicaid, CI commercial. */
export function filingIndicator(payerId: string): string {
  if (/^(MCR|MEDICARE)/i.test(payerId)) return 'MB';
  if (/^(MCD|MEDICAID)/i.test(payerId)) return 'MC';
  return 'CI';
}

/** Which line indexes a denial scope covers. */
function deniedLineIndexes(claim: ClaimBody, scenario: SelectedScenario, scope: string): Set<number> {
  const all = claim.lines.map((_, i) => i);
  const only = scenario.deniedLineNumbers;
  if (only) return new Set(all.filter((i) => only.includes(claim.lines[i]!.lineNumber)));
  switch (scope) {
    case 'all_lines':
      return new Set(all);
    case 'first_line':
      return new Set([0]);
    case 'lines_after_first':
      return new Set(all.slice(1));
    case 'matching_lines': {
      const when = scenario.when;
      if (!when || !hasLineCondition(when)) return new Set(all);
      return new Set(all.filter((i) => lineMatches(claim.lines[i]!, when)));
    }
    default:
      return new Set();
  }
}

interface PatientShare {
  deductibleLeft: number;
  coinsurancePercent: number;
  copayLeft: number;
}

function serviceLine(
  line: ClaimLine,
  paidCents: number,
  adjustments: Adjustment[],
  allowedCents: number | undefined,
  remarkCodes: string[],
): ServiceLine {
  const svc: ServiceLine = {
    procedure: { qualifier: 'HC', code: line.procedureCode, modifiers: [...line.modifiers] },
    chargeCents: line.chargeCents,
    paidCents,
    serviceDate: line.serviceDate,
    adjustments,
    refs: { '6R': String(line.lineNumber) },
    amounts: allowedCents === undefined ? {} : { B6: allowedCents },
    remarkCodes,
  };
  // SVC05 units paid is sent only when it is not one unit (835 guide).
  if (line.units !== 1) svc.unitsPaid = line.units;
  return svc;
}

/** Prices a payable line: allowed amount, CO-45 for the rest, then PR-1/2/3 from the patient's share. */
function priceLine(
  line: ClaimLine,
  allowedPercent: number,
  share: PatientShare,
  underpayCents = 0,
): ServiceLine {
  const full = Math.min(line.chargeCents, percentOf(line.chargeCents, allowedPercent));
  const allowed = Math.max(0, full - underpayCents);
  const adjustments: Adjustment[] = [];
  if (line.chargeCents > allowed) {
    adjustments.push({ group: 'CO', reason: '45', amountCents: line.chargeCents - allowed });
  }
  const deductible = Math.min(share.deductibleLeft, allowed);
  share.deductibleLeft -= deductible;
  const coinsurance = percentOf(allowed - deductible, share.coinsurancePercent);
  const copay = Math.min(share.copayLeft, allowed - deductible - coinsurance);
  share.copayLeft -= copay;
  if (deductible > 0) adjustments.push({ group: 'PR', reason: '1', amountCents: deductible });
  if (coinsurance > 0) adjustments.push({ group: 'PR', reason: '2', amountCents: coinsurance });
  if (copay > 0) adjustments.push({ group: 'PR', reason: '3', amountCents: copay });
  return serviceLine(line, allowed - deductible - coinsurance - copay, adjustments, allowed, []);
}

function deniedLine(
  line: ClaimLine,
  group: Adjustment['group'],
  reason: string,
  remarks: string[],
): ServiceLine {
  const adjustments: Adjustment[] =
    line.chargeCents > 0 ? [{ group, reason, amountCents: line.chargeCents }] : [];
  return serviceLine(line, 0, adjustments, undefined, [...remarks]);
}

function sumPatientResponsibility(adjustments: Adjustment[], lines: ServiceLine[]): number {
  let total = 0;
  for (const a of [...adjustments, ...lines.flatMap((l) => l.adjustments)]) {
    if (a.group === 'PR') total += a.amountCents;
  }
  return total;
}

/** What `adjudicate` needs besides the scenario. */
export interface AdjudicationInput {
  claim: ClaimBody;
  scenario: SelectedScenario;
  /** CLP07, the payer claim control number assigned to this adjudication. */
  payerClaimNumber: string;
  /** DTM*050, the day the payer received the claim. */
  receivedDate: string;
  /** REF*F8 on reprocessed claims: the payer claim number this adjudication replaces. */
  replacesPayerClaimNumber?: string;
}

/**
 * Adjudicates a claim under its scenario and returns the CLP loop of the 835. Throws for scenarios that
 * never reach adjudication (`lost`, `front_end_rejection`): the caller must not adjudicate those.
 */
export function adjudicate(input: AdjudicationInput): ClaimPayment {
  const { claim, scenario } = input;
  const outcome = scenario.outcome;
  let claimAdjustments: Adjustment[] = [];
  let claimRemarks: string[] = [];
  let lines: ServiceLine[];
  let statusCode: ClaimPayment['statusCode'] = '1';
  const noShare: PatientShare = { deductibleLeft: 0, coinsurancePercent: 0, copayLeft: 0 };

  switch (outcome.kind) {
    case 'paid':
      lines = claim.lines.map((line, i) =>
        priceLine(line, scenario.allowedPercent, noShare, i === 0 ? scenario.underpayCents : 0),
      );
      break;
    case 'patient_share': {
      const share: PatientShare = {
        deductibleLeft: outcome.deductibleCents ?? 0,
        coinsurancePercent: outcome.coinsurancePercent ?? 0,
        copayLeft: outcome.copayCents ?? 0,
      };
      lines = claim.lines.map((line, i) =>
        priceLine(line, scenario.allowedPercent, share, i === 0 ? scenario.underpayCents : 0),
      );
      break;
    }
    case 'denied': {
      statusCode = outcome.claimStatus ?? '1';
      const remarks = outcome.remarkCodes ?? [];
      if (outcome.scope === 'claim') {
        // Claim-level denial: one CAS for the whole charge, no service lines (common for eligibility).
        lines = [];
        if (claim.totalChargeCents > 0) {
          claimAdjustments = [
            { group: outcome.group, reason: outcome.reason, amountCents: claim.totalChargeCents },
          ];
        }
        claimRemarks = [...remarks];
      } else {
        const denied = deniedLineIndexes(claim, scenario, outcome.scope);
        lines = claim.lines.map((line, i) =>
          denied.has(i)
            ? deniedLine(line, outcome.group, outcome.reason, remarks)
            : priceLine(line, scenario.allowedPercent, noShare),
        );
      }
      break;
    }
    case 'requests_information': {
      const remarks = outcome.remarkCodes ?? ['M127'];
      lines = claim.lines.map((line) => deniedLine(line, 'CO', outcome.reason ?? '252', remarks));
      break;
    }
    default:
      throw new Error(`scenario ${scenario.name} (${outcome.kind}) is never adjudicated`);
  }

  const payment: ClaimPayment = {
    patientControlNumber: claim.patientControlNumber,
    statusCode,
    chargeCents: claim.lines.reduce((sum, line) => sum + line.chargeCents, 0),
    paidCents: lines.reduce((sum, line) => sum + line.paidCents, 0),
    patientResponsibilityCents: sumPatientResponsibility(claimAdjustments, lines),
    filingIndicator: filingIndicator(claim.payerId),
    payerClaimNumber: input.payerClaimNumber,
    facilityCode: '11',
    frequencyCode: claim.frequencyCode,
    adjustments: claimAdjustments,
    patient: patientParty(claim),
    remarkCodes: claimRemarks,
    refs: input.replacesPayerClaimNumber ? { F8: input.replacesPayerClaimNumber } : {},
    dates: { '050': input.receivedDate },
    amounts: {},
    quantities: {},
    serviceLines: lines,
  };
  return payment;
}

function patientParty(claim: ClaimBody): ClaimPayment['patient'] {
  const party: NonNullable<ClaimPayment['patient']> = {
    entity: 'QC',
    entityType: '1',
    idQualifier: 'MI',
    id: claim.patient.memberId,
  };
  const last = x12Text(claim.patient.lastName);
  const first = x12Text(claim.patient.firstName);
  if (last) party.name = last;
  if (first) party.firstName = first;
  return party;
}

function negate(adjustments: Adjustment[]): Adjustment[] {
  return adjustments.map((a) => ({ ...a, amountCents: -a.amountCents }));
}

/**
 * The reversal of an earlier CLP loop (CLP02=22): every amount negated so that posting it undoes the
 * original exactly. It keeps the original payer claim number so posting can find what it reverses.
 */
export function reverseClaimPayment(original: ClaimPayment): ClaimPayment {
  return {
    ...original,
    statusCode: '22',
    chargeCents: -original.chargeCents,
    paidCents: -original.paidCents,
    patientResponsibilityCents: -original.patientResponsibilityCents,
    adjustments: negate(original.adjustments),
    amounts: Object.fromEntries(Object.entries(original.amounts).map(([k, v]) => [k, -v])),
    serviceLines: original.serviceLines.map((line) => ({
      ...line,
      chargeCents: -line.chargeCents,
      paidCents: -line.paidCents,
      adjustments: negate(line.adjustments),
      amounts: Object.fromEntries(Object.entries(line.amounts).map(([k, v]) => [k, -v])),
    })),
  };
}

/** True when posting the CLP moved money (payment or patient balance), so reprocessing must reverse it. */
export function movedMoney(payment: ClaimPayment): boolean {
  return payment.paidCents !== 0 || payment.patientResponsibilityCents !== 0;
}

/** Contractual (CO-45, CO-253) and PR-1/2/3 are adjustments, not denials (docs/carc-rarc.md). */
export function isDenialAdjustment(a: Adjustment): boolean {
  if (a.reason === '45' || a.reason === '253') return false;
  if (a.group === 'PR' && (a.reason === '1' || a.reason === '2' || a.reason === '3')) return false;
  return true;
}

/** Every denial adjustment of a CLP loop, claim level and line level: denials are read per line. */
export function denialAdjustments(payment: ClaimPayment): Adjustment[] {
  return [...payment.adjustments, ...payment.serviceLines.flatMap((l) => l.adjustments)].filter(
    isDenialAdjustment,
  );
}

/** The 277 category of an adjudicated claim: F1 paid, F2 denied, F4 no payment forthcoming. */
export function finalizedCategory(payment: ClaimPayment): 'F1' | 'F2' | 'F4' {
  if (payment.paidCents > 0) return 'F1';
  return denialAdjustments(payment).length > 0 ? 'F2' : 'F4';
}

/** PLB L6 interest on a late payment: a percentage of the payment, at least one cent. */
export function interestCents(paidCents: number, percent: number): number {
  if (paidCents <= 0) return 0;
  return Math.max(1, percentOf(paidCents, percent));
}

/** The overpayment a recoupment scenario takes back: a percentage of the payment, at least one cent. */
export function recoupmentCents(paidCents: number, percent: number): number {
  if (paidCents <= 0) return 0;
  return Math.max(1, percentOf(paidCents, percent));
}

/** An appeal decision and the reason the payer gives. */
export interface AppealDecision {
  decision: 'overturned' | 'upheld';
  reason: string;
}

const OVERTURNED_REASON = 'Appeal approved: the claim was reprocessed for payment.';

/** Denials an appeal cannot fix (docs/carc-rarc.md next actions): rebill, correct or fix enrollment instead. */
const NOT_BY_APPEAL: Record<string, string> = {
  '18': 'Exact duplicate of a claim already processed; check the original claim.',
  '27': 'Coverage was not in effect for the date of service; bill the correct payer.',
  '31': 'The patient cannot be identified as our insured; verify eligibility and rebill.',
  '22': 'Another payer is primary; submit with the primary EOB.',
  B7: 'Provider enrollment was not effective; update enrollment and rebill.',
  '4': 'Coding errors are corrected with a replacement claim (frequency 7), not an appeal.',
  '11': 'Coding errors are corrected with a replacement claim (frequency 7), not an appeal.',
  '16': 'Missing information is supplied with a replacement claim (frequency 7), not an appeal.',
};

/**
 * Decides an appeal. The scenario's `appeal` rule wins; otherwise the payer upholds appeals of paid
 * claims and of denials an appeal cannot fix, upholds timely-filing and other appeals that attach no
 * documentation, and overturns about 60% of documented appeals (docs/kpis.md: 40-60% typical overturn rate),
 * chosen by a stable hash so the same appeal always gets the same decision.
 */
export function decideAppeal(input: {
  payment: ClaimPayment;
  scenario: SelectedScenario;
  level: number;
  attachmentCount: number;
}): AppealDecision {
  const { payment, scenario } = input;
  if (scenario.appeal === undefined && scenario.underpayCents !== undefined) {
    return {
      decision: 'overturned',
      reason: 'Underpayment confirmed: the claim was reprocessed at the contracted rate.',
    };
  }
  if (scenario.appeal) {
    return {
      decision: scenario.appeal.decision,
      reason:
        scenario.appeal.reason ??
        (scenario.appeal.decision === 'overturned'
          ? OVERTURNED_REASON
          : 'The original determination stands.'),
    };
  }
  const denials = denialAdjustments(payment);
  if (denials.length === 0) {
    return { decision: 'upheld', reason: 'The claim was paid according to the contracted fee schedule.' };
  }
  for (const denial of denials) {
    const reason = NOT_BY_APPEAL[denial.reason];
    if (reason) return { decision: 'upheld', reason };
  }
  if (input.attachmentCount === 0) {
    const timely = denials.some((d) => d.reason === '29');
    return {
      decision: 'upheld',
      reason: timely
        ? 'No proof of timely filing was submitted.'
        : 'No supporting documentation was attached.',
    };
  }
  const draw = stableFraction(
    `appeal:${payment.patientControlNumber}:${payment.payerClaimNumber}:${input.level}`,
  );
  return draw < 0.6
    ? { decision: 'overturned', reason: OVERTURNED_REASON }
    : { decision: 'upheld', reason: 'The documentation does not support the service as billed.' };
}
