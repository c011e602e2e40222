/**
 * ERA upload: the X12 835 text is parsed whole first (a malformed file is refused with the segment and
 * rule, nothing stored or posted), stored by checksum, then posted by the `era-<checksum>` workflow, so
 * the same file twice, or two concurrent uploads of it, post exactly once.
 */

import { storeEraFile } from '../../db/era.js';
import { eraIngestWorkflowId } from '../../workflows/era-ids.js';
import type { App, AppDeps } from '../app.js';
import { Problem, unprocessable } from '../errors.js';

export function remittanceRoutes(deps: AppDeps) {
  return async function routes(app: App): Promise<void> {
    app.post(
      '/remittances',
      {
        schema: {
          tags: ['remittances'],
          summary: 'Upload an X12 835 remittance (text/plain or application/edi-x12 body)',
        },
        config: { roles: ['integration', 'supervisor', 'admin', 'biller'] },
      },
      async (req, reply) => {
        const raw = req.body;
        if (typeof raw !== 'string' || raw.trim() === '') {
          throw new Problem(
            415,
            'Unsupported Media Type',
            'send the 835 as a text/plain or application/edi-x12 body',
          );
        }
        const stored = await storeEraFile(deps.db, { raw, source: 'upload' });
        if (stored.status === 'REJECTED') {
          throw unprocessable(
            'the 835 was refused whole; nothing was posted',
            stored.error.errors.map((e) => ({
              field: `segment ${e.segmentPosition} (${e.segmentId}${e.element ? `${String(e.element).padStart(2, '0')}` : ''})`,
              message: `${e.rule}: ${e.message}`,
            })),
          );
        }
        const result = await deps.temporal.workflow.execute('eraIngestWorkflow', {
          workflowId: eraIngestWorkflowId(stored.checksum),
          taskQueue: deps.config.temporal.taskQueue,
          args: [{ eraFileId: stored.eraFileId }],
          // Concurrent uploads of the same file attach to one ingestion; a later re-upload re-runs it,
          // which posts nothing new and re-signals anything whose signal was lost.
          workflowIdConflictPolicy: 'USE_EXISTING',
        });
        return reply.status(stored.isNew ? 201 : 200).send({
          eraFileId: stored.eraFileId,
          checksum: stored.checksum,
          duplicateFile: !stored.isNew,
          transactions: stored.transactions,
          claims: stored.claims,
          ...(result as object),
        });
      },
    );
  };
}
