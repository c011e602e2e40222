/** Kept for importers of the old path; the id lives in ids.ts with every other id. */
export { eraIngestWorkflowId } from './ids.js';
