/**
 * The pre-submission scrubber (docs/claim-rules.md): a practice's claim rules, expressed as data, checked
 * against a claim before it goes to the payer; and the miner that proposes rules from the practice's own
 * first adjudications, where a combination of payer, procedure and modifiers is denied often enough.
 * Pure: the rules, the claim and the denial history come in as values.
 */
import type { Cents } from './money.js';

export const CLAIM_RULE_KINDS = ['MODIFIER_REQUIRED', 'DIAGNOSIS_REQUIRED', 'TIMELY_FILING_SOON'] as const;
export type ClaimRuleKind = (typeof CLAIM_RULE_KINDS)[number];

export const CLAIM_RULE_ACTIONS = ['WARN', 'HOLD'] as const;
export type ClaimRuleAction = (typeof CLAIM_RULE_ACTIONS)[number];

/** One version of a claim rule. A payer id of undefined means every payer of the practice. */
export interface ClaimRule {
  ruleKey: string;
  version: number;
  payerId?: string;
  kind: ClaimRuleKind;
  action: ClaimRuleAction;
  /** MODIFIER_REQUIRED and DIAGNOSIS_REQUIRED: the procedure code the rule is about. */
  procedureCode?: string;
  /** MODIFIER_REQUIRED: the modifier a line with `procedureCode` must carry. */
  modifier?: string;
  /** DIAGNOSIS_REQUIRED: a line with `procedureCode` needs a claim diagnosis starting with one of these. */
  diagnosisPrefixes?: string[];
  /** TIMELY_FILING_SOON: fire when the timely filing limit ends within this many days. */
  withinDays?: number;
  description: string;
}

/** What the scrubber looks at: the claim as it would be filed. */
export interface ScrubClaim {
  payerId: string;
  diagnosisCodes: readonly string[];
  lines: readonly { lineNumber: number; procedureCode: string; modifiers: readonly string[] }[];
  /** Milliseconds until the timely filing limit ends (negative when it has passed). */
  msToTimelyFiling: number;
}

/** A rule the claim fails, with the line it is about when it is about one. */
export interface ScrubFinding {
  ruleKey: string;
  version: number;
  action: ClaimRuleAction;
  lineNumber?: number;
  message: string;
}

const DAY = 86_400_000;

/** Every finding of `rules` (those for the claim's payer and the all-payer ones) on `claim`, in rule order. */
export function scrub(claim: ScrubClaim, rules: readonly ClaimRule[]): ScrubFinding[] {
  const out: ScrubFinding[] = [];
  for (const rule of rules) {
    if (rule.payerId !== undefined && rule.payerId !== claim.payerId) continue;
    const found = (message: string, lineNumber?: number) =>
      out.push({
        ruleKey: rule.ruleKey,
        version: rule.version,
        action: rule.action,
        message,
        ...(lineNumber === undefined ? {} : { lineNumber }),
      });
    switch (rule.kind) {
      case 'MODIFIER_REQUIRED':
        for (const line of claim.lines) {
          if (line.procedureCode === rule.procedureCode && !line.modifiers.includes(rule.modifier ?? '')) {
            found(
              `line ${line.lineNumber}: ${rule.procedureCode} needs modifier ${rule.modifier}`,
              line.lineNumber,
            );
          }
        }
        break;
      case 'DIAGNOSIS_REQUIRED': {
        const prefixes = rule.diagnosisPrefixes ?? [];
        const supported = claim.diagnosisCodes.some((dx) => prefixes.some((p) => dx.startsWith(p)));
        if (supported) break;
        for (const line of claim.lines) {
          if (line.procedureCode === rule.procedureCode) {
            found(
              `line ${line.lineNumber}: ${rule.procedureCode} needs a diagnosis in ${prefixes.join(', ')} for medical necessity`,
              line.lineNumber,
            );
          }
        }
        break;
      }
      case 'TIMELY_FILING_SOON': {
        const days = rule.withinDays ?? 0;
        if (claim.msToTimelyFiling <= days * DAY) {
          const left = Math.floor(claim.msToTimelyFiling / DAY);
          found(
            left < 0
              ? 'the timely filing limit has passed'
              : `the timely filing limit ends in ${left} day(s), within ${days}`,
          );
        }
        break;
      }
    }
  }
  return out;
}

/** One service line of a claim's first adjudication: what the miner learns from. */
export interface AdjudicatedLine {
  claimId: string;
  payerId: string;
  procedureCode: string;
  modifiers: readonly string[];
  chargeCents: Cents;
  /** Denied on its first adjudication (a denial CARC on the line or on the claim), with the CARCs. */
  denied: boolean;
  carcs: readonly string[];
}

/** When the miner proposes a rule. */
export interface MinerThresholds {
  /** Lines of the combination at least (support). */
  minLines: number;
  /** Share of those lines denied at least, 0..1. */
  minDenialRate: number;
}

export const DEFAULT_MINER_THRESHOLDS: MinerThresholds = { minLines: 20, minDenialRate: 0.5 };

/** A proposed rule with its evidence. */
export interface RuleProposal {
  payerId: string;
  procedureCode: string;
  /** The modifier paid lines of the same procedure carry and the denied ones lack. */
  modifier: string;
  /** The leading CARC of the denials. */
  carc: string;
  deniedLines: number;
  lines: number;
  deniedCents: Cents;
  /** Of the lines that carry the modifier: how many, and how many were denied. */
  withModifier: { lines: number; denied: number };
  /** Up to five denied claims, as evidence a person can open. */
  exampleClaimIds: string[];
}

/**
 * Proposals of MODIFIER_REQUIRED rules: for each payer and procedure, lines without modifier M are
 * denied at a rate of at least `minDenialRate` over at least `minLines` lines, while lines with M are
 * denied at most half as often (so M is what makes the difference, not the procedure itself). M is the
 * modifier most often on the procedure's paid lines. Sorted by denied dollars, largest first.
 */
export function mineProposals(
  lines: readonly AdjudicatedLine[],
  thresholds: MinerThresholds = DEFAULT_MINER_THRESHOLDS,
): RuleProposal[] {
  const groups = new Map<string, AdjudicatedLine[]>();
  for (const l of lines) {
    const key = `${l.payerId}\u0000${l.procedureCode}`;
    const g = groups.get(key);
    if (g) g.push(l);
    else groups.set(key, [l]);
  }
  const out: RuleProposal[] = [];
  for (const group of groups.values()) {
    const paidModifiers = new Map<string, number>();
    for (const l of group) {
      if (l.denied) continue;
      for (const m of l.modifiers) paidModifiers.set(m, (paidModifiers.get(m) ?? 0) + 1);
    }
    const ranked = [...paidModifiers.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const modifier = ranked[0]?.[0];
    if (modifier === undefined) continue;
    const without = group.filter((l) => !l.modifiers.includes(modifier));
    const withIt = group.filter((l) => l.modifiers.includes(modifier));
    const denied = without.filter((l) => l.denied);
    if (without.length < thresholds.minLines) continue;
    const rate = denied.length / without.length;
    if (rate < thresholds.minDenialRate) continue;
    const withDenied = withIt.filter((l) => l.denied).length;
    if (withIt.length > 0 && withDenied / withIt.length > rate / 2) continue;
    const carcCounts = new Map<string, number>();
    for (const l of denied) for (const c of l.carcs) carcCounts.set(c, (carcCounts.get(c) ?? 0) + 1);
    const carc =
      [...carcCounts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? '';
    const first = group[0]!;
    out.push({
      payerId: first.payerId,
      procedureCode: first.procedureCode,
      modifier,
      carc,
      deniedLines: denied.length,
      lines: without.length,
      deniedCents: denied.reduce((s, l) => s + l.chargeCents, 0),
      withModifier: { lines: withIt.length, denied: withDenied },
      exampleClaimIds: [...new Set(denied.map((l) => l.claimId))].slice(0, 5),
    });
  }
  return out.sort((a, b) => b.deniedCents - a.deniedCents);
}
