/**
 * The appeal packet: the letter, a claim summary page, the remittance excerpt, the proof of timely filing
 * for a CARC 29 denial, then the chosen attachments, merged into one PDF with page numbers on every page
 * and a table of contents in the letter. The letter is laid out until its own length is stable, because
 * its contents list the pages that follow it.
 */
import { type ContentsEntry, renderAppealLetter } from './appeal-letter.js';
import { sha256Hex } from './attachments/store.js';
import { renderClaimSummary, renderRemittanceExcerpt } from './claim-pages.js';
import {
  assemble,
  BudgetClock,
  DEFAULT_BUDGET,
  type Section,
  type SectionPlacement,
} from './pdf/assemble.js';
import { attachmentAsPdf, loadPdf } from './pdf/pages.js';
import {
  type AppealTemplate,
  selectAppealTemplate,
  validateAppealTemplate,
} from './templates/appeal-templates.js';
import { renderTimelyFilingProof } from './timely-filing.js';
import type { AppealPacketData, RenderBudget, RenderedPdf } from './types.js';

/** A built packet: its bytes, hash, page count and where each section is. */
export interface AppealPacket extends RenderedPdf {
  sha256: string;
  templateKey: string;
  sections: SectionPlacement[];
}

/** Options of `buildAppealPacket`. */
export interface AppealPacketOptions {
  /** Use this template instead of choosing one (the template preview). */
  template?: AppealTemplate;
  /** The practice's own templates, preferred over the defaults. */
  practiceTemplates?: AppealTemplate[];
  budget?: RenderBudget;
  now?: () => number;
}

function pageRange(first: number, count: number): string {
  return count <= 1 ? String(first) : `${first}-${first + count - 1}`;
}

function contentsFor(letterPages: number, rest: { title: string; pageCount: number }[]): ContentsEntry[] {
  const entries: ContentsEntry[] = [{ title: 'Appeal letter', pages: pageRange(1, letterPages) }];
  let next = letterPages + 1;
  for (const r of rest) {
    entries.push({ title: r.title, pages: pageRange(next, r.pageCount) });
    next += r.pageCount;
  }
  return entries;
}

/** Builds the whole packet; throws `DocumentError` for a bad template, a bad attachment or a blown budget. */
export async function buildAppealPacket(
  data: AppealPacketData,
  options: AppealPacketOptions = {},
): Promise<AppealPacket> {
  const clock = new BudgetClock(options.budget ?? DEFAULT_BUDGET, options.now);
  const template =
    options.template ??
    selectAppealTemplate(
      { category: data.denial.category, level: data.appeal.level, payerType: data.payer.type },
      options.practiceTemplates,
    );
  validateAppealTemplate(template);

  const rest: (Section & { pageCount: number })[] = [];
  const addRendered = async (title: string, pdf: Uint8Array) => {
    const pageCount = (await loadPdf(pdf, title)).getPageCount();
    rest.push({ title, pdf, pageCount });
    clock.check(
      title,
      rest.reduce((n, r) => n + r.pageCount, 0),
    );
  };
  await addRendered('Claim summary', await renderClaimSummary(data));
  await addRendered(
    'Remittance advice excerpt',
    await renderRemittanceExcerpt(data.remittance, data.appeal.filedOn, data.claim.claimId),
  );
  if (data.denial.category === 'TIMELY_FILING' && data.submissionHistory && data.timelyFilingDeadline) {
    await addRendered(
      'Proof of timely filing',
      await renderTimelyFilingProof({
        letterhead: data.letterhead,
        payer: data.payer,
        patient: data.patient,
        claim: data.claim,
        timelyFilingDeadline: data.timelyFilingDeadline,
        denialDate: data.denial.denialDate,
        history: data.submissionHistory,
        preparedOn: data.appeal.filedOn,
      }),
    );
  }
  for (const [i, a] of data.attachments.entries()) {
    const { bytes, pageCount } = await attachmentAsPdf(a);
    const hash = a.sha256 ?? sha256Hex(a.bytes);
    rest.push({
      title: `Attachment ${i + 1}: ${a.title} (SHA-256 ${hash.slice(0, 12)})`,
      pdf: bytes,
      pageCount,
    });
    clock.check(
      `attachment ${i + 1}`,
      rest.reduce((n, r) => n + r.pageCount, 0),
    );
  }

  // The contents list page numbers that depend on the letter's own length: lay it out until stable.
  let letterPages = 1;
  let letter = await renderAppealLetter(data, template, contentsFor(letterPages, rest));
  for (let pass = 0; pass < 3; pass++) {
    const actual = (await loadPdf(letter, 'Appeal letter')).getPageCount();
    if (actual === letterPages) break;
    letterPages = actual;
    letter = await renderAppealLetter(data, template, contentsFor(letterPages, rest));
  }
  clock.check('appeal letter');

  const merged = await assemble([{ title: 'Appeal letter', pdf: letter }, ...rest], {
    title: `Appeal of claim ${data.claim.claimId}, level ${data.appeal.level}`,
    footerLabel: `Claim ${data.claim.claimId} appeal`,
    createdOn: data.appeal.filedOn,
    clock,
  });
  return {
    bytes: merged.bytes,
    pageCount: merged.pageCount,
    sha256: sha256Hex(merged.bytes),
    templateKey: template.key,
    sections: merged.placements,
  };
}

/** Renders only the letter of a packet, as the template preview shows it (page numbers included). */
export async function previewAppealLetter(
  data: AppealPacketData,
  template: AppealTemplate,
  budget: RenderBudget = DEFAULT_BUDGET,
): Promise<RenderedPdf> {
  validateAppealTemplate(template);
  const clock = new BudgetClock(budget);
  const letter = await renderAppealLetter(data, template, []);
  const merged = await assemble([{ title: 'Appeal letter', pdf: letter }], {
    title: `Preview: ${template.name}`,
    footerLabel: `Preview of ${template.key}`,
    createdOn: data.appeal.filedOn,
    clock,
  });
  return { bytes: merged.bytes, pageCount: merged.pageCount };
}
