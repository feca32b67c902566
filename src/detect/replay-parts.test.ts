import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccessEvent } from '../ledger/index.js';
import { createRandom, simulateWorld } from '../sim/index.js';
import { createDetector } from './create-detector.js';
import type { Alert } from './detect-types.js';
import { readEventBatches, readEvents } from './jsonl.js';
import { indexOrg } from './org.js';
import { PendingQueue, type PendingLookup } from './pending-queue.js';
import { PeerState, PersonState, TeamDay } from './person-state.js';
import { DEFAULT_CONFIG } from './detect-config.js';

const dir = mkdtempSync(join(tmpdir(), 'custos-detect-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(text: string): Promise<string[]> {
  const file = join(dir, `f${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, text);
  const ids: string[] = [];
  for await (const e of readEvents(file)) ids.push(e.id);
  return ids;
}

describe('reading events from JSON Lines', () => {
  it('reads LF and CRLF lines, skips blank ones and takes a last line with no newline', async () => {
    expect(await read('{"id":"a"}\n\n{"id":"b"}\r\n{"id":"c"}')).toEqual(['a', 'b', 'c']);
  });

  it('reads lines that span its read chunks', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ id: `e-${i}`, pad: 'x'.repeat(i % 97) }));
    const ids = await read(`${lines.join('\n')}\n`);
    expect(ids).toHaveLength(20_000);
    expect(ids[19_999]).toBe('e-19999');
  });

  it('names the line that is not JSON', async () => {
    await expect(read('{"id":"a"}\n\n{"id":\n')).rejects.toThrow(/Line 3 /);
  });
});

describe('the pending queue', () => {
  it('gives lookups back in the order they were queued, across growth and wrap-around', () => {
    const q = new PendingQueue();
    const person = new PersonState('u1', new PeerState(), new TeamDay(), indexOrg({ actors: [], tickets: [], canaries: [] }), DEFAULT_CONFIG);
    const out: PendingLookup = { due: 0, at: 0, cats: 0, slot: 0, person: undefined, subject: '', event: '', revealed: undefined, late: true };
    let next = 0;
    let taken = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 1500; i++, next++) q.push(next, next - 1, person, `c${next}`, next % 7, `e-${next}`, next % 5, next % 3 === 0 ? ['id_number'] : undefined, next % 4 !== 0);
      for (let i = 0; i < 1000; i++, taken++) {
        q.shift(out);
        expect([out.due, out.at, out.subject, out.event, out.cats, out.slot, out.revealed !== undefined, out.late]).toEqual([taken, taken - 1, `c${taken}`, `e-${taken}`, taken % 7, taken % 5, taken % 3 === 0, taken % 4 !== 0]);
      }
    }
    expect(q.length).toBe(2500);
    expect(q.nextDue()).toBe(taken);
  });
});

describe('the org index', () => {
  it('answers assignment and ticket questions for actors asked in turn', () => {
    const org = indexOrg({
      actors: [
        { id: 'u1', department: 'd', role: 'r', employment: 'employee', manager: null, hired: '2024-01-01', leaving: null, assigned: ['c1'] },
        { id: 'u2', department: 'd', role: 'r', employment: 'employee', manager: null, hired: '2024-01-01', leaving: null, assigned: ['c2'] },
      ],
      tickets: [
        { id: 'T-1', assignee: 'u1', subjects: ['c9'], opened: '2026-03-02T01:00:00.000Z', closed: '2026-03-02T02:00:00.000Z' },
        { id: 'T-2', assignee: 'u1', subjects: ['c9'], opened: '2026-03-05T01:00:00.000Z', closed: null },
      ],
      canaries: [],
    });
    const at = (iso: string): number => Date.parse(iso);
    for (let i = 0; i < 3; i++) {
      expect([org.isAssigned('u1', 'c1'), org.isAssigned('u2', 'c1'), org.isAssigned('u2', 'c2'), org.isAssigned('u3', 'c2')]).toEqual([true, false, true, false]);
      expect(org.ticketCovers('u1', 'c9', at('2026-03-02T01:30:00.000Z'), 0)).toBe(true);
      expect(org.ticketCovers('u2', 'c9', at('2026-03-02T01:30:00.000Z'), 0)).toBe(false);
      expect(org.ticketCovers('u1', 'c9', at('2026-03-03T01:30:00.000Z'), 0)).toBe(false);
      expect(org.ticketCovers('u1', 'c9', at('2026-03-03T01:30:00.000Z'), 86_400_000)).toBe(true);
      expect(org.ticketCovers('u1', 'c9', at('2026-03-06T01:30:00.000Z'), 0)).toBe(true);
      expect(org.ticketCovers('u1', 'c8', at('2026-03-06T01:30:00.000Z'), 0)).toBe(false);
    }
  });
});

describe('the org index and the replay path', () => {
  const lines: string[] = [];
  const world = simulateWorld({ days: 6, staff: 40, customers: 3000, seed: 'replay-parts' }, { write: (e) => lines.push(JSON.stringify(e)) });

  it('explains a subject in one lookup exactly as isAssigned and ticketCovers do', () => {
    const org = indexOrg(world.org);
    const r = createRandom('explain');
    const actors = world.org.actors.filter((a) => a.assigned.length > 0);
    const subjects = world.org.actors.flatMap((a) => a.assigned);
    const tickets = world.org.tickets.filter((t) => t.subjects.length > 0);
    const t0 = Date.parse(world.org.tickets[0]!.opened);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) {
      // An actor's own customer, a ticket's customer near its time, or anyone.
      const kind = r.int(0, 2);
      const ticket = r.pick(tickets);
      const owner = r.pick(actors);
      const actor = kind === 0 ? owner.id : kind === 1 ? ticket.assignee : r.pick(actors).id;
      const subject = kind === 0 ? r.pick(owner.assigned) : kind === 1 ? r.pick(ticket.subjects) : r.chance(0.1) ? `c${r.int(0, 9999)}` : r.pick(subjects);
      const at = kind === 1 ? Date.parse(ticket.opened) + r.int(-3_600_000, 2 * 86_400_000) : t0 + r.int(-1, 8) * 86_400_000 + r.int(0, 86_400_000);
      const grace = r.pick([0, 3_600_000, 86_400_000]);
      const why = org.explain!(actor, subject, at, grace);
      expect(Math.max(why, 0)).toBe(org.isAssigned(actor, subject) ? 2 : org.ticketCovers(actor, subject, at, grace) ? 1 : 0);
      // -1: no ticket of the actor's is about the subject, so no time and no grace will ever cover it.
      expect(why === -1).toBe(!org.isAssigned(actor, subject) && !world.org.tickets.some((t) => t.assignee === actor && t.subjects.includes(subject)));
      if (why === -1) for (const when of [at, at + 86_400_000, t0 + 400 * 86_400_000]) expect(org.ticketCovers(actor, subject, when, Infinity)).toBe(false);
      counts[why + 1]!++;
    }
    expect(counts.every((n) => n > 100)).toBe(true);
  });

  it('raises the same alerts from the batches and their times (pushAt) as from push on parsed lines', async () => {
    const file = join(dir, 'world.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const expected = createDetector({ org: world.org });
    const want: Alert[] = [];
    for (const line of lines) want.push(...expected.push(JSON.parse(line) as AccessEvent).alerts);
    want.push(...expected.flush().alerts);
    const d = createDetector({ org: world.org });
    const got: Alert[] = [];
    for await (const batch of readEventBatches(file)) for (let i = 0; i < batch.events.length; i++) got.push(...d.pushAt(batch.events[i]!, batch.times[i]!).alerts);
    got.push(...d.flush().alerts);
    expect(want.length).toBeGreaterThan(5);
    expect(got).toEqual(want);
    // A live org lookup without the one-lookup explain (the server's mirror) gives the same alerts.
    const index = indexOrg(world.org);
    const plain = createDetector({
      org: {
        actor: (a) => index.actor(a), isAssigned: (a, c) => index.isAssigned(a, c), isCanary: (c) => index.isCanary(c),
        ticketCovers: (a, c, at, g) => index.ticketCovers(a, c, at, g), holdsTicket: (a, k, at, g) => index.holdsTicket(a, k, at, g), leavingMs: (a) => index.leavingMs(a),
      },
    });
    const plainAlerts: Alert[] = [];
    for (const line of lines) plainAlerts.push(...plain.push(JSON.parse(line) as AccessEvent).alerts);
    plainAlerts.push(...plain.flush().alerts);
    expect(plainAlerts).toEqual(want);
  });
});
