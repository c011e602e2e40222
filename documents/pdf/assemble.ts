/**
 * Merges rendered sections and attachments into one PDF with pdf-lib, stamps "Page i of N" on every
 * page (attachments included, so a payer can cite any page of the packet), and enforces the render
 * budget. Dates in the metadata come from the data, so the same input yields the same bytes.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import { FailureType } from '../../domain/failures.js';
import { DocumentError } from '../errors.js';
import type { RenderBudget, RenderedPdf } from '../types.js';
import { fontBytes } from './fonts.js';
import { loadPdf } from './pages.js';

/** Defaults generous for a packet with a thick medical record, tight enough to stop a runaway render. */
export const DEFAULT_BUDGET: RenderBudget = { maxPages: 400, maxBytes: 60 * 1024 * 1024, timeoutMs: 60_000 };

/** Tracks one render against its budget. */
export class BudgetClock {
  private readonly deadline: number;

  constructor(
    readonly budget: RenderBudget,
    private readonly now: () => number = Date.now,
  ) {
    this.deadline = now() + budget.timeoutMs;
  }

  /** Throws `RenderBudgetExceeded` naming the stage when time, pages or size ran out. */
  check(stage: string, pages?: number, bytes?: number): void {
    if (this.now() > this.deadline) {
      throw new DocumentError(
        FailureType.RenderBudgetExceeded,
        `Rendering took longer than ${this.budget.timeoutMs} ms (at ${stage}).`,
        stage,
      );
    }
    if (pages !== undefined && pages > this.budget.maxPages) {
      throw new DocumentError(
        FailureType.RenderBudgetExceeded,
        `The document has ${pages} pages, over the limit of ${this.budget.maxPages} (at ${stage}).`,
        stage,
      );
    }
    if (bytes !== undefined && bytes > this.budget.maxBytes) {
      throw new DocumentError(
        FailureType.RenderBudgetExceeded,
        `The document is ${bytes} bytes, over the limit of ${this.budget.maxBytes} (at ${stage}).`,
        stage,
      );
    }
  }
}

/** One part of a merged document. */
export interface Section {
  title: string;
  pdf: Uint8Array;
}

/** Where each section landed in the merged document (1-based pages). */
export interface SectionPlacement {
  title: string;
  firstPage: number;
  pageCount: number;
}

/** Options of `assemble`. */
export interface AssembleOptions {
  title: string;
  /** Printed left of the page number, e.g. "Claim C-1001 appeal". No PHI: it is on every page. */
  footerLabel: string;
  createdOn: string;
  clock: BudgetClock;
  /** Skip stamping page numbers (print batches number each statement on its own). */
  pageNumbers?: boolean;
}

/** Merges `sections` in order and returns the PDF with its placements. */
export async function assemble(
  sections: Section[],
  options: AssembleOptions,
): Promise<RenderedPdf & { placements: SectionPlacement[] }> {
  const out = await PDFDocument.create({ updateMetadata: false });
  out.registerFontkit(fontkit);
  const placements: SectionPlacement[] = [];
  for (const section of sections) {
    const src = await loadPdf(section.pdf, `"${section.title}"`);
    const pages = await out.copyPages(src, src.getPageIndices());
    placements.push({ title: section.title, firstPage: out.getPageCount() + 1, pageCount: pages.length });
    for (const page of pages) out.addPage(page);
    options.clock.check(`merging ${section.title}`, out.getPageCount());
  }
  const total = out.getPageCount();
  if (options.pageNumbers !== false) {
    const font = await out.embedFont(fontBytes('regular'), { subset: true });
    out.getPages().forEach((page, i) => {
      const label = `${options.footerLabel}  ·  Page ${i + 1} of ${total}`;
      const size = 8;
      const width = font.widthOfTextAtSize(label, size);
      const { width: pw } = page.getSize();
      page.drawText(label, { x: (pw - width) / 2, y: 20, size, font, color: rgb(0.25, 0.25, 0.25) });
    });
  }
  const date = new Date(`${options.createdOn}T12:00:00Z`);
  out.setTitle(options.title);
  out.setCreator('denial desk');
  out.setProducer('denial desk (pdf-lib)');
  out.setCreationDate(date);
  out.setModificationDate(date);
  const bytes = await out.save();
  options.clock.check('saving', total, bytes.length);
  return { bytes, pageCount: total, placements };
}
