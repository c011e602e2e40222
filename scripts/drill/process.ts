/**
 * One role of the stack (payer-sim, worker, API) as its own OS process, started exactly as `npm start`
 * starts it (`node --import tsx <entry>`), with its output kept in a log file and scanned for what a
 * drill must never see: a stack trace, an uncaught exception, an error logged by pino.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { REPO_ROOT } from '../infra/tools.js';

/** How a process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the signal we sent (if any) to the exit. */
  afterSignalMs?: number;
}

/** A line of output that shows something went wrong (a stack frame, an uncaught error, a pino error). */
export interface BadLine {
  role: string;
  line: string;
}

const STACK_FRAME = /^\s+at\s+\S/;
const UNCAUGHT = /^(\w*Error|Uncaught|node:internal|file:\/\/\/)/;

/**
 * Classifies one output line. Raw stack frames and error headers are bad; JSON (pino) lines are bad at
 * level error (50) or fatal (60). Temporal's Rust core writes plain WARN lines: those are not failures.
 */
export function badLine(line: string): boolean {
  if (STACK_FRAME.test(line) || UNCAUGHT.test(line)) return true;
  if (line.startsWith('{')) {
    try {
      const entry = JSON.parse(line) as { level?: number };
      return typeof entry.level === 'number' && entry.level >= 50;
    } catch {
      return false;
    }
  }
  return false;
}

/** A managed child process: start, signal, wait for exit, with its output recorded. */
export class RoleProcess {
  private child: ChildProcess | undefined;
  private log: WriteStream;
  private tail: string[] = [];
  private signalledAt: number | undefined;
  private exitWaiters: ((e: ExitInfo) => void)[] = [];
  /** Every bad line seen since the last `clearBadLines`. */
  readonly bad: BadLine[] = [];
  /** Every exit of every run of this role, in order. */
  readonly exits: ExitInfo[] = [];
  lastExit: ExitInfo | undefined;

  constructor(
    readonly role: string,
    private readonly entry: string,
    private env: Record<string, string>,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process (again). `env` is merged over the environment given at construction. */
  start(env: Record<string, string> = {}): void {
    if (this.running) throw new Error(`${this.role} is already running`);
    this.env = { ...this.env, ...env };
    this.signalledAt = undefined;
    this.log.write(`--- start ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', this.entry], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let partial = '';
    const onData = (chunk: Buffer) => {
      this.log.write(chunk);
      const text = partial + chunk.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.onLine(line);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      if (partial) this.onLine(partial);
      const info: ExitInfo = { code, signal };
      if (this.signalledAt !== undefined) info.afterSignalMs = Date.now() - this.signalledAt;
      this.lastExit = info;
      this.exits.push(info);
      this.log.write(`--- exit code=${code} signal=${signal}\n`);
      for (const w of this.exitWaiters.splice(0)) w(info);
    });
  }

  private onLine(line: string): void {
    this.tail.push(line);
    if (this.tail.length > 200) this.tail.shift();
    if (badLine(line)) this.bad.push({ role: this.role, line: line.slice(0, 500) });
  }

  /** Sends `signal`; resolves with the exit (SIGKILL after `timeoutMs` if it does not exit). */
  async signal(signal: NodeJS.Signals, timeoutMs = 30_000): Promise<ExitInfo> {
    if (!this.running) return this.lastExit ?? { code: null, signal: null };
    const exited = this.waitExit();
    this.signalledAt = Date.now();
    this.child?.kill(signal);
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves at the next exit (immediately if not running). */
  waitExit(): Promise<ExitInfo> {
    if (!this.running) return Promise.resolve(this.lastExit ?? { code: null, signal: null });
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** The last lines of output, for a failure message. */
  lastLines(n = 30): string[] {
    return this.tail.slice(-n);
  }

  clearBadLines(): void {
    this.bad.splice(0);
  }

  /** Stops the process (SIGTERM, then SIGKILL) and closes the log. */
  async stop(): Promise<void> {
    if (this.running) await this.signal('SIGTERM', 15_000);
    await new Promise<void>((r) => this.log.end(r));
  }
}
