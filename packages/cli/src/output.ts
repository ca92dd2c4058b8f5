/** Where commands write: stdout for results, stderr for messages (so results can be piped). */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stdout is a terminal (progress bars, colours). */
  interactive: boolean;
}

export function processOutput(): Output {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    interactive: process.stdout.isTTY === true,
  };
}

/**
 * Text written piece by piece (generated tokens): to a terminal each piece at once, so it appears as it
 * is drawn; otherwise (a pipe, a file) gathered and written at most every `maxDelayMs` or `maxChars`,
 * since one write per character costs more than drawing the character. `flush` writes what is left
 * (call it in a finally, so an error does not lose the text drawn before it).
 */
export interface PieceWriter {
  write(piece: string): void;
  flush(): void;
}

export function pieceWriter(output: Output, { maxChars = 4096, maxDelayMs = 100, now = () => performance.now() } = {}): PieceWriter {
  if (output.interactive) return { write: (piece) => output.out(piece), flush: () => {} };
  let pending: string[] = [];
  let chars = 0;
  let lastWrite = now();
  const flush = (): void => {
    if (pending.length > 0) output.out(pending.join(''));
    pending = [];
    chars = 0;
    lastWrite = now();
  };
  return {
    write: (piece) => {
      pending.push(piece);
      chars += piece.length;
      if (chars >= maxChars || now() - lastWrite >= maxDelayMs) flush();
    },
    flush,
  };
}
