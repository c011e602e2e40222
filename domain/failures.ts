/**
 * The closed set of failure type names that cross a process boundary: activities raise them as
 * `ApplicationFailure` types, the workflow matches on them, and the API maps them to HTTP problems.
 * Match on these constants, never on string literals, so a rename is a compile error everywhere.
 */
export const FailureType = {
  /** The payer/clearinghouse refused the request (HTTP 4xx): retrying cannot help. */
  PayerRejected: 'PayerRejected',
  /** The payer is down or timed out: retried by the activity's policy. */
  PayerUnavailable: 'PayerUnavailable',
  /** The payer asked us to slow down (429): retried after its Retry-After. */
  PayerRateLimited: 'PayerRateLimited',
  /** The claim's payer is not in our payer table. */
  UnknownPayer: 'UnknownPayer',
  /** The claim row the workflow names does not exist. */
  ClaimNotFound: 'ClaimNotFound',
  /** A correction names a field that cannot be corrected or carries a bad value. */
  InvalidCorrection: 'InvalidCorrection',
  /** An update validator refused a decision the claim's current state forbids. */
  DecisionRefused: 'DecisionRefused',
  /** A webhook receiver did not answer 2xx. */
  WebhookFailed: 'WebhookFailed',
  /** An uploaded file is larger than the configured attachment limit. */
  AttachmentTooLarge: 'AttachmentTooLarge',
  /** An uploaded file's content is not an accepted document type (PDF, TIFF, PNG, JPEG). */
  AttachmentTypeRefused: 'AttachmentTypeRefused',
  /** A stored attachment or document is missing, or its bytes no longer match their hash. */
  AttachmentNotFound: 'AttachmentNotFound',
  /** A letter template names a field we do not know, or lacks a part it needs. */
  TemplateInvalid: 'TemplateInvalid',
  /** The data given to a document does not have what the document must show. */
  DocumentDataInvalid: 'DocumentDataInvalid',
  /** A document exceeded its page, size or time budget while rendering. */
  RenderBudgetExceeded: 'RenderBudgetExceeded',
} as const;

export type FailureType = (typeof FailureType)[keyof typeof FailureType];
