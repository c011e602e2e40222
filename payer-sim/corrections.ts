/**
 * How the simulated payer judges a corrected claim (frequency 7): like a payer's edits, it checks whether
 * the replacement fixes what the denial named (the modifier for CARC 4, the authorization number for
 * CARC 197, the diagnosis pointer for CARC 11, ...). A correction that fixes it is adjudicated as paid; one
 * that changes nothing relevant is denied again for the same reason. Pure: no I/O, no clock.
 */
import type { Adjustment, ClaimPayment } from '../domain/x12/index.js';
import { isDenialAdjustment, type SelectedScenario } from './adjudicate.js';
import type { ClaimBody, ClaimLine } from './schemas.js';

/** Modifiers that mark a distinct procedural service, the fix for a bundling denial. */
const DISTINCT_SERVICE_MODIFIERS: ReadonlySet<string> = new Set(['59', 'XE', 'XP', 'XS', 'XU']);

/** One denial of the earlier adjudication: its CARC, RARCs, and the line it was on (none for claim level). */
export interface NamedDenial {
  reason: string;
  remarkCodes: string[];
  lineNumber?: number;
}

/** What a correction must change to clear a denial, and a check of one correction against it. */
interface CorrectionRule {
  /** What the biller must correct, as payer-sim/README.md documents it. */
  expects: string;
  fixed(before: ClaimBody, after: ClaimBody, denial: NamedDenial): boolean;
}

function lineOf(claim: ClaimBody, lineNumber: number | undefined): ClaimLine | undefined {
  return lineNumber === undefined ? undefined : claim.lines.find((l) => l.lineNumber === lineNumber);
}

/** The lines a denial concerns, before and after: its own line, or every line for a claim-level denial. */
function linePairs(
  before: ClaimBody,
  after: ClaimBody,
  denial: NamedDenial,
): [ClaimLine, ClaimLine | undefined][] {
  const lines = denial.lineNumber === undefined ? before.lines : [lineOf(before, denial.lineNumber)];
  return lines.flatMap((l) =>
    l ? [[l, lineOf(after, l.lineNumber)] as [ClaimLine, ClaimLine | undefined]] : [],
  );
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');

/** The diagnosis codes a line points to (pointer 1 when it has none), so a new pointer or a new code both count. */
function pointedDiagnoses(claim: ClaimBody, line: ClaimLine): string[] {
  return (line.diagnosisPointers ?? [1]).map((p) => claim.diagnosisCodes[p - 1] ?? '');
}

const modifiersChanged: CorrectionRule = {
  expects: 'a changed modifier on the denied line (e.g. RT, LT or 50 for laterality)',
  fixed: (b, a, d) =>
    linePairs(b, a, d).some(([x, y]) => y !== undefined && !sameSet(x.modifiers, y.modifiers)),
};

const distinctService: CorrectionRule = {
  expects: 'modifier 59 (or XE, XP, XS, XU) on the bundled line',
  fixed: (b, a, d) =>
    linePairs(b, a, d).some(
      ([x, y]) =>
        y?.modifiers.some((m) => DISTINCT_SERVICE_MODIFIERS.has(m) && !x.modifiers.includes(m)) === true,
    ),
};

const diagnosisChanged: CorrectionRule = {
  expects: 'a different diagnosis for the denied line (its diagnosis pointer or the code it points to)',
  fixed: (b, a, d) =>
    linePairs(b, a, d).some(
      ([x, y]) => y !== undefined && !sameSet(pointedDiagnoses(b, x), pointedDiagnoses(a, y)),
    ),
};

const procedureChanged: CorrectionRule = {
  expects: 'a corrected procedure code on the denied line',
  fixed: (b, a, d) =>
    linePairs(b, a, d).some(([x, y]) => y !== undefined && x.procedureCode !== y.procedureCode),
};

const codingChanged: CorrectionRule = {
  expects: 'a corrected procedure code, modifier or diagnosis on the denied line',
  fixed: (b, a, d) =>
    procedureChanged.fixed(b, a, d) || modifiersChanged.fixed(b, a, d) || diagnosisChanged.fixed(b, a, d),
};

const authorizationAdded: CorrectionRule = {
  expects: 'the prior authorization number (priorAuthorizationNumber, REF*G1)',
  fixed: (b, a) =>
    (a.priorAuthorizationNumber ?? '') !== '' && a.priorAuthorizationNumber !== b.priorAuthorizationNumber,
};

const renderingProvider: CorrectionRule = {
  expects: 'the rendering provider NPI (renderingProviderNpi), or a corrected billing provider NPI',
  fixed: (b, a) =>
    ((a.renderingProviderNpi ?? '') !== '' && a.renderingProviderNpi !== b.renderingProviderNpi) ||
    a.billingProviderNpi !== b.billingProviderNpi,
};

const memberChanged: CorrectionRule = {
  expects: 'the corrected member id',
  fixed: (b, a) => a.patient.memberId !== b.patient.memberId,
};

const enrollmentChanged: CorrectionRule = {
  expects: 'an enrolled billing provider NPI',
  fixed: (b, a) => a.billingProviderNpi !== b.billingProviderNpi,
};

const anyContentChanged: CorrectionRule = {
  expects: 'the information the remark code names (any corrected line, diagnosis, provider or authorization)',
  fixed: (b, a) =>
    JSON.stringify({ ...b, frequencyCode: '', originalPayerClaimNumber: '' }) !==
    JSON.stringify({ ...a, frequencyCode: '', originalPayerClaimNumber: '' }),
};

/** CARC -> what a corrected claim must fix. A CARC not listed cannot be fixed by a correction (appeal it). */
const BY_CARC: Readonly<Record<string, CorrectionRule>> = {
  '4': modifiersChanged,
  '97': distinctService,
  '234': distinctService,
  '236': distinctService,
  '11': diagnosisChanged,
  '146': diagnosisChanged,
  '5': codingChanged,
  '6': codingChanged,
  '7': codingChanged,
  '8': codingChanged,
  '9': codingChanged,
  '10': codingChanged,
  '181': procedureChanged,
  '182': modifiersChanged,
  '189': procedureChanged,
  '199': codingChanged,
  '197': authorizationAdded,
  '198': authorizationAdded,
  '15': authorizationAdded,
  '39': authorizationAdded,
  '243': authorizationAdded,
  '27': memberChanged,
  '31': memberChanged,
  '32': memberChanged,
  '33': memberChanged,
  '140': memberChanged,
  '177': memberChanged,
  '200': memberChanged,
  B7: enrollmentChanged,
  '185': renderingProvider,
  '170': enrollmentChanged,
};

/** RARCs that say what a CARC 16 (missing information) is about. */
const BY_REMARK: Readonly<Record<string, CorrectionRule>> = {
  M51: procedureChanged,
  N290: renderingProvider,
  M76: diagnosisChanged,
  M62: authorizationAdded,
  N519: modifiersChanged,
};

function ruleFor(denial: NamedDenial): CorrectionRule | undefined {
  if (denial.reason === '16' || denial.reason === '252') {
    for (const code of denial.remarkCodes) {
      const byRemark = BY_REMARK[code];
      if (byRemark) return byRemark;
    }
    return anyContentChanged;
  }
  return BY_CARC[denial.reason];
}

/** What a corrected claim must fix for a CARC (and its RARCs), or undefined when a correction cannot fix it. */
export function expectedCorrection(reason: string, remarkCodes: string[] = []): string | undefined {
  return ruleFor({ reason, remarkCodes })?.expects;
}

/** Every denial (not contractual or patient share) of an adjudication, with its line and remark codes. */
export function namedDenials(payment: ClaimPayment): NamedDenial[] {
  const out: NamedDenial[] = [];
  const add = (a: Adjustment, remarkCodes: string[], lineNumber?: number) => {
    if (!isDenialAdjustment(a)) return;
    const d: NamedDenial = { reason: a.reason, remarkCodes };
    if (lineNumber !== undefined) d.lineNumber = lineNumber;
    out.push(d);
  };
  for (const a of payment.adjustments) add(a, payment.remarkCodes);
  for (const line of payment.serviceLines) {
    const n = Number(line.refs['6R']);
    for (const a of line.adjustments) add(a, line.remarkCodes, Number.isInteger(n) ? n : undefined);
  }
  return out;
}

/** The verdict on one named denial: fixed by the correction, or not (with what was expected). */
export interface CorrectionVerdict {
  denial: NamedDenial;
  fixed: boolean;
  expects?: string;
}

/** Judges a corrected claim against the denials of the adjudication it replaces. */
export function judgeCorrection(
  denied: { claim: ClaimBody; payment: ClaimPayment },
  corrected: ClaimBody,
): CorrectionVerdict[] {
  return namedDenials(denied.payment).map((denial) => {
    const rule = ruleFor(denial);
    if (!rule) return { denial, fixed: false };
    return { denial, fixed: rule.fixed(denied.claim, corrected, denial), expects: rule.expects };
  });
}

function deniedReason(s: SelectedScenario): string | undefined {
  if (s.outcome.kind === 'denied') return s.outcome.reason;
  if (s.outcome.kind === 'requests_information') return s.outcome.reason ?? '252';
  return undefined;
}

/**
 * The scenario of a corrected claim. The scenario table is matched on the corrected content first
 * (`selected`); then:
 * - a denial for a reason the earlier adjudication gave is lifted when the correction fixed it (the
 *   member-id rules, which still match, and the default mix, which picks the same row again), and stands
 *   when it did not: "denied again";
 * - a denial from the default mix for a reason the payer never gave is not applied to a correction (it
 *   would be a fresh random denial, teaching nothing);
 * - anything else (a paid outcome, a content rule newly broken) is what the corrected content earned.
 */
export function correctedScenario(
  selected: SelectedScenario,
  denied: { claim: ClaimBody; payment: ClaimPayment },
  corrected: ClaimBody,
): SelectedScenario {
  const reason = deniedReason(selected);
  if (reason === undefined) return selected;
  const verdicts = judgeCorrection(denied, corrected);
  const same = verdicts.filter((v) => v.denial.reason === reason);
  if (same.length > 0) {
    if (same.every((v) => v.fixed)) {
      return { ...selected, name: `${selected.name}+corrected`, outcome: { kind: 'paid' } };
    }
    const unfixed = same.filter((v) => !v.fixed).map((v) => v.denial.lineNumber);
    const lineLevel =
      selected.outcome.kind === 'denied' &&
      selected.outcome.scope !== 'claim' &&
      unfixed.every((n) => n !== undefined);
    if (lineLevel && unfixed.length < same.length) {
      // The lines that were fixed are paid; the others are denied again.
      return {
        ...selected,
        name: `${selected.name}+partly-corrected`,
        deniedLineNumbers: unfixed.filter((n) => n !== undefined),
      };
    }
    return { ...selected, name: `${selected.name}+not-corrected` };
  }
  if (selected.name.startsWith('default:')) {
    return { ...selected, name: 'default:corrected-paid', outcome: { kind: 'paid' } };
  }
  return selected;
}
