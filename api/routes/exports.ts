/**
 * GET /exports/{claims,events,postings,eras}: a practice's data as NDJSON or CSV, streamed into the
 * response chunk by chunk (keyset-paginated reads, db/reports/exports.ts), so an export never holds more
 * than one chunk of rows. A practice owner can take all of its data along: nothing locks it in.
 */
import { Readable } from 'node:stream';
import { EXPORT_COLUMNS, type ExportKind, streamExport } from '../../db/reports/exports.js';
import { csvField } from '../csv.js';
import { practicesFor } from '../plugins/auth.js';
import * as s from '../schemas/exports.js';
import { type App, type AppDeps, OVERSIGHT_ROLES } from '../types.js';

/** Kept where the export tests have always found it. */
export { csvField };

const CONTENT_TYPES = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
} as const;

async function* lines(
  rows: AsyncIterable<Record<string, unknown>>,
  columns: readonly string[],
  format: 'ndjson' | 'csv',
) {
  if (format === 'csv') yield `${columns.join(',')}\r\n`;
  for await (const row of rows) {
    if (format === 'csv') {
      yield `${columns.map((c) => csvField(row[c])).join(',')}\r\n`;
    } else {
      yield `${JSON.stringify(Object.fromEntries(columns.map((c) => [c, row[c] ?? null])))}\n`;
    }
  }
}

export function exportRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.get(
      '/exports/:kind',
      {
        schema: {
          params: s.ExportParams,
          querystring: s.ExportQuery,
          tags: ['exports'],
          operationId: 'exportPracticeData',
          summary: 'Export a practice’s claims, events (audit trail), postings or raw ERA files, streamed',
          description:
            'NDJSON (one object per line) or CSV (RFC 4180, header row). Columns per kind: ' +
            Object.entries(EXPORT_COLUMNS)
              .map(([k, cols]) => `${k}: ${cols.join(', ')}`)
              .join('; ') +
            '. Patient names, birth dates and member ids are not exported. A raw ERA file is exported only when ' +
            'every payment in it is this practice’s.',
          response: {
            200: s.ExportStream,
          },
        },
        config: { roles: OVERSIGHT_ROLES, ranges: [['from', 'to']] },
      },
      async (req, reply) => {
        const q = req.query;
        const [practiceId] = practicesFor(req, q.practiceId) as [string];
        const kind = req.params.kind as ExportKind;
        const format = q.format ?? 'ndjson';
        const rows = streamExport(deps.db, kind, { practiceId, from: q.from, to: q.to });
        reply
          .type(CONTENT_TYPES[format])
          .header(
            'content-disposition',
            `attachment; filename="${practiceId}-${kind}.${format === 'csv' ? 'csv' : 'ndjson'}"`,
          );
        // The typed reply knows only the JSON answers; a stream is sent as is (no serializer runs on it).
        return reply.send(Readable.from(lines(rows, EXPORT_COLUMNS[kind], format)) as unknown as string);
      },
    );
  };
}
