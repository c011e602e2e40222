/**
 * A thin layout layer over pdfkit for business letters: US Letter pages, the embedded DejaVu fonts,
 * headings, paragraphs, label/value blocks and tables that break across pages with their header
 * repeated. Every document in this module is laid out through it, so they share one look.
 */
import PDFDocument from 'pdfkit';
import { FONT_FILES } from './fonts.js';

/** A table column: header text, width in points, alignment. */
export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

/** Options of a new document. */
export interface ComposerOptions {
  title: string;
  /** Fixed creation date, so the same data renders the same bytes (the document's own date). */
  createdOn: string;
  author?: string;
}

export const PAGE_MARGIN = 54;
/** Room kept free at the bottom of every page for the page-number footer stamped after merging. */
export const FOOTER_SPACE = 30;

/** One pdfkit document being laid out. */
export class Composer {
  readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;

  constructor(options: ComposerOptions) {
    this.doc = new PDFDocument({
      size: 'LETTER',
      margins: {
        top: PAGE_MARGIN,
        left: PAGE_MARGIN,
        right: PAGE_MARGIN,
        bottom: PAGE_MARGIN + FOOTER_SPACE,
      },
      font: FONT_FILES.regular,
      bufferPages: true,
      info: {
        Title: options.title,
        Author: options.author ?? 'denial desk',
        Creator: 'denial desk',
        Producer: 'denial desk (pdfkit)',
        CreationDate: new Date(`${options.createdOn}T12:00:00Z`),
      },
    });
    this.doc.registerFont('regular', FONT_FILES.regular);
    this.doc.registerFont('bold', FONT_FILES.bold);
    this.doc.registerFont('italic', FONT_FILES.italic);
    this.doc.font('regular').fontSize(10);
    this.done = new Promise((resolve, reject) => {
      this.doc.on('data', (c: Buffer) => this.chunks.push(c));
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
  }

  /** Usable width between the margins. */
  get width(): number {
    return this.doc.page.width - PAGE_MARGIN * 2;
  }

  /** The lowest y content may reach on this page. */
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  get pageCount(): number {
    return this.doc.bufferedPageRange().count;
  }

  /** Starts a new page unless at least `height` points remain on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  newPage(): void {
    this.doc.addPage();
  }

  heading(text: string, size = 14): void {
    this.ensureSpace(size * 3);
    this.doc.font('bold').fontSize(size).text(text, PAGE_MARGIN, this.doc.y, { width: this.width });
    this.doc.font('regular').fontSize(10);
    this.doc.moveDown(0.4);
  }

  paragraph(
    text: string,
    opts: { font?: 'regular' | 'bold' | 'italic'; size?: number; gap?: number } = {},
  ): void {
    this.doc
      .font(opts.font ?? 'regular')
      .fontSize(opts.size ?? 10)
      .text(text, PAGE_MARGIN, this.doc.y, { width: this.width, align: 'left' });
    this.doc.font('regular').fontSize(10);
    this.doc.moveDown(opts.gap ?? 0.6);
  }

  /** Lines of text with no gap between them (addresses, letterheads). */
  lines(lines: string[], opts: { font?: 'regular' | 'bold'; size?: number } = {}): void {
    for (const line of lines) {
      this.doc
        .font(opts.font ?? 'regular')
        .fontSize(opts.size ?? 10)
        .text(line, PAGE_MARGIN, this.doc.y, { width: this.width });
    }
    this.doc.font('regular').fontSize(10);
  }

  /** Label: value rows, labels in a fixed column. */
  fields(rows: [string, string][], labelWidth = 170): void {
    for (const [label, value] of rows) {
      const valueWidth = this.width - labelWidth;
      const h = Math.max(
        this.doc.font('bold').heightOfString(label, { width: labelWidth - 6 }),
        this.doc.font('regular').heightOfString(value || ' ', { width: valueWidth }),
      );
      this.ensureSpace(h + 2);
      const y = this.doc.y;
      this.doc.font('bold').text(label, PAGE_MARGIN, y, { width: labelWidth - 6 });
      this.doc.font('regular').text(value || ' ', PAGE_MARGIN + labelWidth, y, { width: valueWidth });
      this.doc.y = y + h + 2;
    }
    this.doc.x = PAGE_MARGIN;
    this.doc.moveDown(0.4);
  }

  /** A table whose rows break across pages, repeating the header on each new page. */
  table(columns: Column[], rows: string[][], opts: { boldLastRow?: boolean } = {}): void {
    const doc = this.doc;
    const pad = 3;
    const drawHeader = () => {
      doc.font('bold').fontSize(9);
      const h = Math.max(...columns.map((c) => doc.heightOfString(c.header, { width: c.width - pad * 2 })));
      const y = doc.y;
      doc.rect(PAGE_MARGIN, y, sum(columns.map((c) => c.width)), h + pad * 2).fill('#e8e8e8');
      doc.fillColor('black');
      let x = PAGE_MARGIN;
      for (const c of columns) {
        doc.text(c.header, x + pad, y + pad, { width: c.width - pad * 2, align: c.align ?? 'left' });
        x += c.width;
      }
      doc.y = y + h + pad * 2;
    };
    this.ensureSpace(40);
    drawHeader();
    rows.forEach((row, i) => {
      const bold = opts.boldLastRow && i === rows.length - 1;
      doc.font(bold ? 'bold' : 'regular').fontSize(9);
      const h = Math.max(
        ...columns.map((c, j) => doc.heightOfString(row[j] || ' ', { width: c.width - pad * 2 })),
      );
      if (doc.y + h + pad * 2 > this.bottom) {
        doc.addPage();
        drawHeader();
        doc.font(bold ? 'bold' : 'regular').fontSize(9);
      }
      const y = doc.y;
      let x = PAGE_MARGIN;
      columns.forEach((c, j) => {
        doc.text(row[j] || ' ', x + pad, y + pad, { width: c.width - pad * 2, align: c.align ?? 'left' });
        x += c.width;
      });
      doc
        .moveTo(PAGE_MARGIN, y + h + pad * 2)
        .lineTo(PAGE_MARGIN + sum(columns.map((c) => c.width)), y + h + pad * 2)
        .lineWidth(0.5)
        .strokeColor('#bbbbbb')
        .stroke();
      doc.strokeColor('black');
      doc.y = y + h + pad * 2;
    });
    doc.font('regular').fontSize(10);
    doc.x = PAGE_MARGIN;
    doc.moveDown(0.6);
  }

  /** A boxed block of text (notices the reader must not miss). */
  notice(title: string, text: string): void {
    const doc = this.doc;
    const pad = 8;
    doc.font('bold').fontSize(10);
    const th = doc.heightOfString(title, { width: this.width - pad * 2 });
    doc.font('regular').fontSize(9.5);
    const bh = doc.heightOfString(text, { width: this.width - pad * 2 });
    this.ensureSpace(th + bh + pad * 3);
    const y = doc.y;
    doc
      .rect(PAGE_MARGIN, y, this.width, th + bh + pad * 2.5)
      .lineWidth(1)
      .stroke();
    doc
      .font('bold')
      .fontSize(10)
      .text(title, PAGE_MARGIN + pad, y + pad, { width: this.width - pad * 2 });
    doc
      .font('regular')
      .fontSize(9.5)
      .text(text, PAGE_MARGIN + pad, doc.y + pad / 2, { width: this.width - pad * 2 });
    doc.y = y + th + bh + pad * 2.5 + 6;
    doc.x = PAGE_MARGIN;
    doc.font('regular').fontSize(10);
  }

  rule(): void {
    const y = this.doc.y + 2;
    this.doc
      .moveTo(PAGE_MARGIN, y)
      .lineTo(PAGE_MARGIN + this.width, y)
      .lineWidth(0.75)
      .stroke();
    this.doc.y = y + 6;
  }

  /** Ends the document and returns its bytes. */
  async finish(): Promise<Buffer> {
    this.doc.end();
    return this.done;
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
