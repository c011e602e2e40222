/** What a drill is, what it is given and what it reports. */
import type { Invariant } from './invariants.js';

/** Run settings shared by every drill (from the command line, or a CI test). */
export interface DrillContext {
  /** Claims of load (the full drill uses 500; CI uses about 20). */
  claims: number;
  /** Seed of the drill's random choices (kill moments), so a failing run can be replayed. */
  seed: number;
  /** The CI version: fewer fault rounds and shorter outages, same invariants. */
  short: boolean;
  /** Keep each drill's data directory and process logs. */
  keep: boolean;
  log: (msg: string) => void;
}

/** The printed outcome of one drill. */
export interface DrillResult {
  name: string;
  title: string;
  /** What traffic the drill created, e.g. "500 claims through POST /claims (8 in flight)". */
  load: string;
  /** What it broke, with timings. */
  fault: string;
  /** From the end of the fault to every claim settled; undefined when it never recovered. */
  recoveryMs: number | undefined;
  invariants: Invariant[];
  /** Facts worth knowing that are not pass/fail. */
  notes: string[];
  /** The drill could not run to the end (a start failure, a timeout). */
  error?: string;
  ok: boolean;
  /** Where the logs are, when kept. */
  dir?: string;
}

export interface Drill {
  /** The name `npm run drill -- <name>` takes. */
  name: string;
  /** Its number in the list of drills, for the report. */
  number: number;
  title: string;
  run(ctx: DrillContext): Promise<DrillResult>;
}
