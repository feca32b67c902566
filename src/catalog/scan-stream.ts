/**
 * Scanning a stream of text in pieces with bounded memory: each piece ends at a line break (or, for a line
 * longer than the piece size, just after a character that cannot be inside an identifier), so no finding is cut
 * in two. Offsets stay those of the whole text.
 */
import type { Readable } from 'node:stream';

const PIECE = 1 << 20;

/** Where to cut `buf`: after its last line break, else after a non-identifier character near the end, else anywhere. */
function cutAt(buf: string): number {
  const nl = buf.lastIndexOf('\n');
  if (nl >= 0) return nl + 1;
  for (let i = buf.length - 1; i > buf.length - 512 && i > 0; i--) {
    const c = buf.charCodeAt(i);
    if (c === 0x3002 || c === 0xff0c || c === 0x3001 || c === 0xff1b) return i + 1; // 。，、；
  }
  return buf.length;
}

/** A UTF-8 stream cut into pieces (see cutAt) with their offsets, for scanning piece by piece (scanText, scanEach). */
export async function* textPieces(input: Readable, pieceSize = PIECE): AsyncGenerator<{ readonly text: string; readonly base: number }> {
  // A streaming TextDecoder decodes about twice as fast as the stream's own UTF-8 decoding (setEncoding); a byte
  // order mark is kept as text, as Buffer#toString keeps it, and a bad sequence is U+FFFD as there.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let buf = '';
  let base = 0;
  for await (const bytes of input as AsyncIterable<Buffer | string>) {
    const chunk = typeof bytes === 'string' ? bytes : decoder.decode(bytes, { stream: true });
    buf += chunk;
    while (buf.length >= pieceSize) {
      const cut = cutAt(buf.slice(0, pieceSize));
      const text = buf.slice(0, cut);
      buf = buf.slice(cut);
      yield { text, base };
      base += text.length;
    }
  }
  buf += decoder.decode();
  if (buf.length > 0) yield { text: buf, base };
}

