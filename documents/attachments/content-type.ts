/**
 * What a file is, judged by its bytes and never by its name: payers accept medical records as PDF,
 * TIFF (fax scans), PNG and JPEG, and a file called `records.pdf` may be anything. Executables are
 * recognised by name so the refusal can say what the file really is.
 */
import { FailureType } from '../../domain/failures.js';
import { DocumentError } from '../errors.js';

/** The document types an attachment may be. */
export const ATTACHMENT_MEDIA_TYPES = ['application/pdf', 'image/tiff', 'image/png', 'image/jpeg'] as const;
export type AttachmentMediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number];

/** How many leading bytes `sniffMediaType` needs to decide. */
export const SNIFF_BYTES = 16;

const SIGNATURES: { type: AttachmentMediaType; bytes: number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/tiff', bytes: [0x49, 0x49, 0x2a, 0x00] }, // little-endian "II*\0"
  { type: 'image/tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] }, // big-endian "MM\0*"
];

const EXECUTABLES: { what: string; bytes: number[] }[] = [
  { what: 'a Windows executable (MZ)', bytes: [0x4d, 0x5a] },
  { what: 'a Linux executable (ELF)', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { what: 'a macOS executable (Mach-O)', bytes: [0xcf, 0xfa, 0xed, 0xfe] },
  { what: 'a macOS executable (Mach-O)', bytes: [0xce, 0xfa, 0xed, 0xfe] },
  { what: 'a macOS executable (Mach-O)', bytes: [0xfe, 0xed, 0xfa, 0xcf] },
  { what: 'a macOS universal binary', bytes: [0xca, 0xfe, 0xba, 0xbe] },
  { what: 'a script (#!)', bytes: [0x23, 0x21] },
  { what: 'a ZIP archive (possibly an Office file)', bytes: [0x50, 0x4b, 0x03, 0x04] },
];

function startsWith(head: Uint8Array, sig: number[]): boolean {
  if (head.length < sig.length) return false;
  return sig.every((b, i) => head[i] === b);
}

/** The media type of a file from its first bytes, or undefined for anything we do not accept. */
export function sniffMediaType(head: Uint8Array): AttachmentMediaType | undefined {
  return SIGNATURES.find((s) => startsWith(head, s.bytes))?.type;
}

/** File-name extensions we know, so a refusal can say "named .pdf but is ...". */
const EXTENSION_TYPES: Record<string, AttachmentMediaType> = {
  pdf: 'application/pdf',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};

/** The file extension for a media type, for download names. */
export function extensionOf(type: AttachmentMediaType): string {
  return { 'application/pdf': 'pdf', 'image/tiff': 'tif', 'image/png': 'png', 'image/jpeg': 'jpg' }[type];
}

/**
 * Checks the first bytes (and, for a PDF, the last ones) of an upload; returns its media type or throws
 * `AttachmentTypeRefused` saying what the file is. `tail` is the last up-to-1024 bytes: a PDF without an
 * end-of-file marker is truncated and would be refused by the payer.
 */
export function checkAttachmentContent(
  head: Uint8Array,
  tail: Uint8Array,
  fileName: string | undefined,
): AttachmentMediaType {
  const type = sniffMediaType(head);
  const named = fileName ? /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase() : undefined;
  const namedAs = named && EXTENSION_TYPES[named] ? ` although it is named .${named}` : '';
  if (!type) {
    const exe = EXECUTABLES.find((e) => startsWith(head, e.bytes));
    const what = exe ? `is ${exe.what}` : 'is not a PDF, TIFF, PNG or JPEG';
    throw new DocumentError(
      FailureType.AttachmentTypeRefused,
      `The file's content ${what}${namedAs}; attachments must be PDF, TIFF, PNG or JPEG.`,
      'file',
    );
  }
  if (type === 'application/pdf' && !Buffer.from(tail).includes('%%EOF')) {
    throw new DocumentError(
      FailureType.AttachmentTypeRefused,
      'The PDF has no end-of-file marker (%%EOF): it is truncated or damaged.',
      'file',
    );
  }
  return type;
}
