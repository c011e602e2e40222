/**
 * Attachments as PDF pages. A PDF is used as it is; PNG and JPEG become one page each; a TIFF (the usual
 * format of faxed records) becomes one page per image in the file. Images are scaled to fit a Letter page
 * inside the margins and never enlarged, so a scan prints at its own resolution.
 */
import { PDFDocument, type PDFImage } from 'pdf-lib';
import { PNG } from 'pngjs';
import UTIF from 'utif2';
import { FailureType } from '../../domain/failures.js';
import { DocumentError } from '../errors.js';
import type { PacketAttachment } from '../types.js';

const LETTER: [number, number] = [612, 792];
const MARGIN = 36;
/** Leaves the footer band free for the page numbers stamped later. */
const FOOTER_SPACE = 30;

/** Loads a PDF for merging; refuses encrypted or unreadable files with a message naming the attachment. */
export async function loadPdf(bytes: Uint8Array, what: string): Promise<PDFDocument> {
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    // pdf-lib parses lazily: walking the page tree is what proves the file is usable.
    if (doc.getPageCount() === 0) throw new Error('it has no pages');
    return doc;
  } catch (err) {
    const encrypted = (err as Error).constructor?.name === 'EncryptedPDFError';
    throw new DocumentError(
      FailureType.AttachmentTypeRefused,
      encrypted
        ? `${what} is an encrypted PDF; upload an unprotected copy so it can be sent with the appeal.`
        : `${what} is not a readable PDF: ${(err as Error).message}`,
      'file',
    );
  }
}

function tiffToPngs(bytes: Uint8Array, what: string): Buffer[] {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let ifds: UTIF.IFD[];
  try {
    ifds = UTIF.decode(buffer).filter((ifd) => ifd.t256 !== undefined);
  } catch (err) {
    throw new DocumentError(
      FailureType.AttachmentTypeRefused,
      `${what} is not a readable TIFF: ${(err as Error).message}`,
      'file',
    );
  }
  if (ifds.length === 0) {
    throw new DocumentError(FailureType.AttachmentTypeRefused, `${what} is a TIFF with no image.`, 'file');
  }
  return ifds.map((ifd) => {
    UTIF.decodeImage(buffer, ifd);
    const rgba = UTIF.toRGBA8(ifd);
    const png = new PNG({ width: ifd.width, height: ifd.height });
    png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
    return PNG.sync.write(png);
  });
}

/** Converts an attachment to a PDF (or validates a PDF) and returns its bytes and page count. */
export async function attachmentAsPdf(
  attachment: PacketAttachment,
): Promise<{ bytes: Uint8Array; pageCount: number }> {
  if (attachment.mediaType === 'application/pdf') {
    const doc = await loadPdf(attachment.bytes, `Attachment "${attachment.title}"`);
    return { bytes: attachment.bytes, pageCount: doc.getPageCount() };
  }
  const doc = await PDFDocument.create({ updateMetadata: false });
  const what = `Attachment "${attachment.title}"`;
  const pngs = attachment.mediaType === 'image/tiff' ? tiffToPngs(attachment.bytes, what) : undefined;
  let images: PDFImage[];
  try {
    images = pngs
      ? await Promise.all(pngs.map((p) => doc.embedPng(p)))
      : [
          attachment.mediaType === 'image/png'
            ? await doc.embedPng(attachment.bytes)
            : await doc.embedJpg(attachment.bytes),
        ];
  } catch (err) {
    throw new DocumentError(
      FailureType.AttachmentTypeRefused,
      `${what} is not a readable ${attachment.mediaType === 'image/jpeg' ? 'JPEG' : 'PNG'} image: ${(err as Error).message}`,
      'file',
    );
  }
  for (const image of images) {
    const page = doc.addPage(LETTER);
    const maxW = LETTER[0] - MARGIN * 2;
    const maxH = LETTER[1] - MARGIN * 2 - FOOTER_SPACE;
    const scale = Math.min(1, maxW / image.width, maxH / image.height);
    const w = image.width * scale;
    const h = image.height * scale;
    page.drawImage(image, {
      x: (LETTER[0] - w) / 2,
      y: MARGIN + FOOTER_SPACE + (maxH - h),
      width: w,
      height: h,
    });
  }
  return { bytes: await doc.save(), pageCount: images.length };
}

/** The page count of an upload, checking on the way that it can be merged into a packet. */
export async function countAttachmentPages(attachment: PacketAttachment): Promise<number> {
  return (await attachmentAsPdf(attachment)).pageCount;
}
