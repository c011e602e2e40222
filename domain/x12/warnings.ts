/**
 * Collects the warnings of an accepted 835: one entry per rule, keeping where it first happened and how
 * often, so a file written one segment per line gives one "line breaks" warning, not thousands.
 */
import type { X12Warning } from './model.js';

/** A warning sink the tokenizer and the parser share. */
export class WarningLog {
  private readonly byRule = new Map<string, X12Warning>();

  add(at: { position: number; id: string }, rule: string, message: string, element?: number): void {
    const seen = this.byRule.get(rule);
    if (seen) {
      seen.occurrences++;
      return;
    }
    const warning: X12Warning = {
      segmentPosition: at.position,
      segmentId: at.id,
      rule,
      message,
      occurrences: 1,
    };
    if (element !== undefined) warning.element = element;
    this.byRule.set(rule, warning);
  }

  /** The warnings in segment order. */
  list(): X12Warning[] {
    return [...this.byRule.values()].sort((a, b) => a.segmentPosition - b.segmentPosition);
  }
}
