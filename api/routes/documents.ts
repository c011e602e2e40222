/**
 * Documents: attachments uploaded to a claim (evidence for appeals), the documents the system generated
 * for it (appeal packets, statements), and the practice's appeal letter templates with a preview.
 *
 * Uploads are checked by content, not by name (PDF, TIFF, PNG, JPEG only; an executable renamed .pdf
 * is refused saying what it is), against the configured size limit, and for PDFs that they can be
 * merged into a packet; a refused upload stores nothing. The bytes are stored content-addressed, so a
 * download carries its SHA-256 (`x-content-sha256`) and the same file uploaded twice is one attachment.
 * Every upload and download is on the claim's timeline.
 */
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { getAttachment, insertAttachment, listAttachments } from '../../db/attachments.js';
import { DocumentDataMissing, loadAppealPacketData } from '../../db/document-data.js';
import { currentTemplates, getTemplate, saveTemplateVersion } from '../../db/document-templates.js';
import { getDocument, listDocuments, recordFileEvent, statementsMailedOn } from '../../db/documents.js';
import { previewAppealLetter } from '../../documents/appeal-packet.js';
import { extensionOf } from '../../documents/attachments/content-type.js';
import { type AttachmentStore, readAll, readPacketAttachments } from '../../documents/attachments/store.js';
import { isDocumentError } from '../../documents/errors.js';
import { countAttachmentPages } from '../../documents/pdf/pages.js';
import { assemblePrintBatch } from '../../documents/print-batch.js';
import {
  type AppealTemplate,
  DEFAULT_APPEAL_TEMPLATES,
  selectAppealTemplate,
  validateAppealTemplate,
} from '../../documents/templates/appeal-templates.js';
import { FailureType } from '../../domain/failures.js';
import type { PayerType } from '../../domain/payer-rules.js';
import { claimForPrincipal } from '../plugins/auth.js';
import { notFound, Problem, unprocessable } from '../plugins/problems.js';
import { problemResponse, strict } from '../schemas/common.js';
import {
  AttachmentParams,
  AttachmentView,
  ClaimParams,
  DocumentParams,
  DocumentView,
  PracticeParams,
  PreviewBody,
  PrintBatchQuery,
  TemplateBody,
  TemplateParams,
  TemplateView,
} from '../schemas/documents.js';
import type { App, AppDeps, DocumentDeps } from '../types.js';

/** A documents-module or loader refusal as a problem naming what is wrong. */
function documentProblem(err: unknown): Problem | undefined {
  if (!isDocumentError(err) && !(err instanceof DocumentDataMissing)) return undefined;
  const field = err.field ?? 'request';
  switch (err.type) {
    case FailureType.AttachmentTooLarge:
      return new Problem(413, 'Content Too Large', err.message, {
        errors: [{ field, message: err.message }],
      });
    case FailureType.AttachmentTypeRefused:
      return new Problem(415, 'Unsupported Media Type', err.message, {
        errors: [{ field, message: err.message }],
      });
    case FailureType.AttachmentNotFound:
    case FailureType.ClaimNotFound:
      return new Problem(404, 'Not Found', err.message);
    default:
      return unprocessable(err.message, [{ field, message: err.message }]);
  }
}

function rethrow(err: unknown): never {
  throw documentProblem(err) ?? err;
}

function attachmentJson(a: Awaited<ReturnType<typeof listAttachments>>[number], created?: boolean) {
  return {
    id: a.id,
    claimId: a.claimUuid,
    title: a.title,
    fileName: a.fileName,
    mediaType: a.mediaType,
    sizeBytes: a.sizeBytes,
    pageCount: a.pageCount,
    sha256: a.sha256,
    uploadedBy: a.uploadedBy,
    uploadedAt: a.uploadedAt,
    ...(created === undefined ? {} : { created }),
  };
}

function documentJson(d: Awaited<ReturnType<typeof listDocuments>>[number]) {
  return {
    id: d.id,
    claimId: d.claimUuid,
    kind: d.kind,
    sha256: d.sha256,
    mediaType: d.mediaType,
    sizeBytes: d.sizeBytes,
    pageCount: d.pageCount,
    templateKey: d.templateKey,
    templateVersion: d.templateVersion,
    attachmentIds: d.attachmentIds,
    createdAt: d.createdAt,
    sentAt: d.sentAt,
    deliveryReference: d.deliveryReference,
  };
}

/** Answers with a stored file: its type, size and SHA-256 (so a client can check what it received). */
function sendStoredFile(
  reply: FastifyReply,
  file: { mediaType: string; sizeBytes: number; sha256: string },
  fileName: string,
  stream: NodeJS.ReadableStream,
) {
  return reply
    .type(file.mediaType)
    .header('content-length', String(file.sizeBytes))
    .header('x-content-sha256', file.sha256)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .send(stream);
}

export function documentRoutes(deps: AppDeps & { documents: DocumentDeps }) {
  const { store, maxUploadBytes } = deps.documents;
  const readers = ['biller', 'supervisor', 'admin', 'integration'] as const;

  return async function routes(app: App): Promise<void> {
    app.post(
      '/claims/:id/attachments',
      {
        schema: {
          params: ClaimParams,
          consumes: ['multipart/form-data'],
          tags: ['documents'],
          summary: 'Upload an attachment (PDF, TIFF, PNG or JPEG) to a claim',
          description:
            `multipart/form-data with one \`file\` part and an optional \`title\` field. The type is judged by ` +
            `content; the limit is the configured attachment size. 201 for a new file, 200 when the claim ` +
            `already has the same file. 413 over the limit, 415 for another type (also an executable renamed ` +
            `.pdf) or a PDF that cannot be merged; nothing is stored then.`,
          response: {
            200: AttachmentView,
            201: AttachmentView,
            413: problemResponse('over the attachment size limit; nothing stored'),
            422: problemResponse('the form has no `file` part, or an unexpected part; nothing stored'),
            415: problemResponse(
              'not a PDF, TIFF, PNG or JPEG, or a PDF that cannot be merged; nothing stored',
            ),
          },
        },
        config: { roles: readers },
      },
      async (req, reply) => {
        const claim = await claimForPrincipal(deps.db, req, req.params.id);
        if (!req.isMultipart()) {
          throw new Problem(
            415,
            'Unsupported Media Type',
            'send the file as multipart/form-data with a "file" part',
          );
        }
        let title: string | undefined;
        let stored: Awaited<ReturnType<AttachmentStore['put']>> | undefined;
        let fileName: string | undefined;
        let pageCount = 0;
        try {
          // The file part is streamed straight into the store's spool; the limit one byte over ours lets
          // the store refuse it with the limit named instead of the form parser cutting it silently.
          for await (const part of req.parts({
            limits: { files: 1, fields: 2, fileSize: maxUploadBytes + 1 },
          })) {
            if (part.type === 'field') {
              if (part.fieldname === 'title') title = String(part.value).slice(0, 200);
              continue;
            }
            if (part.fieldname !== 'file' || stored) {
              part.file.resume();
              throw unprocessable('unexpected file part', [
                { field: part.fieldname, message: 'only one "file" part' },
              ]);
            }
            fileName = part.filename;
            stored = await store.put(part.file, {
              maxBytes: maxUploadBytes,
              fileName,
              verify: async (bytes, mediaType) => {
                pageCount = await countAttachmentPages({ title: fileName ?? 'upload', mediaType, bytes });
              },
            });
          }
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
            const message = `The file is larger than the limit of ${maxUploadBytes} bytes.`;
            throw new Problem(413, 'Content Too Large', message, { errors: [{ field: 'file', message }] });
          }
          rethrow(err);
        }
        if (!stored) throw unprocessable('the form has no file', [{ field: 'file', message: 'is required' }]);
        const { attachment, created } = await insertAttachment(deps.db, {
          practiceId: claim.practice_id,
          claimUuid: claim.id,
          sha256: stored.sha256,
          mediaType: stored.mediaType,
          sizeBytes: stored.sizeBytes,
          pageCount,
          title: title?.trim() || fileName || 'Attachment',
          fileName,
          storage: store.kind,
          uploadedBy: req.principal!.userId,
        });
        await recordFileEvent(deps.db, {
          eventKey: `attachment:${attachment.id}:uploaded:${req.id}`,
          claimUuid: claim.id,
          practiceId: claim.practice_id,
          actor: req.principal!.userId,
          kind: 'ATTACHMENT_UPLOADED',
          data: {
            attachmentId: attachment.id,
            sha256: attachment.sha256,
            sizeBytes: attachment.sizeBytes,
            mediaType: attachment.mediaType,
          },
          requestId: req.id,
        });
        return reply.status(created ? 201 : 200).send(attachmentJson(attachment, created));
      },
    );

    app.get(
      '/claims/:id/attachments',
      {
        schema: {
          params: ClaimParams,
          tags: ['documents'],
          summary: "A claim's attachments",
          response: {
            200: Type.Object({ items: Type.Array(AttachmentView) }, strict),
          },
        },
        config: { roles: readers },
      },
      async (req) => {
        const claim = await claimForPrincipal(deps.db, req, req.params.id);
        return { items: (await listAttachments(deps.db, claim.id)).map((a) => attachmentJson(a)) };
      },
    );

    app.get(
      '/claims/:id/attachments/:attachmentId/content',
      {
        schema: {
          params: AttachmentParams,
          tags: ['documents'],
          summary: 'Download an attachment (its SHA-256 in x-content-sha256)',
          produces: ['application/pdf', 'image/tiff', 'image/png', 'image/jpeg'],
        },
        config: { roles: readers },
      },
      async (req, reply) => {
        const claim = await claimForPrincipal(deps.db, req, req.params.id);
        const a = await getAttachment(deps.db, claim.id, req.params.attachmentId);
        if (!a) throw notFound(`attachment ${req.params.attachmentId}`);
        const stream = await store.open(a.sha256).catch(rethrow);
        await recordFileEvent(deps.db, {
          eventKey: `attachment:${a.id}:downloaded:${req.id}`,
          claimUuid: claim.id,
          practiceId: claim.practice_id,
          actor: req.principal!.userId,
          kind: 'ATTACHMENT_DOWNLOADED',
          data: { attachmentId: a.id, sha256: a.sha256 },
          requestId: req.id,
        });
        const ext = extensionOf(a.mediaType as Parameters<typeof extensionOf>[0]);
        return sendStoredFile(reply, a, `attachment-${a.id}.${ext}`, stream);
      },
    );

    app.get(
      '/claims/:id/documents',
      {
        schema: {
          params: ClaimParams,
          tags: ['documents'],
          summary: "A claim's generated documents (appeal packets, statements), newest first",
          response: { 200: Type.Object({ items: Type.Array(DocumentView) }, strict) },
        },
        config: { roles: readers },
      },
      async (req) => {
        const claim = await claimForPrincipal(deps.db, req, req.params.id);
        return { items: (await listDocuments(deps.db, claim.id)).map(documentJson) };
      },
    );

    app.get(
      '/claims/:id/documents/:documentId/content',
      {
        schema: {
          params: DocumentParams,
          tags: ['documents'],
          summary: 'Download a generated document (its SHA-256 in x-content-sha256)',
          produces: ['application/pdf'],
        },
        config: { roles: readers },
      },
      async (req, reply) => {
        const claim = await claimForPrincipal(deps.db, req, req.params.id);
        const d = await getDocument(deps.db, claim.id, req.params.documentId);
        if (!d) throw notFound(`document ${req.params.documentId}`);
        const stream = await store.open(d.sha256).catch(rethrow);
        await recordFileEvent(deps.db, {
          eventKey: `document:${d.id}:downloaded:${req.id}`,
          claimUuid: claim.id,
          practiceId: claim.practice_id,
          actor: req.principal!.userId,
          kind: 'DOCUMENT_DOWNLOADED',
          data: { documentId: d.id, sha256: d.sha256 },
          requestId: req.id,
        });
        return sendStoredFile(reply, d, `${d.kind.toLowerCase()}-${d.id}.pdf`, stream);
      },
    );

    const checkPractice = (practiceIds: string[] | undefined, practiceId: string) => {
      if (!practiceIds?.includes(practiceId)) throw notFound(`practice ${practiceId}`);
    };

    app.get(
      '/practices/:practiceId/print-batch',
      {
        schema: {
          params: PracticeParams,
          querystring: PrintBatchQuery,
          tags: ['documents'],
          operationId: 'getStatementPrintBatch',
          summary: "A day's patient statements for the print vendor: one merged PDF, or its CSV manifest",
          description:
            'The statements mailed on `date` (UTC), each exactly as stored when it was mailed, in account order. ' +
            '`format=pdf` is the merged file (no page numbers across statements); `format=csv` the manifest ' +
            '(RFC 4180: sequence, statementId, kind, accountNumber, recipient, address, amountDue, dueDate, ' +
            "firstPage, pageCount). Both carry the batch PDF's SHA-256 in `x-batch-sha256`, so a vendor can " +
            'check the manifest belongs to the file. A day without statements is 404.',
          produces: ['application/pdf', 'text/csv'],
        },
        config: { roles: readers },
      },
      async (req, reply) => {
        checkPractice(req.principal?.practiceIds, req.params.practiceId);
        const { date, format = 'pdf' } = req.query;
        const rows = await statementsMailedOn(deps.db, req.params.practiceId, date);
        if (rows.length === 0) throw notFound(`statements mailed on ${date}`);
        const statements = [];
        for (const r of rows) {
          statements.push({
            ...r,
            accountNumber: r.claimId,
            // A stored statement always had a guarantor (it is not rendered without one); one removed
            // since is printed with the name only, so the vendor's address check flags it.
            guarantor: r.guarantor ?? {
              name: 'address missing',
              address: { lines: [], city: '', state: '', postalCode: '' },
            },
            dueDate: r.dueDate ?? r.sentAt.toISOString().slice(0, 10),
            pdf: await readAll(await store.open(r.sha256).catch(rethrow)),
          });
        }
        const batch = await assemblePrintBatch(`${req.params.practiceId}-${date}`, statements, {
          createdOn: date,
        }).catch(rethrow);
        reply
          .header('x-batch-sha256', batch.sha256)
          .header('content-disposition', `attachment; filename="print-batch-${date}.${format}"`);
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(batch.manifestCsv);
        return reply
          .type('application/pdf')
          .header('x-page-count', String(batch.pageCount))
          .send(Buffer.from(batch.pdf));
      },
    );

    app.get(
      '/practices/:practiceId/appeal-templates',
      {
        schema: {
          params: PracticeParams,
          tags: ['documents'],
          summary: "The practice's appeal letter templates in force (its own versions, then the defaults)",
          response: { 200: Type.Object({ items: Type.Array(TemplateView) }, strict) },
        },
        config: { roles: readers },
      },
      async (req) => {
        checkPractice(req.principal?.practiceIds, req.params.practiceId);
        const own = await currentTemplates(deps.db, req.params.practiceId);
        const keys = new Set(own.map((t) => t.key));
        return {
          items: [
            ...own.map(({ createdAt: _c, createdBy: _b, ...t }) => ({ ...t, source: 'practice' as const })),
            ...DEFAULT_APPEAL_TEMPLATES.filter((t) => !keys.has(t.key)).map((t) => ({
              ...t,
              version: null,
              source: 'default' as const,
            })),
          ],
        };
      },
    );

    app.put(
      '/practices/:practiceId/appeal-templates/:key',
      {
        schema: {
          params: TemplateParams,
          body: TemplateBody,
          tags: ['documents'],
          summary: 'Save a new version of an appeal letter template',
          description:
            'Fields are written `{{claim.claimId}}`; a field the letter language does not know is refused (422) naming it.',
          response: {
            200: TemplateView,
            422: problemResponse(
              'the template is not valid: an unknown field, or a form for the wrong payer type; `errors` names it',
            ),
          },
        },
        config: { roles: ['supervisor', 'admin'] },
      },
      async (req) => {
        checkPractice(req.principal?.practiceIds, req.params.practiceId);
        const template = { ...req.body, key: req.params.key } as AppealTemplate;
        try {
          validateAppealTemplate(template);
        } catch (err) {
          rethrow(err);
        }
        const saved = await saveTemplateVersion(
          deps.db,
          req.params.practiceId,
          template,
          req.principal!.userId,
        );
        const { createdAt: _c, createdBy: _b, ...view } = saved;
        return { ...view, source: 'practice' as const };
      },
    );

    app.post(
      '/claims/:id/appeal-letter/preview',
      {
        schema: {
          params: ClaimParams,
          body: PreviewBody,
          tags: ['documents'],
          summary: 'Render an appeal letter template against this claim (PDF)',
          description:
            'Renders `template` (unsaved edits), or the template `templateKey`, or the one chosen for the ' +
            "claim's denial, payer type and `level`. Nothing is stored or sent.",
          produces: ['application/pdf'],
          response: {
            200: {
              description: 'the rendered letter; `x-page-count` says how many pages',
              content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
            },
            422: problemResponse(
              'the template (saved or unsaved) is not valid: an unknown field, or a form for the wrong payer type; `errors` names it',
            ),
          },
        },
        config: { roles: readers },
      },
      async (req, reply) => {
        const claim = await claimForPrincipal(deps.db, req, req.params.id);
        const level = req.body.level ?? 1;
        const now = new Date();
        try {
          const loaded = await loadAppealPacketData(deps.db, {
            claimUuid: claim.id,
            level,
            grounds: req.body.grounds ?? '[The grounds for this appeal go here.]',
            attachmentIds: req.body.attachmentIds ?? [],
            deadline: claim.next_deadline?.toISOString() ?? now.toISOString(),
            filedAt: now.toISOString(),
            actor: req.principal!.userId,
          });
          const data = {
            ...loaded.data,
            attachments: await readPacketAttachments(store, loaded.attachments),
          };
          const own = (await currentTemplates(deps.db, claim.practice_id)) as AppealTemplate[];
          let template: AppealTemplate | undefined = req.body.template as AppealTemplate | undefined;
          if (!template && req.body.templateKey) {
            template =
              ((await getTemplate(deps.db, claim.practice_id, req.body.templateKey)) as
                | AppealTemplate
                | undefined) ?? DEFAULT_APPEAL_TEMPLATES.find((t) => t.key === req.body.templateKey);
            if (!template) throw notFound(`template ${req.body.templateKey}`);
          }
          template ??= selectAppealTemplate(
            { category: data.denial.category, level, payerType: data.payer.type as PayerType },
            own,
          );
          const pdf = await previewAppealLetter(data, template);
          return (
            reply
              .type('application/pdf')
              .header('x-page-count', String(pdf.pageCount))
              // A Buffer is sent as it is (Fastify serialises only objects); the schema's `string` is the
              // OpenAPI spelling of binary content, which the type provider cannot see.
              .send(Buffer.from(pdf.bytes) as unknown as string)
          );
        } catch (err) {
          rethrow(err);
        }
      },
    );
  };
}
