/**
 * Errors of the documents module. Each carries a stable `type` from the shared failure list, so an
 * activity can raise it as a non-retryable `ApplicationFailure` and the API can map it to a 4xx problem
 * without matching on message text. `field` names what was wrong (a template field, an upload part).
 */
import type { FailureType } from '../domain/failures.js';

/** The failure types this module raises. */
export type DocumentFailureType =
  | typeof FailureType.AttachmentTooLarge
  | typeof FailureType.AttachmentTypeRefused
  | typeof FailureType.AttachmentNotFound
  | typeof FailureType.TemplateInvalid
  | typeof FailureType.DocumentDataInvalid
  | typeof FailureType.RenderBudgetExceeded;

/** A refusal or failure of the documents module, with the failure type and the field it is about. */
export class DocumentError extends Error {
  constructor(
    readonly type: DocumentFailureType,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DocumentError';
  }
}

/** True when `err` is a `DocumentError` (also across module copies, by shape). */
export function isDocumentError(err: unknown): err is DocumentError {
  return err instanceof DocumentError || (err instanceof Error && err.name === 'DocumentError');
}
