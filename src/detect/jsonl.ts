import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { accessEventSchema, type AccessEvent } from '../ledger/index.js';
import { CustosError } from '../core/errors.js';

/**
 * Reads a JSON Lines file of access events one at a time. `validate` checks each line against the event
 * contract (slower); without it lines are only parsed.
 * @example for await (const e of readEvents('events.jsonl')) detector.push(e);
 */
export async function* readEvents(file: string, validate = false): AsyncGenerator<AccessEvent> {
  const lines = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new CustosError('CUSTOS_DETECT_BAD_EVENT', 400, `Line ${n} of the events file is not JSON; each line must be one access event.`);
    }
    if (validate) {
      const r = accessEventSchema.safeParse(value);
      if (!r.success) throw new CustosError('CUSTOS_DETECT_BAD_EVENT', 400, `Line ${n} of the events file is not an access event (${r.error.issues[0]?.path.join('.') ?? ''}).`);
      yield r.data;
    } else yield value as AccessEvent;
  }
}
