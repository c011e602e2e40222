/**
 * Shared pieces of the X12 builders (835 and 837P): delimiter validation, a segment writer that refuses
 * data containing a delimiter, and the ISA/GS/GE/IEA envelope.
 */
import { isoDateToX12 } from './dates.js';
import { DEFAULT_DELIMITERS, type Delimiters } from './model.js';

/** Thrown by the builders for input that cannot be written as valid X12; nothing partial is returned. */
export class X12BuildError extends Error {
  readonly type = 'x12_build_invalid';
}

/**
 * Fills missing delimiters from the defaults and checks them: each is one character, all four differ,
 * and none is a letter, digit or space (X12.5: delimiters must not occur in data, and ISA fields are
 * space-padded, so a space or alphanumeric delimiter would make the ISA ambiguous).
 */
export function resolveDelimiters(partial: Partial<Delimiters> | undefined): Delimiters {
  const d: Delimiters = { ...DEFAULT_DELIMITERS, ...partial };
  const all = [d.element, d.component, d.segment, d.repetition];
  for (const c of all) {
    if (c.length !== 1 || /[A-Za-z0-9 ]/.test(c)) {
      throw new X12BuildError(
        `delimiter ${JSON.stringify(c)} must be one non-alphanumeric, non-space character`,
      );
    }
  }
  if (new Set(all).size !== all.length) throw new X12BuildError('the four delimiters must all differ');
  for (const c of [d.element, d.component, d.repetition]) {
    if (c === '\r' || c === '\n') throw new X12BuildError('only the segment terminator may be CR or LF');
  }
  return d;
}

/** Collects segments, counting them for SE01, and writes them with one set of delimiters. */
export class SegmentWriter {
  private readonly segments: string[] = [];
  private readonly forbidden: string[];

  constructor(
    readonly delimiters: Delimiters,
    private readonly lineBreaks: boolean,
  ) {
    // CR/LF are never data: receivers strip them around segment terminators.
    this.forbidden = [
      delimiters.element,
      delimiters.component,
      delimiters.segment,
      delimiters.repetition,
      '\r',
      '\n',
    ];
  }

  /** Number of segments written so far. */
  get count(): number {
    return this.segments.length;
  }

  private check(value: string, where: string): void {
    for (const c of this.forbidden) {
      if (value.includes(c)) {
        throw new X12BuildError(
          `${where}: value ${JSON.stringify(value)} contains the delimiter ${JSON.stringify(c)}`,
        );
      }
    }
  }

  /**
   * Appends a segment. Trailing empty elements are dropped (X12.5: trailing element separators are not
   * transmitted); `undefined` and `''` both mean "not used". Composites come from `composite`, whose
   * components were checked one by one, because the joined text contains the component separator by design.
   */
  add(id: string, ...elements: (string | CompositeValue | undefined)[]): void {
    const values = elements.map((e, i) => {
      if (e instanceof CompositeValue) return e.text;
      const v = e ?? '';
      this.check(v, `${id}${String(i + 1).padStart(2, '0')}`);
      return v;
    });
    while (values.length > 0 && values[values.length - 1] === '') values.pop();
    this.segments.push([id, ...values].join(this.delimiters.element));
  }

  /** Builds a composite element (e.g. SVC01 `HC:99213:25`), dropping trailing empty components. */
  composite(...components: (string | undefined)[]): CompositeValue {
    const values = components.map((c) => {
      const v = c ?? '';
      this.check(v, 'composite component');
      return v;
    });
    while (values.length > 0 && values[values.length - 1] === '') values.pop();
    return new CompositeValue(values.join(this.delimiters.component));
  }

  /** Appends a segment verbatim, without trimming (the fixed-width ISA). */
  addFixed(id: string, elements: string[]): void {
    this.segments.push([id, ...elements].join(this.delimiters.element));
  }

  /** The interchange text: every segment followed by the terminator (and a line break when asked). */
  toString(): string {
    const suffix =
      this.delimiters.segment + (this.lineBreaks && this.delimiters.segment !== '\n' ? '\n' : '');
    return this.segments.map((s) => s + suffix).join('');
  }
}

/** A composite element already joined with the component separator and checked component by component. */
export class CompositeValue {
  constructor(readonly text: string) {}
}

/** Options shared by the builders for the ISA/GS envelope. */
export interface EnvelopeOptions {
  /** Overrides the default `* : ~ ^`; each must be one non-alphanumeric character. */
  delimiters?: Partial<Delimiters>;
  /** ISA06 and GS02, at most 15 characters. */
  senderId?: string;
  /** ISA08 and GS03, at most 15 characters. */
  receiverId?: string;
  /** ISA05/ISA07 interchange ID qualifier; `ZZ` (mutually defined) by default. */
  senderQualifier?: string;
  receiverQualifier?: string;
  /** ISA13/IEA02, up to 9 digits, zero-padded to 9. */
  interchangeControlNumber?: string;
  /** GS06/GE02, 1 to 9 digits. */
  groupControlNumber?: string;
  /** Interchange date `YYYY-MM-DD` (ISA09, GS04). */
  date?: string;
  /** Interchange time `HHMM` (ISA10, GS05); `0000` by default so output is deterministic. */
  time?: string;
  /** ISA15: `P` production (default) or `T` test. */
  usageIndicator?: 'P' | 'T';
  /** Append a line feed after each segment terminator, for human-readable files. */
  lineBreaks?: boolean;
}

/** Resolved envelope values, after defaults and validation. */
export interface Envelope {
  senderId: string;
  receiverId: string;
  senderQualifier: string;
  receiverQualifier: string;
  interchangeControlNumber: string;
  groupControlNumber: string;
  /** CCYYMMDD */
  date: string;
  time: string;
  usageIndicator: 'P' | 'T';
}

/** Validates and normalizes envelope values; the builders call this before writing anything. */
export function resolveEnvelope(e: {
  senderId: string;
  receiverId: string;
  senderQualifier?: string | undefined;
  receiverQualifier?: string | undefined;
  interchangeControlNumber: string;
  groupControlNumber: string;
  date: string;
  time?: string | undefined;
  usageIndicator?: 'P' | 'T' | undefined;
}): Envelope {
  // ISA06/ISA08 are fixed 15-character fields; GS02/GS03 are 2..15 characters.
  for (const [name, v] of [
    ['senderId', e.senderId],
    ['receiverId', e.receiverId],
  ] as const) {
    if (v.length < 2 || v.length > 15 || v.trim() !== v) {
      throw new X12BuildError(`${name} must be 2 to 15 characters without surrounding spaces`);
    }
  }
  const senderQualifier = e.senderQualifier ?? 'ZZ';
  const receiverQualifier = e.receiverQualifier ?? 'ZZ';
  if (!/^[A-Z0-9]{2}$/.test(senderQualifier) || !/^[A-Z0-9]{2}$/.test(receiverQualifier)) {
    throw new X12BuildError('ISA05/ISA07 qualifiers are two characters');
  }
  if (!/^\d{1,9}$/.test(e.interchangeControlNumber)) {
    throw new X12BuildError('interchangeControlNumber must be 1 to 9 digits (ISA13)');
  }
  if (!/^\d{1,9}$/.test(e.groupControlNumber)) {
    throw new X12BuildError('groupControlNumber must be 1 to 9 digits (GS06)');
  }
  const date = isoDateToX12(e.date);
  if (date === undefined) throw new X12BuildError(`interchange date "${e.date}" is not a YYYY-MM-DD date`);
  const time = e.time ?? '0000';
  if (!/^([01]\d|2[0-3])[0-5]\d$/.test(time)) throw new X12BuildError(`time "${time}" is not HHMM`);
  return {
    senderId: e.senderId,
    receiverId: e.receiverId,
    senderQualifier,
    receiverQualifier,
    interchangeControlNumber: e.interchangeControlNumber.padStart(9, '0'),
    groupControlNumber: e.groupControlNumber,
    date,
    time,
    usageIndicator: e.usageIndicator ?? 'P',
  };
}

/** Writes ISA and GS. `functionalId` is GS01 (HP for 835, HC for 837), `version` is GS08. */
export function writeEnvelopeHeader(
  w: SegmentWriter,
  env: Envelope,
  functionalId: string,
  version: string,
): void {
  const d = w.delimiters;
  // ISA is fixed width (X12.5): every element padded to its exact size, so the element separator sits at
  // index 3 and the component separator (ISA16) at index 104, which is how receivers find the delimiters.
  w.addFixed('ISA', [
    '00',
    ''.padEnd(10),
    '00',
    ''.padEnd(10),
    env.senderQualifier,
    env.senderId.padEnd(15),
    env.receiverQualifier,
    env.receiverId.padEnd(15),
    env.date.slice(2),
    env.time,
    d.repetition,
    '00501',
    env.interchangeControlNumber,
    '0',
    env.usageIndicator,
    d.component,
  ]);
  w.add(
    'GS',
    functionalId,
    env.senderId,
    env.receiverId,
    env.date,
    env.time,
    env.groupControlNumber,
    'X',
    version,
  );
}

/** Writes GE and IEA for one group of `transactionCount` transaction sets. */
export function writeEnvelopeTrailer(w: SegmentWriter, env: Envelope, transactionCount: number): void {
  // GE01 = number of ST in the group, GE02 = GS06; IEA01 = number of GS, IEA02 = ISA13.
  w.add('GE', String(transactionCount), env.groupControlNumber);
  w.add('IEA', '1', env.interchangeControlNumber);
}
