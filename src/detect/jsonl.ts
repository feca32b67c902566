import { createReadStream } from 'node:fs';
import { accessEventSchema, type AccessEvent } from '../ledger/index.js';
import { CustosError } from '../core/errors.js';
import { DEFAULT_CONFIG } from './detect-config.js';
import { EventLineReader } from './event-line.js';

/**
 * Reads a JSON Lines file of access events, a chunk's worth at a time. Each line goes first through the
 * specialised event reader (event-line.ts), which accepts only lines in the compact form the ledger writes and
 * checks every member against the event rules; any other line goes to `JSON.parse` and, with `validate`, to
 * the event contract's schema, exactly as before the fast reader existed (so `validate` rejects the same lines
 * with the same message). Lines end in LF or CRLF; blank lines are skipped. The file is read in 1 MiB chunks
 * and split by hand (node:readline costs more than the parse itself).
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
  /** Reads the line bytes[from, nl) (`nl` at its line feed or the end) into `out`; `text` is the latin1 text of `bytes`. */
  const line = (bytes: Buffer, text: string, from: number, nl: number, out: Batch): void => {
    n++;
    const stop = nl > from && bytes[nl - 1] === 13 ? nl - 1 : nl;
    if (stop <= from) return;
    const e = reader.read(bytes, text, from, stop);
    if (e !== undefined) out.add(e, reader.timeMs);
    else out.add(slow(bytes.toString('utf8', from, stop)), NaN);
  };
  let rest: Buffer | undefined;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = rest !== undefined ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    const last = bytes.lastIndexOf(10);
    if (last < 0) {
      rest = bytes;
      continue;
    }
    // One character per byte: offsets in `text` are offsets in `bytes` (lines with other bytes fall back to UTF-8).
    const text = bytes.toString('latin1', 0, last);
    const out = new Batch();
    for (let from = 0; from <= last; ) {
      const nl = bytes.indexOf(10, from);
      line(bytes, text, from, nl, out);
      from = nl + 1;
    }
    rest = last + 1 < bytes.length ? bytes.subarray(last + 1) : undefined;
    if (out.events.length > 0) yield out.done();
  }
  if (rest !== undefined) {
    const out = new Batch();
    line(rest, rest.toString('latin1'), 0, rest.length, out);
    if (out.events.length > 0) yield out.done();
  }
}

/** A chunk's events and the time of each in milliseconds (NaN for lines the fast reader did not take). */
export interface EventBatch {
  readonly events: readonly AccessEvent[];
  readonly times: Float64Array;
}

class Batch implements EventBatch {
  readonly events: AccessEvent[] = [];
  times = new Float64Array(4096);
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
