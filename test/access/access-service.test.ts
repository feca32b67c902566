import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessService, readXlsx, writeExport, type AccessService } from '../../src/access/index.js';
import { ulidSource, type Clock } from '../../src/core/clock.js';
import { migrateStore, openDatabase, type StoreSchema } from '../../src/store/index.js';

class TestClock implements Clock {
  constructor(public t: number) {}
  now(): Date {
    return new Date(this.t);
  }
}

// head ← lead ← agent ← (nobody); peer has the same lead; dpo has an approver role; outsider is elsewhere.
const STAFF = [
  { id: 'head', manager: null, role: 'manager' },
  { id: 'lead', manager: 'head', role: 'service_lead' },
  { id: 'agent', manager: 'lead', role: 'service_agent' },
  { id: 'peer', manager: 'lead', role: 'service_agent' },
  { id: 'dpo', manager: null, role: 'data_protection_officer' },
  { id: 'outsider', manager: null, role: 'engineer' },
];

describe('access requests: four eyes, time-boxed grants, break-glass', () => {
  let dir: string;
  let db: Kysely<StoreSchema>;
  let clock: TestClock;
  let access: AccessService;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-access-'));
    db = await openDatabase<StoreSchema>({ kind: 'sqlite', file: join(dir, 'store.db') });
    await migrateStore(db);
    for (const s of STAFF) {
      await db.insertInto('staff').values({ id: s.id, name: s.id, department: 'd', role: s.role, employment: 'employee', manager: s.manager, hired: '2020-01-01', leaving: null, status: 'active' }).execute();
    }
    clock = new TestClock(Date.parse('2026-11-23T02:00:00.000Z'));
    access = createAccessService(db, clock, ulidSource(clock), { approverRoles: ['data_protection_officer'], maxGrantHours: 72, breakGlassMinutes: 30 });
  });
  afterAll(async () => {
    await db?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const reveal = (requester: string) =>
    access.create({ kind: 'reveal', requester, subjects: ['c1', 'c2'], fields: ['id_number'], purpose: 'kyc_review', ticket: 't1', reason: 'customer asked to update documents' });

  it('lets the manager chain and the approver roles decide, and nobody else', async () => {
    const r = await reveal('agent');
    expect(r.status).toBe('pending');
    expect((await access.whyNotApprover('agent', r))?.code).toBe('CUSTOS_SELF_APPROVAL');
    expect((await access.whyNotApprover('peer', r))?.code).toBe('CUSTOS_NOT_APPROVER');
    expect((await access.whyNotApprover('outsider', r))?.code).toBe('CUSTOS_NOT_APPROVER');
    expect(await access.whyNotApprover('lead', r)).toBeUndefined();
    expect(await access.whyNotApprover('head', r)).toBeUndefined();
    expect(await access.whyNotApprover('dpo', r)).toBeUndefined();
    expect((await access.toDecide('lead', 10)).map((x) => x.id)).toContain(r.id);
    expect((await access.toDecide('peer', 10)).map((x) => x.id)).not.toContain(r.id);
  });

  it('never lets a subordinate approve their manager, even holding an approver role', async () => {
    await db.updateTable('staff').set({ role: 'data_protection_officer' }).where('id', '=', 'agent').execute();
    try {
      const r = await reveal('lead');
      expect((await access.whyNotApprover('agent', r))?.code).toBe('CUSTOS_SUBORDINATE_APPROVAL');
      await expect(access.decide(r.id, 'agent', 'approve', 'fine', 8)).rejects.toMatchObject({ code: 'CUSTOS_SUBORDINATE_APPROVAL' });
      expect((await access.get(r.id))?.status).toBe('pending');
    } finally {
      await db.updateTable('staff').set({ role: 'service_agent' }).where('id', '=', 'agent').execute();
    }
  });

  it('turns an approval into a grant on those records and fields that ends on time', async () => {
    const r = await reveal('agent');
    const approved = await access.decide(r.id, 'lead', 'approve', 'documents check, ticket t1', 2);
    expect(approved).toMatchObject({ status: 'approved', approver: 'lead' });
    await expect(access.decide(r.id, 'head', 'reject', 'late', 1)).rejects.toMatchObject({ code: 'CUSTOS_REQUEST_DECIDED' });
    expect([...(await access.grantedFields('agent', 'c1'))].map(([f]) => f)).toEqual(['id_number']);
    expect([...(await access.grantedFields('agent', 'c3'))].map(([f]) => f)).toEqual([]);
    expect([...(await access.grantedFields('peer', 'c1'))].map(([f]) => f)).toEqual([]);
    clock.t += 2 * 3_600_000 + 1;
    expect([...(await access.grantedFields('agent', 'c1'))].map(([f]) => f)).toEqual([]);
    await expect(access.decide((await reveal('agent')).id, 'lead', 'approve', 'x', 1000)).rejects.toMatchObject({ code: 'CUSTOS_BAD_REQUEST' });
  });

  it('grants break-glass at once for a short time and keeps it for review by someone else', async () => {
    const bg = await access.breakGlass({ requester: 'agent', subjects: ['c9'], fields: ['bank_card'], purpose: 'fraud_emergency', reason: 'card being used abroad right now' });
    expect(bg).toMatchObject({ status: 'break_glass', breakGlass: true });
    expect([...(await access.grantedFields('agent', 'c9'))].map(([f]) => f)).toEqual(['bank_card']);
    expect((await access.unreviewed(10)).map((x) => x.id)).toContain(bg.id);
    await expect(access.review(bg.id, 'agent', 'mine')).rejects.toMatchObject({ code: 'CUSTOS_SELF_APPROVAL' });
    await access.review(bg.id, 'dpo', 'confirmed with the fraud team');
    expect((await access.unreviewed(10)).map((x) => x.id)).not.toContain(bg.id);
    clock.t += 31 * 60_000;
    expect([...(await access.grantedFields('agent', 'c9'))].map(([f]) => f)).toEqual([]);
  });
});

describe('export files', () => {
  const table = {
    columns: ['id', 'name', 'note'],
    rows: [
      { id: 'c1', name: '张伟', note: '=HYPERLINK("http://evil")' },
      { id: 'c2', name: '欧阳娜娜', note: 'a, "quoted"\nline' },
    ],
  };

  it('writes CSV that Excel reads as UTF-8 and that cannot run formulas', async () => {
    const buf = await writeExport('csv', table, { exportId: 'exp1', recipient: 'agent' });
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('id,name,note');
    expect(text).toContain('张伟');
    expect(text).toContain(`'=HYPERLINK`);
    expect(text).toContain('"a, ""quoted""\nline"');
  });

  it('writes XLSX that reads back the same, formulas as text', async () => {
    const rows = await readXlsx(await writeExport('xlsx', table, { exportId: 'exp1', recipient: 'agent' }));
    expect(rows[0]).toEqual(['id', 'name', 'note']);
    expect(rows[1]).toEqual(['c1', '张伟', `'=HYPERLINK("http://evil")`]);
    expect(rows[2]![1]).toBe('欧阳娜娜');
  });
});
