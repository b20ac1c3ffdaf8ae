import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { Writable } from 'node:stream';

/** The input ended (Ctrl+D, a closed pipe, or Ctrl+C) before an answer came. */
export class PromptClosedError extends Error {
  constructor() {
    super('input closed before an answer');
    this.name = 'PromptClosedError';
  }
}

export type Prompter = {
  /** Asks for a secret: not echoed on a terminal; read line by line from a pipe. */
  secret(question: string): Promise<string>;
  close(): void;
};

/**
 * One reader for the whole session: a pipe may deliver several answers in one chunk, so
 * lines are queued rather than read with a fresh interface per question.
 */
export function createPrompter(input: Readable & { isTTY?: boolean }, output: Writable): Prompter {
  const tty = input.isTTY === true;
  let muted = false;
  // Echo only what is not part of a secret answer.
  const echo = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (!muted) output.write(chunk);
      callback();
    },
  });
  const rl = readline.createInterface({
    input,
    output: tty ? echo : undefined,
    terminal: tty,
  });
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  let ended = false;
  rl.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  // readline ends on 'end' only; a destroyed input (Ctrl+C handler) emits just 'close'.
  input.once('close', () => rl.close());
  rl.on('close', () => {
    ended = true;
    for (const w of waiting.splice(0)) w(undefined);
  });
  return {
    async secret(question: string): Promise<string> {
      output.write(question);
      muted = true;
      const line =
        lines.shift() ?? (ended ? undefined : await new Promise<string | undefined>((r) => waiting.push(r)));
      muted = false;
      if (tty) output.write('\n');
      if (line === undefined) throw new PromptClosedError();
      return line;
    },
    close: () => rl.close(),
  };
}
