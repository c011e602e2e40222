/*
 * Why our own tokenizer: the npm candidates do not fit a pure domain module. `x12-parser` is built on
 * Node streams (a `node:` import, forbidden in domain/), and `node-x12` gives segments without loop
 * structure, throws its own error types and does not report the segment positions and rule names our
 * X12ParseError contract needs. Splitting X12 is small once the delimiters are read from the ISA, and
 * owning it lets us promise that any input, random bytes included, fails only with X12ParseError.
 */
import { type Delimiters, type X12ErrorDetail, X12ParseError } from './model.js';
import { WarningLog } from './warnings.js';

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
 * A 4010 interchange (ISA12 00401, whose ISA11 is the standards identifier `U` rather than a repetition
 * separator) is told its version, instead of tripping over `U` as a delimiter.
 */
function checkVersion(elements: string[], position: number): void {
  const version = elements[12] ?? '';
  const isa11 = elements[11] ?? '';
  if (version === '00501' && isa11 !== 'U') return;
  const shown = version === '00501' ? '00401 (ISA11 is U, the 4010 standards identifier)' : version;
  fail(
    position,
    'envelope.isa_version',
    `only 005010X221A1 is accepted; this file is version ${shown}`,
    version === '00501' ? 11 : 12,
  );
}

/** What each delimiter is called in a refusal, with the ISA element it comes from. */
const DELIMITER_NAMES = {
  element: { name: 'the element separator (4th character of the ISA)', element: undefined },
  repetition: { name: 'the repetition separator ISA11', element: 11 },
  component: { name: 'the component separator ISA16', element: 16 },
  segment: { name: 'the segment terminator (the character after ISA16)', element: undefined },
} as const;

/**
 * Delimiters must be distinct and not data characters; CR/LF are tolerated only as the segment
 * terminator. A refusal says which delimiter is wrong and why.
 */
function checkDelimiters(d: Delimiters, position: number): void {
  const order = ['element', 'repetition', 'component', 'segment'] as const;
  for (const [i, key] of order.entries()) {
    const c = d[key];
    const { name, element } = DELIMITER_NAMES[key];
    if (/[A-Za-z0-9 ]/.test(c)) {
      fail(
        position,
        'envelope.isa_delimiters',
        `${name} "${c}" must not be a letter, digit or space`,
        element,
      );
    }
    if (key !== 'segment' && (c === '\r' || c === '\n')) {
      fail(position, 'envelope.isa_delimiters', `${name} must not be a line break`, element);
    }
    for (const other of order.slice(0, i)) {
      if (d[other] === c) {
        fail(
          position,
          'envelope.isa_delimiters',
          `${name} "${c}" is the same character as ${DELIMITER_NAMES[other].name}`,
          element,
        );
      }
    }
  }
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
  checkVersion(elements, position);
  checkDelimiters({ element, component, segment, repetition }, position);
  return { delimiters: { element, component, segment, repetition }, isa: { id: 'ISA', elements, position } };
}

/** White space that is noise around a segment, unless the interchange uses it as a delimiter. */
function blankTest(d: Delimiters): (c: string) => boolean {
  return (c) =>
    (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v') &&
    c !== d.element &&
    c !== d.component &&
    c !== d.repetition;
}

/** The DOS end-of-file byte some Windows tools still append after the last segment. */
const DOS_EOF = '\u001a';

/** Where a trailing run of 0x1A bytes and white space that holds at least one 0x1A starts, or -1. */
function dosEofStart(text: string): number {
  let i = text.length;
  let found = false;
  while (i > 0) {
    const c = text.charAt(i - 1);
    if (c === DOS_EOF) found = true;
    else if (!/\s/.test(c)) break;
    i--;
  }
  return found ? i : -1;
}

/**
 * Splits X12 text into interchanges of segments. Tolerates, and reports to `warnings`: a byte-order mark
 * or white space before the ISA, CR/LF, indentation and trailing white space around segments (X12.6
 * suppresses trailing spaces, so none is data), empty segments, a missing terminator on the last IEA and
 * a DOS end-of-file byte (0x1A) after it. Structural checks are left to the parser.
 *
 * @throws X12ParseError when an ISA is missing or malformed, or text follows the last IEA.
 */
export function tokenize(input: string, warnings: WarningLog = new WarningLog()): TokenizedInterchange[] {
  const interchanges: TokenizedInterchange[] = [];
  const eofAt = dosEofStart(input);
  const eof = eofAt !== -1;
  const text = eof ? input.slice(0, eofAt) : input;
  let offset = 0;
  if (text.startsWith('\uFEFF')) {
    warnings.add(
      { position: 1, id: 'ISA' },
      'noise.byte_order_mark',
      'a UTF-8 byte-order mark before the ISA was ignored',
    );
    offset = 1;
  }
  const lead = (LEADING_WHITESPACE.exec(text.slice(offset))?.[0] ?? '').length;
  if (lead > 0) {
    warnings.add(
      { position: 1, id: 'ISA' },
      'noise.leading_whitespace',
      'white space before the ISA was ignored',
    );
  }
  offset += lead;
  let position = 1;
  if (offset >= text.length) fail(1, 'envelope.isa_missing', 'the input is empty');

  while (offset < text.length) {
    const { delimiters, isa } = readIsa(text, offset, position);
    const blank = blankTest(delimiters);
    const segments: Segment[] = [isa];
    interchanges.push({ delimiters, segments });
    position++;
    offset += ISA_LENGTH + 1;
    let restartAt = -1;
    let ended = false;
    while (offset < text.length) {
      const end = text.indexOf(delimiters.segment, offset);
      const stop = end === -1 ? text.length : end;
      const raw = text.slice(offset, stop);
      let a = 0;
      while (a < raw.length && blank(raw.charAt(a))) a++;
      let b = raw.length;
      while (b > a && blank(raw.charAt(b - 1))) b--;
      const body = raw.slice(a, b);
      const at = { position, id: (body.split(delimiters.element)[0] ?? '').slice(0, 3) || 'SEG' };
      noteNoise(raw.slice(0, a), raw.slice(b), at, warnings);
      if (body.startsWith('ISA')) {
        // A new interchange before this one's IEA: stop here and let the parser report the missing IEA.
        restartAt = offset + a;
        break;
      }
      offset = stop + 1;
      if (body === '') {
        if (end !== -1 && raw === '') {
          warnings.add(at, 'noise.empty_segment', 'an empty segment (two terminators in a row) was ignored');
        }
        continue;
      }
      const elements = body.split(delimiters.element);
      const id = elements[0] ?? '';
      segments.push({ id, elements, position });
      position++;
      if (id === 'IEA') {
        ended = true;
        if (end === -1) {
          warnings.add(
            { position: position - 1, id },
            'noise.missing_terminator',
            'the IEA has no segment terminator',
          );
        }
        break;
      }
    }
    if (restartAt !== -1) {
      offset = restartAt;
      continue;
    }
    const rest = text.slice(offset);
    const trailing = (LEADING_WHITESPACE.exec(rest)?.[0] ?? '').length;
    if (ended && trailing > 0) noteNoise(rest.slice(0, trailing), '', { position, id: 'IEA' }, warnings);
    offset += trailing;
    if (offset < text.length && !text.startsWith('ISA', offset)) {
      const found = text.slice(offset, offset + 3);
      fail(
        position,
        'envelope.trailing_data',
        found.includes(DOS_EOF)
          ? 'only white space may follow the end-of-file byte (0x1A)'
          : 'only another interchange may follow an IEA',
        undefined,
        found,
      );
    }
  }
  if (eof) {
    warnings.add(
      { position: position - 1, id: 'IEA' },
      'noise.end_of_file_marker',
      'a DOS end-of-file byte (0x1A) after the IEA was ignored',
    );
  }
  return interchanges;
}

/** Reports the white space found before (`leading`) and after (`trailing`) a segment's text. */
function noteNoise(
  leading: string,
  trailing: string,
  at: { position: number; id: string },
  warnings: WarningLog,
) {
  if (/[\r\n]/.test(leading) || /[\r\n]/.test(trailing)) {
    warnings.add(at, 'noise.line_breaks', 'line breaks (CR/LF) between segments were ignored');
  }
  if (/[ \t\f\v]/.test(leading)) {
    warnings.add(at, 'noise.indentation', 'indentation before a segment was ignored');
  }
  if (/[ \t\f\v]/.test(trailing)) {
    warnings.add(at, 'noise.trailing_whitespace', 'trailing white space at the end of a segment was ignored');
  }
}
