/**
 * Renders the sample appeal letter and patient statement shown in the README to `docs/` as PNG
 * (poppler's pdftoppm at 60 dpi, first page), from the same data the document tests use. Run it after
 * changing a layout: `npx tsx scripts/render-document-samples.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildAppealPacket } from '../documents/appeal-packet.js';
import { renderPatientStatement } from '../documents/statement.js';
import { commercialPacketData, markerPdf, statementData } from '../test/documents/fixtures.js';

const docs = resolve(import.meta.dirname, '..', 'docs');
const tmp = mkdtempSync(join(tmpdir(), 'doc-samples-'));

function toPng(pdf: Uint8Array, name: string): void {
  const file = join(tmp, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, join(docs, name)]);
  console.log(`docs/${name}.png`);
}

try {
  const packet = await buildAppealPacket(
    commercialPacketData({
      attachments: [
        {
          title: 'MRI order and clinic notes',
          mediaType: 'application/pdf',
          bytes: await markerPdf('NOTES', 2),
        },
      ],
    }),
  );
  toPng(packet.bytes, 'appeal-letter');
  toPng((await renderPatientStatement(statementData('FINAL_NOTICE', 4))).bytes, 'statement');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
