/**
 * The documents module: PDF letters, packets and statements rendered from plain data, and the
 * content-addressed attachment store. It depends on `domain/` only; activities and the API use it.
 */

export { type ContentsEntry, renderAppealLetter } from './appeal-letter.js';
export {
  type AppealPacket,
  type AppealPacketOptions,
  buildAppealPacket,
  previewAppealLetter,
} from './appeal-packet.js';
export {
  ATTACHMENT_MEDIA_TYPES,
  type AttachmentMediaType,
  checkAttachmentContent,
  extensionOf,
  sniffMediaType,
} from './attachments/content-type.js';
export { type AttachmentStoreConfig, createAttachmentStore } from './attachments/factory.js';
export { LocalAttachmentStore } from './attachments/local-store.js';
export { S3AttachmentStore, type S3StoreOptions } from './attachments/s3-store.js';
export {
  type AttachmentStore,
  type ByteSource,
  type PutOptions,
  readAll,
  type StoredObject,
  sha256Hex,
} from './attachments/store.js';
export { renderClaimSummary, renderRemittanceExcerpt } from './claim-pages.js';
export { DocumentError, type DocumentFailureType, isDocumentError } from './errors.js';
export { BudgetClock, DEFAULT_BUDGET } from './pdf/assemble.js';
export { attachmentAsPdf, countAttachmentPages } from './pdf/pages.js';
export { manifestCsv, type PrintBatch, type PrintManifestRow, renderPrintBatch } from './print-batch.js';
export { checkStatement, renderPatientStatement } from './statement.js';
export {
  type AppealTemplate,
  DEFAULT_APPEAL_TEMPLATES,
  type MedicareForm,
  selectAppealTemplate,
  type TemplateSelector,
  validateAppealTemplate,
} from './templates/appeal-templates.js';
export { TEMPLATE_FIELDS, validateTemplateText } from './templates/fields.js';
export { renderTimelyFilingProof, timelyFilingFacts } from './timely-filing.js';
export type * from './types.js';
