/*
 * Why our own tokenizer: the npm candidates do not fit a pure domain module. `x12-parser` is built on
 * Node streams (a `node:` import, forbidden in domain/), and `node-x12` gives segments without loop
 * structure, throws its own error types and does not report the segment positions and rule names our
 * X12ParseError contract needs. Splitting X12 is small once the delimiters are read from the ISA, and
 * owning it lets us promise that any input, random bytes included, fails only with X12ParseError.
 */
import { type Delimiters, type X12ErrorDetail, X12ParseError } from './model.js';

/** One segment: `elements[0]` is the segment id, so `elements[n]` is element n (SEGnn). */
export interface Segment {
  id: string;
  elements: string[];
  /** 1-based position in the input, counting from the first ISA. */
  position: number;
}

/** One ISA..IEA interchange; `segments[0]` is the ISA. May lack the IEA when the input is truncated. */
export interface TokenizedInterchange {
  delimiters: Delimiters;
  segments: Segment[];
}

/** ISA01..ISA16 are fixed width (X12.5 interchange control structure). */
const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1] as const;
/** "ISA" + 16 separators + the widths above: the component separator ISA16 ends at index 104. */
const ISA_LENGTH = 105;

const LEADING_WHITESPACE = /^[\s\uFEFF]*/;

function fail(position: number, rule: string, message: string, element?: number, segmentId = 'ISA'): never {
  const detail: X12ErrorDetail = { segmentPosition: position, segmentId, rule, message };
  if (element !== undefined) detail.element = element;
  throw new X12ParseError([detail]);
}

/**
 * Reads the ISA at `offset`: the element separator is the character at index 3, the component separator
 * is ISA16 and the segment terminator is the character right after it (X12.5); ISA11 is the repetition
 * separator in 005010. Throws X12ParseError for anything that is not a well-formed fixed-width ISA, since
 * without trustworthy delimiters nothing after it can be read.
 */
function readIsa(text: string, offset: number, position: number): { delimiters: Delimiters; isa: Segment } {
  if (!text.startsWith('ISA', offset)) {
    fail(position, 'envelope.isa_missing', 'an interchange must start with an ISA segment');
  }
  if (text.length < offset + ISA_LENGTH + 1) {
    fail(
      position,
      'envelope.isa_length',
      `the ISA segment must be ${ISA_LENGTH + 1} characters with its terminator`,
    );
  }
  const element = text.charAt(offset + 3);
  const component = text.charAt(offset + ISA_LENGTH - 1);
  const segment = text.charAt(offset + ISA_LENGTH);
  const elements = text.slice(offset, offset + ISA_LENGTH).split(element);
  if (elements.length !== ISA_WIDTHS.length + 1) {
    fail(
      position,
      'envelope.isa_length',
      `the ISA must have 16 fixed-width elements, found ${elements.length - 1}`,
    );
  }
  ISA_WIDTHS.forEach((width, i) => {
    if ((elements[i + 1] ?? '').length !== width) {
      fail(
        position,
        'envelope.isa_field',
        `ISA${String(i + 1).padStart(2, '0')} must be ${width} characters`,
        i + 1,
      );
    }
  });
  const repetition = elements[11] ?? '';
  const all = [element, component, segment, repetition];
  // Delimiters must be distinct and not data characters; CR/LF are tolerated only as segment terminator.
  if (
    new Set(all).size !== all.length ||
    all.some((c) => /[A-Za-z0-9 ]/.test(c)) ||
    [element, component, repetition].some((c) => c === '\r' || c === '\n')
  ) {
    fail(
      position,
      'envelope.isa_delimiters',
      'the ISA delimiters must be distinct non-alphanumeric characters',
    );
  }
  return { delimiters: { element, component, segment, repetition }, isa: { id: 'ISA', elements, position } };
}

/**
 * Splits X12 text into interchanges of segments. Tolerates a byte-order mark and whitespace before the
 * ISA, CR/LF after each terminator (files wrapped at 80 columns or written one segment per line), and a
 * missing terminator on the very last segment. Structural checks are left to the parser.
 *
 * @throws X12ParseError when an ISA is missing or malformed, or text follows the last IEA.
 */
export function tokenize(text: string): TokenizedInterchange[] {
  const interchanges: TokenizedInterchange[] = [];
  let offset = (LEADING_WHITESPACE.exec(text)?.[0] ?? '').length;
  let position = 1;
  if (offset >= text.length) fail(1, 'envelope.isa_missing', 'the input is empty');

  while (offset < text.length) {
    const { delimiters, isa } = readIsa(text, offset, position);
    const segments: Segment[] = [isa];
    interchanges.push({ delimiters, segments });
    position++;
    offset += ISA_LENGTH + 1;
    let restartAt = -1;
    while (offset < text.length) {
      const end = text.indexOf(delimiters.segment, offset);
      const stop = end === -1 ? text.length : end;
      const raw = text.slice(offset, stop);
      const lead = /^[\r\n]*/.exec(raw)?.[0].length ?? 0;
      const body = raw.slice(lead).replace(/[\r\n]+$/, '');
      if (body.startsWith('ISA')) {
        // A new interchange before this one's IEA: stop here and let the parser report the missing IEA.
        restartAt = offset + lead;
        break;
      }
      offset = stop + 1;
      if (body === '') continue;
      const elements = body.split(delimiters.element);
      const id = elements[0] ?? '';
      segments.push({ id, elements, position });
      position++;
      if (id === 'IEA') break;
    }
    if (restartAt !== -1) {
      offset = restartAt;
      continue;
    }
    const rest = text.slice(offset);
    const trailing = (LEADING_WHITESPACE.exec(rest)?.[0] ?? '').length;
    offset += trailing;
    if (offset < text.length && !text.startsWith('ISA', offset)) {
      const found = text.slice(offset, offset + 3);
      fail(
        position,
        'envelope.trailing_data',
        'only another interchange may follow an IEA',
        undefined,
        found,
      );
    }
  }
  return interchanges;
}
