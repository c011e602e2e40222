/**
 * Sample data and files for the document tests: a denied claim with its remittance, uploads of each
 * accepted type made on the fly (a 2-page PDF whose pages carry marker text, a PNG, a 2-page TIFF), and
 * helpers that read a PDF back with poppler's pdftotext/pdfinfo, as a person printing it would see it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import { FONT_FILES } from '../../documents/pdf/fonts.js';
import type { AppealPacketData, PatientStatementData } from '../../documents/types.js';

export const letterhead = {
  practiceName: 'Riverside Family Medicine',
  npi: '1234567893',
  taxId: '12-3456789',
  address: { lines: ['200 Main Street', 'Suite 4'], city: 'Springfield', state: 'IL', postalCode: '62701' },
  phone: '(217) 555-0100',
  fax: '(217) 555-0101',
};

/** A commercial medical-necessity denial, first-level appeal. */
export function commercialPacketData(overrides: Partial<AppealPacketData> = {}): AppealPacketData {
  return {
    letterhead,
    payer: {
      id: 'ACME',
      name: 'Acme Health Plan',
      type: 'COMMERCIAL',
      appealAddress: {
        lines: ['PO Box 1000', 'Attn: Provider Appeals'],
        city: 'Chicago',
        state: 'IL',
        postalCode: '60601',
      },
      planAppealRights:
        'Section 7.2 of the Acme Health provider manual (the plan’s appeal rights), which allows 180 days to appeal',
    },
    patient: { firstName: 'Zoë', lastName: 'Quintero', birthDate: '1961-04-12', memberId: 'ACM998877' },
    claim: {
      claimId: 'C-2026-0917',
      patientControlNumber: 'PCN0917',
      payerClaimNumber: 'PCL-55501',
      dateOfService: '2026-09-03',
      totalChargeCents: 48_500,
      billingProviderNpi: '1234567893',
      renderingProviderNpi: '1987654325',
      diagnosisCodes: ['M54.16', 'M51.26'],
      lines: [
        { lineNumber: 1, procedureCode: '99214', modifiers: ['25'], units: 1, chargeCents: 18_500 },
        { lineNumber: 2, procedureCode: '72148', units: 1, chargeCents: 30_000 },
      ],
    },
    denial: {
      denialDate: '2026-10-01',
      category: 'MEDICAL_NECESSITY',
      adjustments: [{ group: 'CO', carc: '50', amountCents: 30_000 }],
      rarcs: ['N115'],
      deniedAmountCents: 30_000,
    },
    appeal: {
      level: 1,
      deadline: '2027-03-30',
      grounds:
        'Six weeks of conservative therapy failed and the patient developed progressive foot weakness, which meets the plan policy for lumbar MRI.',
      filedOn: '2026-10-15',
      requester: { name: 'Dana Whitfield', title: 'Billing manager', phone: '(217) 555-0102' },
    },
    remittance: {
      payerName: 'Acme Health Plan',
      checkOrEftNumber: 'EFT7788001',
      paymentDate: '2026-10-01',
      claimStatusCode: '1',
      payerClaimNumber: 'PCL-55501',
      chargeCents: 48_500,
      paidCents: 14_000,
      patientResponsibilityCents: 2_000,
      claimAdjustments: [],
      lines: [
        {
          lineNumber: 1,
          procedureCode: '99214',
          chargeCents: 18_500,
          allowedCents: 16_000,
          paidCents: 14_000,
          adjustments: [
            { group: 'CO', carc: '45', amountCents: 2_500 },
            { group: 'PR', carc: '3', amountCents: 2_000 },
          ],
          rarcs: [],
        },
        {
          lineNumber: 2,
          procedureCode: '72148',
          chargeCents: 30_000,
          allowedCents: 0,
          paidCents: 0,
          adjustments: [{ group: 'CO', carc: '50', amountCents: 30_000 }],
          rarcs: ['N115'],
        },
      ],
    },
    attachments: [],
    ...overrides,
  };
}

/** The same denial for Medicare (redetermination at level 1, reconsideration at level 2). */
export function medicarePacketData(level: 1 | 2): AppealPacketData {
  const base = commercialPacketData();
  return {
    ...base,
    payer: {
      id: 'MCR-JK',
      name: 'Medicare Part B (J6)',
      type: 'MEDICARE',
      contractorName: 'National Government Services',
      appealAddress: { lines: ['PO Box 6475'], city: 'Indianapolis', state: 'IN', postalCode: '46206' },
    },
    patient: { ...base.patient, memberId: '1EG4TE5MK73' },
    appeal: {
      ...base.appeal,
      level,
      deadline: level === 1 ? '2027-02-03' : '2027-06-20',
      priorDecision: level === 2 ? { date: '2026-12-20', reference: 'RD-4411' } : undefined,
    },
  };
}

/** A PDF of `pages` pages, page i carrying the text `${marker} PAGE ${i}`. */
export async function markerPdf(marker: string, pages: number): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', font: FONT_FILES.regular });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((r) => doc.on('end', () => r(Buffer.concat(chunks))));
  for (let i = 1; i <= pages; i++) {
    if (i > 1) doc.addPage();
    doc.fontSize(18).text(`${marker} PAGE ${i}`, 72, 72);
  }
  doc.end();
  return done;
}

function gradient(width: number, height: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      rgba[o] = (x * 255) / width;
      rgba[o + 1] = (y * 255) / height;
      rgba[o + 2] = 128;
      rgba[o + 3] = 255;
    }
  }
  return rgba;
}

export function samplePng(width = 120, height = 80): Buffer {
  const png = new PNG({ width, height });
  png.data = Buffer.from(gradient(width, height));
  return PNG.sync.write(png);
}

/** A TIFF with `pages` images, as a fax scan would be. */
export function sampleTiff(pages = 2, width = 60, height = 40): Buffer {
  return encodeMultiPageTiff(
    Array.from({ length: pages }, () => gradient(width, height)),
    width,
    height,
  );
}

/** A minimal baseline multi-page RGB TIFF (uncompressed strips), written byte by byte. */
function encodeMultiPageTiff(images: Uint8Array[], width: number, height: number): Buffer {
  const entries = 10;
  const ifdSize = 2 + entries * 12 + 4;
  const pixelBytes = width * height * 3;
  const bitsOffsetSize = 6;
  const pageSize = ifdSize + bitsOffsetSize + pixelBytes;
  const buf = Buffer.alloc(8 + pageSize * images.length);
  buf.write('II', 0, 'ascii');
  buf.writeUInt16LE(42, 2);
  buf.writeUInt32LE(8, 4);
  images.forEach((rgba, p) => {
    const ifd = 8 + p * pageSize;
    const bits = ifd + ifdSize;
    const pixels = bits + bitsOffsetSize;
    buf.writeUInt16LE(entries, ifd);
    const tags: [number, number, number, number][] = [
      [256, 3, 1, width],
      [257, 3, 1, height],
      [258, 3, 3, bits],
      [259, 3, 1, 1],
      [262, 3, 1, 2],
      [273, 4, 1, pixels],
      [277, 3, 1, 3],
      [278, 3, 1, height],
      [279, 4, 1, pixelBytes],
      [284, 3, 1, 1],
    ];
    tags.forEach(([tag, type, count, value], i) => {
      const o = ifd + 2 + i * 12;
      buf.writeUInt16LE(tag, o);
      buf.writeUInt16LE(type, o + 2);
      buf.writeUInt32LE(count, o + 4);
      if (type === 3 && count === 1) buf.writeUInt16LE(value, o + 8);
      else buf.writeUInt32LE(value, o + 8);
    });
    const next = p + 1 < images.length ? 8 + (p + 1) * pageSize : 0;
    buf.writeUInt32LE(next, ifd + 2 + entries * 12);
    buf.writeUInt16LE(8, bits);
    buf.writeUInt16LE(8, bits + 2);
    buf.writeUInt16LE(8, bits + 4);
    for (let i = 0; i < width * height; i++) {
      buf[pixels + i * 3] = rgba[i * 4]!;
      buf[pixels + i * 3 + 1] = rgba[i * 4 + 1]!;
      buf[pixels + i * 3 + 2] = rgba[i * 4 + 2]!;
    }
  });
  return buf;
}

/** A patient statement of the given kind for the claim above. */
export function statementData(
  kind: PatientStatementData['kind'],
  sequence: number,
  overrides: Partial<PatientStatementData> = {},
): PatientStatementData {
  return {
    statementId: `ST-0917-${sequence}`,
    kind,
    sequence,
    statementDate: '2026-11-02',
    dueDate: '2026-12-02',
    letterhead,
    patient: { firstName: 'Zoë', lastName: 'Quintero', accountNumber: 'A-100917' },
    guarantor: {
      name: 'Zoë Quintero',
      address: { lines: ['17 Oak Lane', 'Apt 2B'], city: 'Springfield', state: 'IL', postalCode: '62704' },
    },
    payerName: 'Acme Health Plan',
    lines: [
      {
        dateOfService: '2026-09-03',
        description: 'Office visit, established patient',
        chargeCents: 18_500,
        insurancePaidCents: 14_000,
        insuranceAdjustedCents: 2_500,
        patientPaidCents: 0,
        patientOwesCents: 2_000,
      },
      {
        dateOfService: '2026-09-03',
        description: 'MRI, lower back',
        chargeCents: 30_000,
        insurancePaidCents: 0,
        insuranceAdjustedCents: 25_000,
        patientPaidCents: 1_000,
        patientOwesCents: 4_000,
      },
    ],
    amountDueCents: 6_000,
    paymentOptions: {
      online: 'https://pay.riverside.example/A-100917',
      phone: '(217) 555-0110',
      mailTo: { lines: ['PO Box 77'], city: 'Springfield', state: 'IL', postalCode: '62705' },
      paymentPlan: 'Call us to spread the balance over up to 12 months with no interest.',
    },
    financialAssistance: {
      summary: 'You may qualify for free or discounted care based on your household income.',
      howToApply: 'Ask for an application at (217) 555-0120 or download it at riverside.example/assistance.',
    },
    ...(kind === 'FINAL_NOTICE'
      ? {
          finalNotice: {
            actionDate: '2027-03-02',
            action: 'the account will be referred to an outside collection agency.',
          },
        }
      : {}),
    ...overrides,
  };
}

function withTempFile<T>(bytes: Uint8Array, run: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-read-'));
  const path = join(dir, 'doc.pdf');
  writeFileSync(path, bytes);
  try {
    return run(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of a PDF (or of pages first..last), as pdftotext extracts it, whitespace collapsed. */
export function pdfText(bytes: Uint8Array, pages?: { first: number; last: number }): string {
  return withTempFile(bytes, (path) => {
    const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
    const out = execFileSync('pdftotext', [...range, path, '-'], { encoding: 'utf8' });
    return out.replace(/\s+/g, ' ');
  });
}

/** The page count pdfinfo reports. */
export function pdfPageCount(bytes: Uint8Array): number {
  return withTempFile(bytes, (path) => {
    const out = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
    const m = /^Pages:\s+(\d+)/m.exec(out);
    if (!m) throw new Error(`pdfinfo printed no page count:\n${out}`);
    return Number(m[1]);
  });
}

/** The fonts pdffonts lists, one line per font, to check they are embedded. */
export function pdfFonts(bytes: Uint8Array): string {
  return withTempFile(bytes, (path) => execFileSync('pdffonts', [path], { encoding: 'utf8' }));
}
