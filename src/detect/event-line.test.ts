import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accessEventSchema, canonicalJson, eventProblem, type AccessEvent } from '../ledger/index.js';
import { createRandom, simulateWorld } from '../sim/index.js';
import { EventLineReader } from './event-line.js';
import { readEventBatches, readEvents } from './jsonl.js';

const dir = mkdtempSync(join(tmpdir(), 'custos-event-line-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines: string[] = [];
simulateWorld({ days: 4, staff: 40, customers: 3000, seed: 'event-line' }, { write: (e) => lines.push(JSON.stringify(e)) });

/** The fast reader alone on one line (undefined: not taken, the caller falls back). */
function fast(reader: EventLineReader, line: string): AccessEvent | undefined {
  const bytes = Buffer.from(line, 'utf8');
  return reader.read(bytes, bytes.toString('latin1'), 0, bytes.length);
}

/** What reading one line meant before the fast reader: JSON.parse, then (with validate) the schema. */
function reference(line: string, validate: boolean): { ok: true; value: unknown } | { ok: false } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false };
  }
  if (validate && !accessEventSchema.safeParse(value).success) return { ok: false };
  return { ok: true, value };
}

/** Everything a line can become: a mutation of one sound line (or the line itself). */
function mutate(line: string, r: ReturnType<typeof createRandom>): string {
  const obj = JSON.parse(line) as Record<string, unknown>;
  const keys = Object.keys(obj);
  const pick = <T,>(xs: readonly T[]): T => xs[r.int(0, xs.length - 1)]!;
  const set = (k: string, v: unknown): string => JSON.stringify({ ...obj, [k]: v });
  switch (r.int(0, 27)) {
    case 0:
      return JSON.stringify(Object.fromEntries([...Object.entries(obj)].sort(() => r.next() - 0.5))); // reordered keys
    case 1:
      return JSON.stringify(obj, null, 1).replace(/\n/g, ' '); // whitespace between tokens
    case 2:
      return line.replace(/"(crm|core|search)"/, (_, w: string) => `"\\u${w.charCodeAt(0).toString(16).padStart(4, '0')}${w.slice(1)}"`); // an escape
    case 3:
      return set('system', pick(['客服系统', 'crm\u00e9', 'a"b', 'tab\there', 'x\\y', '']));
    case 4: {
      const k = pick(['purpose', 'ticket', 'session', 'ip', 'device', 'count', 'reason']);
      const { [k]: _drop, ...rest } = obj;
      return JSON.stringify(rest); // a missing optional member
    }
    case 5: {
      const k = pick(['id', 'time', 'actor', 'action', 'system', 'subjects', 'fields', 'outcome']);
      const { [k]: _drop, ...rest } = obj;
      return JSON.stringify(rest); // a missing required member
    }
    case 6:
      return set(pick(keys), pick([null, 1, -1, 1.5, 1e21, true, 'x', [], ['x'], {}, { kind: 'x' }]));
    case 7:
      return set('count', pick([0, 7, -0, 1.5, 2 ** 53, 2 ** 53 - 1, 1e3, '3', null]));
    case 8:
      return line.replace(/"count":\d+/, pick(['"count":007', '"count":1e2', '"count":1.0', '"count":-1', '"count": 3', '"count":3.']));
    case 9:
      return set('time', pick(['2026-02-30T10:00:00.000Z', '2026-02-28T24:00:00.000Z', '2026-01-05T10:00:00Z', '2026-01-05T10:00:00.000+08:00', '2024-02-29T23:59:59.999Z', '2025-02-29T01:00:00.000Z', '0099-01-01T00:00:00.000Z', '2026-01-05 10:00:00.000Z', '2026-01-05T10:60:00.000Z', '2026-13-05T10:00:00.000Z']));
    case 10:
      return set('action', pick(['destroy', 'VIEW', 'view ', 'admin', 'export', '']));
    case 11:
      return set('outcome', pick(['ok', 'masked', 'denied', 'Allowed', '']));
    case 12:
      return set(pick(['id', 'actor', 'ticket', 'session', 'device']), pick(['a b', 'x'.repeat(128), 'x'.repeat(129), '', 'ü', 'a/b', 'A-Z.0_9:@']));
    case 13:
      return set('subjects', pick([[], ['c1', 'c2'], ['c1', ''], ['c 1'], Array.from({ length: 10_001 }, (_, i) => `c${i}`), ['x'.repeat(129)], [1]]));
    case 14:
      return set('fields', pick([[], ['name', 'mobile'], ['x'.repeat(64)], ['x'.repeat(65)], [''], Array.from({ length: 257 }, () => 'a'), ['a]b'], ['名字']]));
    case 15:
      return set(pick(['purpose', 'ip', 'reason', 'system']), pick(['', 'x'.repeat(64), 'x'.repeat(65), 'a,b', 'a:b}']));
    case 16:
      return `${line.slice(0, -1)},"extra":1}`; // an unknown member
    case 17:
      return `${line.slice(0, -1)},"action":"view"}`; // a member twice
    case 18:
      return set('detail', { kind: 'policy.change' });
    case 19:
      return line.slice(0, r.int(1, line.length - 1)); // truncated
    case 20:
      return `${line} `; // trailing space
    case 21: {
      const i = r.int(0, line.length - 1);
      return line.slice(0, i) + pick(['"', '\\', ',', ':', '}', ']', '[', '{', ' ', '0', 'a', 'é', '\u0001', '\u2028']) + line.slice(i + 1); // one character replaced
    }
    case 22: {
      const i = r.int(0, line.length - 1);
      return line.slice(0, i) + line.slice(i + 1); // one character dropped
    }
    case 23: {
      const i = r.int(0, line.length - 1);
      return line.slice(0, i) + pick(['"', '\\', ',', ' ', 'x', '\ud800']) + line.slice(i); // one character inserted
    }
    case 24:
      return set('ip', pick(['10.1.2.3', '::1', 'fe80::1%eth0', '']));
    case 25:
      return line.replace('"id":', '"i\\u0064":'); // an escaped key
    case 26:
      return `{"__proto__":{"x":1},${line.slice(1)}`;
    default:
      return line;
  }
}

describe('the fast event reader', () => {
  it('takes every event the simulator writes, with the value JSON.parse gives, all of them valid events', () => {
    const reader = new EventLineReader();
    expect(lines.length).toBeGreaterThan(5000);
    for (const line of lines) {
      const e = fast(reader, line);
      expect(e).toBeDefined();
      const value: unknown = JSON.parse(line);
      expect(canonicalJson(e)).toBe(canonicalJson(value));
      expect(eventProblem(value)).toBeUndefined();
      expect(reader.timeMs).toBe(Date.parse((value as AccessEvent).time));
    }
  });

  it('gives repeated values as the same string object and shares field lists', () => {
    const reader = new EventLineReader();
    const a = fast(reader, lines[10]!)!;
    const b = fast(reader, JSON.stringify({ ...(JSON.parse(lines[10]!) as object), id: 'other' }))!;
    expect(b.id).toBe('other');
    expect(Object.is(a.actor, b.actor) && Object.is(a.system, b.system) && Object.is(a.fields, b.fields)).toBe(true);
    expect(Object.isFrozen(a.fields)).toBe(true);
  });

  it('reads each value for itself when it is, or starts like, the value the last line (or the last event of its actor) had', () => {
    // The reader first tries the entry it expects (the actor's last session, address, device and fields; the
    // last line's system, action, outcome, purpose): a value that extends or shortens it, or differs in its last
    // byte, must still be read as written.
    const reader = new EventLineReader();
    const r = createRandom('event-line-guess');
    const base = JSON.parse(lines[10]!) as Record<string, unknown>;
    const variants = (v: string): string[] => [v, `${v}0`, `${v}00`, v.slice(0, -1), `${v.slice(0, -1)}x`, `x${v}`, v.toUpperCase(), ''];
    let checked = 0;
    for (let k = 0; k < 5000; k++) {
      const e: Record<string, unknown> = { ...base, id: `e-${k}`, actor: r.pick(['u1', 'u10', 'u1x', 'u2']) };
      for (const m of ['session', 'ip', 'device', 'system', 'purpose', 'reason']) e[m] = r.pick(variants(r.pick(['s-1', 's-10', '10.0.0.1', 'd-1', 'crm', 'core'])));
      e.action = r.pick(['view', 'reveal', 'views', 'vie', '']);
      e.outcome = r.pick(['allowed', 'denied', 'allowedx', '']);
      e.fields = r.pick([[], ['name'], ['name', 'mobile'], ['name', 'mobil'], ['name', 'mobile', 'address'], ['nam'], ['name]'], ['mobile', 'name']]);
      const line = JSON.stringify(e);
      const got = fast(reader, line);
      const ref = reference(line, true);
      if (got === undefined) continue;
      checked++;
      expect(ref.ok, line).toBe(true);
      if (ref.ok) expect(canonicalJson(got), line).toBe(canonicalJson(ref.value));
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('takes no action or outcome that is not on its list, even in the first line it reads', () => {
    for (const [member, bad] of [['action', ''], ['outcome', ''], ['action', 'destroy'], ['outcome', 'ok']] as const) {
      const line = JSON.stringify({ ...(JSON.parse(lines[10]!) as object), [member]: bad });
      expect(reference(line, true).ok).toBe(false);
      expect(fast(new EventLineReader(), line), line).toBeUndefined();
    }
  });

  it('stays exact while its memory of actors grows, past its caps on values kept, and with kept and unkept actors mixed', () => {
    const reader = new EventLineReader({ maxInterned: 6000, maxInternedBytes: 1 << 20 });
    const r = createRandom('event-line-bounds');
    const base = JSON.parse(lines[10]!) as Record<string, unknown>;
    let left = 0;
    const read = (e: Record<string, unknown>): AccessEvent | undefined => {
      const line = JSON.stringify(e);
      const got = fast(reader, line);
      const ref = reference(line, true);
      if (got === undefined) {
        left++;
        return undefined;
      }
      expect(ref.ok, line).toBe(true);
      if (ref.ok) expect(canonicalJson(got), line).toBe(canonicalJson(ref.value));
      return got;
    };
    const variants = (v: string): string[] => [v, v, v, `${v}0`, v.slice(0, -1), `${v.slice(0, -1)}x`];
    const lists = [['name'], ['name', 'mobile'], ['name', 'mobil'], ['mobile', 'name'], ['name', 'mobile', 'address']];
    // 1. 1,500 actors, interleaved, each with a session, device and address of its own: the table keeps them
    //    all and the per-actor memory grows past its first 1,024 actors.
    const actors = Array.from({ length: 1500 }, (_, i) => `u${i}`);
    const line = (actor: string, k: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      ...base, id: `e-${k}`, actor, session: `s-${actor}`, device: `d-${actor}`, ip: `10.1.${actor.length}.${k % 250}`, fields: r.pick(lists), ...extra,
    });
    for (let k = 0; k < 6000; k++) read(line(actors[(k * 7919) % actors.length]!, k));
    expect(reader.held.actors).toBeGreaterThan(1024);
    expect(reader.held.entries).toBeLessThan(6000);
    // 2. New values until the table is full; then it keeps no more.
    for (let k = 0; reader.held.entries < 6000; k++) read(line(r.pick(actors), k, { reason: `r-${k}`, session: `s-new-${k}` }));
    // 3. Kept actors (their guesses in the table) and actors met only now (not kept), mixed, with values that
    //    equal, extend, shorten or change their last ones, and fields lists kept and new.
    const later = Array.from({ length: 500 }, (_, i) => `u${i}x`);
    let unkeptLists = 0;
    for (let k = 0; k < 8000; k++) {
      const actor = r.int(0, 1) === 0 ? r.pick(actors) : r.pick(later);
      const fields = r.int(0, 3) === 0 ? [`f${r.int(0, 3000)}`] : r.pick(lists);
      const e = read(line(actor, k, { session: r.pick(variants(`s-${actor}`)), device: r.pick(variants(`d-${actor}`)), ip: r.pick(variants(`10.1.${actor.length}.1`)), fields }));
      if (e !== undefined && e.fields.length === 1 && e.fields[0]!.startsWith('f')) {
        // A list the full table could not keep is the reader's own, not shared, so not frozen.
        expect(Object.isFrozen(e.fields)).toBe(false);
        unkeptLists++;
      }
    }
    expect(reader.held.entries).toBe(6000);
    expect(unkeptLists).toBeGreaterThan(1000);
    // Every line is sound and compact: the fast path took them all.
    expect(left).toBe(0);
  });

  it('keeps no value whose bytes would take its table past its byte cap, and reads on exactly', () => {
    const reader = new EventLineReader({ maxInternedBytes: 8192 });
    const base = JSON.parse(lines[10]!) as Record<string, unknown>;
    for (let k = 0; k < 2000; k++) {
      const e = { ...base, id: `e-${k}`, reason: `${'r'.repeat(60)}${String(k % 700).padStart(4, '0')}`, fields: [`${'f'.repeat(60)}${k % 300}`] };
      const line = JSON.stringify(e);
      const got = fast(reader, line);
      expect(got, line).toBeDefined();
      expect(canonicalJson(got)).toBe(canonicalJson(JSON.parse(line)));
      expect(reader.held.bytes).toBeLessThanOrEqual(8192);
    }
    expect(reader.held.bytes).toBeGreaterThan(8192 - 70);
    expect(reader.held.entries).toBeLessThan(200);
  });

  it('only ever takes a mutated line that JSON.parse and the schema accept, with the same value (differential)', () => {
    let reader = new EventLineReader();
    const r = createRandom('event-line-fuzz');
    let taken = 0;
    let left = 0;
    let fresh = 0;
    for (let k = 0; k < 20_000; k++) {
      // A fresh reader now and then, after 1 to 64 lines: what it remembers of earlier lines (guesses, names
      // met) must never matter.
      if (k === fresh) {
        reader = new EventLineReader();
        fresh = k + r.int(1, 64);
      }
      const line = mutate(lines[r.int(0, lines.length - 1)]!, r);
      const e = line.includes('\n') ? undefined : fast(reader, line);
      const ref = reference(line, true);
      if (e === undefined) {
        left++;
        continue;
      }
      taken++;
      expect(ref.ok, line).toBe(true);
      if (!ref.ok) continue;
      expect(canonicalJson(e), line).toBe(canonicalJson(ref.value));
      expect(eventProblem(ref.value), line).toBeUndefined();
    }
    // Both paths were exercised.
    expect(taken).toBeGreaterThan(2000);
    expect(left).toBeGreaterThan(2000);
  });

  it('reads a file of mutated lines exactly as JSON.parse and the schema did, fast or not, across chunks', async () => {
    const r = createRandom('event-line-file');
    const picked: string[] = [];
    while (picked.length < 12_000) {
      const line = mutate(lines[r.int(0, lines.length - 1)]!, r);
      if (!line.includes('\n') && reference(line, true).ok) picked.push(line);
    }
    // Long enough to span several 1 MiB chunks, with multi-byte characters on some lines and CRLF on others.
    const body = picked.map((l, i) => (i % 7 === 0 ? `${l}\r` : l)).join('\n');
    const file = join(dir, 'mutated.jsonl');
    writeFileSync(file, `${body}\n\n${body}`);
    expect(Buffer.byteLength(body)).toBeGreaterThan(2 << 20);
    expect(picked.some((l) => /[^\x20-\x7e]/.test(l))).toBe(true);
    const got: string[] = [];
    let timed = 0;
    for await (const batch of readEventBatches(file, true)) {
      batch.events.forEach((e, i) => {
        got.push(canonicalJson(e));
        if (!Number.isNaN(batch.times[i]!)) {
          expect(batch.times[i]).toBe(Date.parse(e.time));
          timed++;
        }
      });
    }
    // As written to the file: UTF-8 has no lone surrogates (they are written as U+FFFD).
    const want = [...picked, ...picked].map((l) => canonicalJson(JSON.parse(Buffer.from(l, 'utf8').toString('utf8'))));
    expect(got).toEqual(want);
    expect(timed).toBeGreaterThan(want.length / 4);
    let n = 0;
    for await (const e of readEvents(file)) if (canonicalJson(e) === want[n++]) continue;
    expect(n).toBe(want.length);
  });

  it('reads a line longer than its read buffer and its text window between ordinary ones', async () => {
    const big = { ...(JSON.parse(lines[5]!) as AccessEvent), subjects: Array.from({ length: 10_000 }, (_, i) => `c${String(i).padStart(120, '0')}`) };
    const file = join(dir, 'long.jsonl');
    writeFileSync(file, `${lines[0]}\n${JSON.stringify(big)}\n${lines[1]}\n${JSON.stringify({ ...big, id: 'last' })}`);
    const got: AccessEvent[] = [];
    for await (const batch of readEventBatches(file, true)) got.push(...batch.events);
    expect(JSON.stringify(big).length).toBeGreaterThan(1 << 20);
    expect(got.map((e) => canonicalJson(e))).toEqual([lines[0]!, JSON.stringify(big), lines[1]!, JSON.stringify({ ...big, id: 'last' })].map((l) => canonicalJson(JSON.parse(l))));
  });

  it('rejects a line it does not take with the message it gave before, naming the line', async () => {
    const r = createRandom('event-line-reject');
    let checked = 0;
    for (let k = 0; k < 400 && checked < 60; k++) {
      const line = mutate(lines[r.int(0, lines.length - 1)]!, r);
      if (line.includes('\n')) continue;
      const file = join(dir, `bad-${k}.jsonl`);
      writeFileSync(file, `${lines[0]}\n\n${line}\n${lines[1]}\n`);
      for (const validate of [true, false]) {
        const ref = reference(line, validate);
        const read = async (): Promise<number> => {
          let count = 0;
          for await (const _ of readEvents(file, validate)) count++;
          return count;
        };
        if (ref.ok) continue;
        checked++;
        const parsed = ((): boolean => {
          try {
            JSON.parse(line);
            return true;
          } catch {
            return false;
          }
        })();
        await expect(read()).rejects.toThrow(parsed ? /^Line 3 of the events file is not an access event/ : /^Line 3 of the events file is not JSON/);
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});
