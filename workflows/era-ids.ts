/** The ERA ingestion workflow id: one ingestion per distinct file content. */
export function eraIngestWorkflowId(checksum: string): string {
  return `era-${checksum}`;
}
