/** GET /exports/:kind: which data, of which practice, in which format and date range. */
import { Type } from 'typebox';
import { EXPORT_KINDS } from '../../db/reports/exports.js';
import { DateParam, PracticeId, strict } from './common.js';

export const ExportParams = Type.Object({ kind: Type.Enum(EXPORT_KINDS) }, strict);

export const ExportQuery = Type.Object(
  {
    practiceId: PracticeId(),
    format: Type.Optional(Type.Union([Type.Literal('ndjson'), Type.Literal('csv')], { default: 'ndjson' })),
    from: Type.Optional(DateParam('first day (inclusive) of the rows’ own date')),
    to: Type.Optional(DateParam('last day (inclusive)')),
  },
  strict,
);

/** The streamed answer: one JSON object per line, or CSV with a header row. */
export const ExportStream = {
  description: 'the export, streamed',
  content: {
    'application/x-ndjson': { schema: Type.String() },
    'text/csv': { schema: Type.String() },
  },
};
