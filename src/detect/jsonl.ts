import { open } from 'node:fs/promises';
import { accessEventSchema, type AccessEvent } from '../ledger/index.js';
import { CustosError } from '../core/errors.js';
import { DEFAULT_CONFIG } from './detect-config.js';
import { EventLineReader } from './event-line.js';

const CHUNK = 1 << 20;
const WINDOW = 1 << 16;

/**
 * Reads a JSON Lines file of access events, a few hundred at a time. Each line goes first through the
 * specialised event reader (event-line.ts), which accepts only lines in the compact form the ledger writes and
 * checks every member against the event rules; any other line goes to `JSON.parse` and, with `validate`, to
 * the event contract's schema, exactly as before the fast reader existed (so `validate` rejects the same lines
 * with the same message). Lines end in LF or CRLF; blank lines are skipped. The file is read in 1 MiB chunks
 * into one reused buffer and split by hand (node:readline costs more than the parse itself).
 * Each batch carries the events' times as read (so a replay can use `detector.pushAt` and not read them again).
 * @example for await (const { events, times } of readEventBatches('events.jsonl')) for (let i = 0; i < events.length; i++) detector.pushAt(events[i]!, times[i]!);
 */
export async function* readEventBatches(file: string, validate = false): AsyncGenerator<EventBatch> {
  const reader = new EventLineReader();
  reader.seed(Object.keys(DEFAULT_CONFIG.legalCategory));
  let n = 0;
  const slow = (line: string): AccessEvent => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new CustosError('CUSTOS_DETECT_BAD_EVENT', 400, `Line ${n} of the events file is not JSON; each line must be one access event.`);
    }
    if (!validate) return value as AccessEvent;
    const r = accessEventSchema.safeParse(value);
    if (!r.success) throw new CustosError('CUSTOS_DETECT_BAD_EVENT', 400, `Line ${n} of the events file is not an access event (${r.error.issues[0]?.path.join('.') ?? ''}).`);
    return r.data;
  };
  /** Reads the line bytes[from, nl) (`nl` at its line feed or the end) into `out`; `text` is the latin1 text of `bytes` from `base`. */
  const line = (bytes: Buffer, text: string, base: number, from: number, nl: number, out: Batch): void => {
    n++;
    const stop = nl > from && bytes[nl - 1] === 13 ? nl - 1 : nl;
    if (stop <= from) return;
    const e = reader.read(bytes, text, from, stop, base);
    if (e !== undefined) out.add(e, reader.timeMs);
    else out.add(slow(bytes.toString('utf8', from, stop)), NaN);
  };
  // One buffer for the whole file, refilled after moving the unfinished last line to its front: no buffer per
  // chunk (allocating 1 MiB buffers outside the heap forced frequent full collections).
  const fh = await open(file, 'r');
  try {
    let bytes = Buffer.allocUnsafe(2 * CHUNK);
    let filled = 0;
    for (;;) {
      if (bytes.length - filled < CHUNK) {
        const bigger = Buffer.allocUnsafe(bytes.length * 2);
        bytes.copy(bigger, 0, 0, filled);
        bytes = bigger;
      }
      const { bytesRead } = await fh.read(bytes, filled, CHUNK, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      const last = bytes.lastIndexOf(10, filled - 1);
      if (last < 0) continue;
      // The lines' text, decoded as latin1 (one character per byte, so offsets carry over; lines with other
      // bytes fall back to UTF-8) a window of about 64 KiB at a time, each window's events a batch: small
      // strings and batches that are done with before the next collection, so they die young.
      let out = new Batch();
      let text = '';
      let base = 0;
      let upto = -1;
      for (let from = 0; from <= last; ) {
        const nl = bytes.indexOf(10, from);
        if (nl > upto) {
          if (out.events.length > 0) {
            yield out.done();
            out = new Batch();
          }
          upto = Math.max(nl, bytes.lastIndexOf(10, Math.min(last, from + WINDOW)));
          text = bytes.toString('latin1', from, upto);
          base = from;
        }
        line(bytes, text, base, from, nl, out);
        from = nl + 1;
      }
      bytes.copy(bytes, 0, last + 1, filled);
      filled -= last + 1;
      if (out.events.length > 0) yield out.done();
    }
    if (filled > 0) {
      const out = new Batch();
      line(bytes, bytes.toString('latin1', 0, filled), 0, 0, filled, out);
      if (out.events.length > 0) yield out.done();
    }
  } finally {
    await fh.close();
  }
}

/** A few hundred events (about 64 KiB of lines) and the time of each in ms (NaN for lines the fast reader did not take). */
export interface EventBatch {
  readonly events: readonly AccessEvent[];
  readonly times: Float64Array;
}

class Batch implements EventBatch {
  readonly events: AccessEvent[] = [];
  times = new Float64Array(512);
  add(e: AccessEvent, ms: number): void {
    const i = this.events.length;
    if (i === this.times.length) {
      const bigger = new Float64Array(i * 2);
      bigger.set(this.times);
      this.times = bigger;
    }
    this.events.push(e);
    this.times[i] = ms;
  }
  done(): EventBatch {
    return { events: this.events, times: this.times.subarray(0, this.events.length) };
  }
}

/**
 * Reads a JSON Lines file of access events one at a time (see {@link readEventBatches}, which a replay should
 * prefer: it saves an await per event). `validate` checks each line the fast reader does not take against the
 * event contract (slower); without it such lines are only parsed.
 * @example for await (const e of readEvents('events.jsonl')) detector.push(e);
 */
export async function* readEvents(file: string, validate = false): AsyncGenerator<AccessEvent> {
  for await (const batch of readEventBatches(file, validate)) yield* batch.events;
}
