/**
 * Appeal letters and packets, read back with poppler's pdftotext/pdfinfo: the letter carries the claim's
 * numbers, the CARC/RARC text, the deadline and the grounds; the packet is exactly letter + summary +
 * remittance + attachment pages, and the attachment pages are the uploaded files' own pages.
 */
import { describe, expect, it } from 'vitest';
import { buildAppealPacket, previewAppealLetter } from '../../documents/appeal-packet.js';
import { DocumentError } from '../../documents/errors.js';
import {
  type AppealTemplate,
  DEFAULT_APPEAL_TEMPLATES,
  selectAppealTemplate,
  validateAppealTemplate,
} from '../../documents/templates/appeal-templates.js';
import { FailureType } from '../../domain/failures.js';
import {
  commercialPacketData,
  markerPdf,
  medicarePacketData,
  pdfFonts,
  pdfPageCount,
  pdfText,
  samplePng,
  sampleTiff,
} from './fixtures.js';

function refusalOf(run: () => unknown): DocumentError {
  try {
    run();
  } catch (err) {
    if (err instanceof DocumentError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

async function asyncRefusal(run: Promise<unknown>): Promise<DocumentError> {
  try {
    await run;
  } catch (err) {
    if (err instanceof DocumentError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('appeal packet', () => {
  it('is letter + claim summary + remittance + attachment pages, the attachments being the uploaded pages', async () => {
    const record = await markerPdf('OPREPORT', 3);
    const data = commercialPacketData({
      attachments: [
        { title: 'Operative report', mediaType: 'application/pdf', bytes: record },
        { title: 'Wound photo', mediaType: 'image/png', bytes: samplePng() },
        { title: 'Faxed authorization', mediaType: 'image/tiff', bytes: sampleTiff(2) },
      ],
    });
    const packet = await buildAppealPacket(data);
    const [letter, summary, remittance, ...attachments] = packet.sections;
    expect(summary).toMatchObject({ title: 'Claim summary', pageCount: 1 });
    expect(remittance).toMatchObject({ title: 'Remittance advice excerpt', pageCount: 1 });
    expect(attachments.map((a) => a.pageCount)).toEqual([pdfPageCount(record), 1, 2]);
    const expected = letter!.pageCount + 1 + 1 + pdfPageCount(record) + 1 + 2;
    expect(packet.pageCount).toBe(expected);
    expect(pdfPageCount(packet.bytes)).toBe(expected);

    // The uploaded record's pages, in order, where the contents say they are.
    const first = attachments[0]!.firstPage;
    for (let i = 1; i <= 3; i++) {
      expect(pdfText(packet.bytes, { first: first + i - 1, last: first + i - 1 })).toContain(
        `OPREPORT PAGE ${i}`,
      );
    }
    // Every page is numbered against the whole packet.
    expect(pdfText(packet.bytes, { first: expected, last: expected })).toContain(
      `Page ${expected} of ${expected}`,
    );
    // The table of contents in the letter lists each section's pages.
    const letterText = pdfText(packet.bytes, { first: 1, last: letter!.pageCount });
    expect(letterText).toContain('Contents of this packet');
    expect(letterText).toContain(`Attachment 1: Operative report`);
    expect(letterText).toContain(`${first}-${first + 2}`);
  });

  it('the letter shows the claim numbers, the CARC and RARC text, the deadline and the grounds', async () => {
    const data = commercialPacketData();
    const text = pdfText((await buildAppealPacket(data)).bytes);
    expect(text).toContain('C-2026-0917');
    expect(text).toContain('PCL-55501');
    expect(text).toContain('CO-50: Not deemed medically necessary by the payer');
    expect(text).toContain('N115: Decision based on a local coverage determination');
    expect(text).toContain('March 30, 2027');
    expect(text).toContain('progressive foot weakness');
    expect(text).toContain('Zoë Quintero');
    // Commercial letters cite the plan's appeal rights.
    expect(text).toContain('Section 7.2 of the Acme Health provider manual');
    // Remittance excerpt and claim summary.
    expect(text).toContain('EFT7788001');
    expect(text).toContain('CO-45 $25.00: Charge exceeds the fee schedule');
    expect(text).toContain('M54.16');
  });

  it('embeds every font it uses', async () => {
    const fonts = pdfFonts((await buildAppealPacket(commercialPacketData())).bytes);
    const rows = fonts
      .split('\n')
      .slice(2)
      .filter((l) => l.trim() !== '');
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/DejaVu.*\byes\b/);
  });

  it('the same data renders the same bytes, so a re-filed packet has the same hash', async () => {
    const a = await buildAppealPacket(commercialPacketData());
    const b = await buildAppealPacket(commercialPacketData());
    expect(b.sha256).toBe(a.sha256);
  });

  it('a Medicare redetermination carries the fields of CMS-20027', async () => {
    const packet = await buildAppealPacket(medicarePacketData(1));
    expect(packet.templateKey).toBe('medicare-redetermination');
    const text = pdfText(packet.bytes);
    expect(text).toContain('Request for redetermination');
    expect(text).toContain('the fields of form CMS-20027');
    expect(text).toContain('1EG4TE5MK73');
    expect(text).toContain('National Government Services');
    expect(text).toContain('5. Date of the initial determination');
    expect(text).toContain('7. Does this involve an overpayment?');
    expect(text).toContain('within 120 days');
  });

  it('a Medicare reconsideration carries the fields of CMS-20033 and the redetermination it appeals', async () => {
    const packet = await buildAppealPacket(medicarePacketData(2));
    expect(packet.templateKey).toBe('medicare-reconsideration');
    const text = pdfText(packet.bytes);
    expect(text).toContain('the fields of form CMS-20033');
    expect(text).toContain('Qualified Independent Contractor');
    expect(text).toContain('December 20, 2026');
    expect(text).toContain('June 20, 2027');
  });

  it('an unreadable attachment is refused naming it', async () => {
    const broken = Buffer.from('%PDF-1.7\nthis is not a pdf body\n%%EOF');
    const err = await asyncRefusal(
      buildAppealPacket(
        commercialPacketData({
          attachments: [{ title: 'Lab results', mediaType: 'application/pdf', bytes: broken }],
        }),
      ),
    );
    expect(err.type).toBe(FailureType.AttachmentTypeRefused);
    expect(err.message).toContain('Lab results');
  });

  it('a packet over its page budget is refused, not rendered', async () => {
    const err = await asyncRefusal(
      buildAppealPacket(
        commercialPacketData({
          attachments: [{ title: 'Chart', mediaType: 'application/pdf', bytes: await markerPdf('CHART', 6) }],
        }),
        { budget: { maxPages: 5, maxBytes: 10_000_000, timeoutMs: 60_000 } },
      ),
    );
    expect(err.type).toBe(FailureType.RenderBudgetExceeded);
    expect(err.message).toContain('over the limit of 5');
  });
});

describe('appeal templates', () => {
  it('are chosen by denial category, appeal level and payer type', () => {
    const pick = (
      category: Parameters<typeof selectAppealTemplate>[0]['category'],
      level: number,
      payerType: 'MEDICARE' | 'COMMERCIAL' | 'ERISA',
    ) => selectAppealTemplate({ category, level, payerType }).key;
    expect(pick('MEDICAL_NECESSITY', 1, 'COMMERCIAL')).toBe('commercial-medical-necessity');
    expect(pick('AUTHORIZATION', 2, 'ERISA')).toBe('commercial-authorization');
    expect(pick('BUNDLING', 1, 'COMMERCIAL')).toBe('commercial-coding');
    expect(pick('ELIGIBILITY', 1, 'COMMERCIAL')).toBe('commercial-general');
    expect(pick('MEDICAL_NECESSITY', 1, 'MEDICARE')).toBe('medicare-redetermination');
    expect(pick('CODING', 2, 'MEDICARE')).toBe('medicare-reconsideration');
    expect(pick('CODING', 3, 'MEDICARE')).toBe('medicare-further-review');
  });

  it("a practice's own template replaces the default with its key", () => {
    const own: AppealTemplate = {
      ...DEFAULT_APPEAL_TEMPLATES.find((t) => t.key === 'commercial-general')!,
      name: 'Our general appeal',
    };
    expect(selectAppealTemplate({ category: 'OTHER', level: 1, payerType: 'COMMERCIAL' }, [own]).name).toBe(
      'Our general appeal',
    );
  });

  it('every default template is valid', () => {
    for (const t of DEFAULT_APPEAL_TEMPLATES) validateAppealTemplate(t);
  });

  it('a template with an unknown field is refused naming the field', async () => {
    const bad: AppealTemplate = {
      ...DEFAULT_APPEAL_TEMPLATES[0]!,
      body: 'Dear payer, see {{patient.ssn}} and {{claim.claimId}}.',
    };
    const err = refusalOf(() => validateAppealTemplate(bad));
    expect(err.type).toBe(FailureType.TemplateInvalid);
    expect(err.field).toBe('patient.ssn');
    expect(err.message).toContain('Unknown template field "patient.ssn" in body');
    // The packet builder refuses it too, before rendering anything.
    const viaPacket = await asyncRefusal(buildAppealPacket(commercialPacketData(), { template: bad }));
    expect(viaPacket.field).toBe('patient.ssn');
  });

  it('a stray brace and a Medicare form on a commercial template are refused', () => {
    const base = DEFAULT_APPEAL_TEMPLATES.find((t) => t.key === 'commercial-general')!;
    expect(
      refusalOf(() => validateAppealTemplate({ ...base, subject: 'Appeal {{claim.claimId' })).field,
    ).toBe('subject');
    expect(refusalOf(() => validateAppealTemplate({ ...base, form: 'CMS-20027' })).field).toBe('form');
  });

  it('the preview renders one template against a claim', async () => {
    const template = DEFAULT_APPEAL_TEMPLATES.find((t) => t.key === 'commercial-authorization')!;
    const preview = await previewAppealLetter(
      commercialPacketData({ denial: { ...commercialPacketData().denial, category: 'AUTHORIZATION' } }),
      template,
    );
    const text = pdfText(preview.bytes);
    expect(text).toContain('Appeal of authorization denial');
    expect(text).toContain(`Page 1 of ${preview.pageCount}`);
  });
});
