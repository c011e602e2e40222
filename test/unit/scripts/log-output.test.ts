import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { serviceLogOutput } from '../../../scripts/infra/log-output.js';

const LINE = `${JSON.stringify({ level: 30, time: Date.parse('2026-12-02T10:00:00Z'), pid: 7, hostname: 'h', name: 'worker', msg: 'worker running' })}\n`;

function capture(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const stream: PassThrough & { isTTY?: boolean } = new PassThrough();
  stream.isTTY = isTTY;
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString()));
  return { stream, text: () => text };
}

describe('npm start log output', () => {
  it('pretty-prints JSON log lines on a terminal', async () => {
    const target = capture(true);
    serviceLogOutput(target.stream).write(LINE);
    await new Promise((r) => setImmediate(r));
    // Colour codes aside: a level word, the logger name and the message, no raw JSON.
    const plain = stripVTControlCharacters(target.text());
    expect(plain).toMatch(/INFO.*\(worker\).*worker running/);
    expect(plain).not.toContain('"level"');
    expect(plain).not.toContain('hostname');
  });

  it('leaves JSON lines as they are when the output is not a terminal', async () => {
    const target = capture(false);
    serviceLogOutput(target.stream).write(LINE);
    await new Promise((r) => setImmediate(r));
    expect(target.text()).toBe(LINE);
  });
});
