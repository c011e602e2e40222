/**
 * ERA (835) ingestion. `eraIngestWorkflow` posts one stored file and signals each matched claim; its id
 * is `era-<checksum>`, so the same file uploaded twice or concurrently is one ingestion. `eraPollWorkflow`
 * runs from a Temporal Schedule (hourly by default) and pulls new files from the clearinghouse.
 */
import { clearinghouse, eraStore as store } from './activities.js';

export { eraIngestWorkflowId } from './ids.js';

export interface EraIngestResult {
  eraFileId: string;
  posted: number;
  alreadyPosted: number;
  unmatched: number;
  signalled: number;
}

/** Posts a stored ERA file (idempotent) and delivers one `remittanceReceived` signal per posted claim. */
export async function eraIngestWorkflow(input: { eraFileId: string }): Promise<EraIngestResult> {
  const posting = await store.postEraFile({ eraFileId: input.eraFileId });
  // Signals go out after the postings commit; a posting whose signal was lost is re-signalled here on
  // the next ingestion of the same file (signalled_at is still null), and the claim dedupes by key.
  const { signalled } = await store.signalPostedClaims({ eraFileId: input.eraFileId });
  return { eraFileId: input.eraFileId, ...posting, signalled };
}

/**
 * One pull from the clearinghouse: store every new file, then post and signal each. Posting is idempotent
 * in Postgres, so a file also uploaded through the API at the same moment is still posted once.
 */
export async function eraPollWorkflow(): Promise<{
  files: number;
  rejected: number;
  results: EraIngestResult[];
  orphansStarted: number;
}> {
  // The same schedule sweeps intake: a claim stored while Temporal was down gets its workflow here.
  const { started: orphansStarted } = await store.startOrphanedClaims({ olderThanMinutes: 5 });
  const files = await clearinghouse.pullEraFiles();
  const results: EraIngestResult[] = [];
  for (const f of files) {
    if (f.rejected) continue;
    results.push(await eraIngestWorkflow({ eraFileId: f.eraFileId }));
  }
  return { files: files.length, rejected: files.filter((f) => f.rejected).length, results, orphansStarted };
}
