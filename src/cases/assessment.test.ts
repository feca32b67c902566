import { describe, expect, it } from 'vitest';
import { assessCase } from './assessment.js';
import type { Case, Exposure } from './case-service.js';
import { fieldClasses } from './field-class.js';

// The demo customer table as the catalog classifies it.
const classOf = fieldClasses([
  { column: 'name', mask: 'cn_name' },
  { column: 'mobile', mask: 'cn_mobile' },
  { column: 'id_number', mask: 'cn_id_card' },
  { column: 'bank_card', mask: 'bank_card' },
  { column: 'address', mask: 'cn_address' },
  { column: 'email', mask: 'email' },
  { column: 'balance', mask: null },
  { column: 'employer', mask: 'text' },
]);

const base: Case = {
  id: 'case-1', source: 'complaint', status: 'investigating', openedBy: 'u1', assignee: null, subjects: [], window: { from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' },
  intake: {}, findings: null, reply: null, openedAt: '2026-03-02T09:00:00.000Z', updatedAt: '2026-03-02T09:00:00.000Z', closedAt: null, severityEntry: {}, reportedAt: null,
};
const customers = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `c${from + i}`);
const saw = (subjects: string[], fields: string[]) => new Map(subjects.map((s) => [s, new Set(fields)]));
const now = new Date('2026-03-02T10:00:00.000Z');

describe('case assessment', () => {
  it('classifies the demo columns as the catalog does', () => {
    expect(classOf('bank_card')).toEqual({ category: 'property', sensitive: true, type: 'bank_card' });
    expect(classOf('balance')).toEqual({ category: 'property', sensitive: true, type: null });
    expect(classOf('mobile')).toEqual({ category: 'other', sensitive: false, type: 'cn_mobile' });
    expect(classOf('id_number')).toEqual({ category: 'other', sensitive: false, type: 'cn_id_card' });
    expect(classOf('unknown_column')).toEqual({ category: 'other', sensitive: false, type: null });
  });

  it('counts per person who saw the data: 25 cards revealed by one insider is serious, 24 is not', () => {
    const subjects = customers(25);
    const exposure: Exposure = new Map([
      ['u-insider', saw(subjects, ['bank_card', 'name'])],
      ['u-other', saw(subjects.slice(0, 24), ['bank_card'])],
    ]);
    const a = assessCase({ case: { ...base, subjects }, exposure, classOf, minors: new Set(), operator: 'other', now });
    expect(a.severity).toMatchObject({ level: 'serious', counted: 'ledger', actor: 'u-insider', insider: true });
    expect(a.severity.records).toMatchObject({ property: 25, other: 25 });
    expect(a.byActor.map((x) => [x.actor, x.level])).toEqual([['u-insider', 'serious'], ['u-other', 'below']]);
    expect(a.sensitive).toMatchObject({ flagged: true, people: 25, fields: [{ column: 'bank_card', category: 'property' }] });
    expect(a.fieldsSeen).toEqual([{ column: 'bank_card', type: 'bank_card', category: 'property' }, { column: 'name', type: 'cn_name', category: 'other' }]);
  });

  it('counts only the people found responsible once findings name them', () => {
    const subjects = customers(30);
    const exposure: Exposure = new Map([['u-a', saw(subjects, ['bank_card'])], ['u-b', saw(subjects.slice(0, 2), ['mobile'])]]);
    const c: Case = { ...base, subjects, findings: { cause: 'x', responsible: ['u-b'], recordsAffected: 2, measures: 'y' } };
    const a = assessCase({ case: c, exposure, classOf, minors: new Set(), operator: 'other', now });
    expect(a.severity).toMatchObject({ level: 'below', actor: 'u-b', records: { other: 2, property: 0 } });
    expect(a.byActor.map((x) => x.actor)).toEqual(['u-b']);
    expect(a.sensitive.flagged).toBe(false);
  });

  it('takes the records, gain and insider flag the investigator entered', () => {
    const c: Case = { ...base, subjects: ['c1'], severityEntry: { records: { transaction: 499 }, insider: false, illegalGainYuan: 5000 } };
    const a = assessCase({ case: c, exposure: new Map(), classOf, minors: new Set(), operator: 'other', now });
    expect(a.severity).toMatchObject({ counted: 'entered', actor: null, byRecords: 'below', byGain: 'serious', level: 'serious', insider: false });
  });

  it('flags minors among the people concerned as sensitive', () => {
    const c: Case = { ...base, subjects: ['c1', 'c2'] };
    const a = assessCase({ case: c, exposure: new Map([['u', saw(['c1'], ['name'])]]), classOf, minors: new Set(['c2', 'c-elsewhere']), operator: 'other', now });
    expect(a.sensitive).toMatchObject({ flagged: true, people: 1, minors: { count: 1, subjects: ['c2'] }, fields: [] });
    expect(a.incident.sensitivePeople).toBe(1);
  });

  it('grades by people affected and runs the clock from discovery for the operator kind', () => {
    const small = assessCase({ case: { ...base, subjects: ['c1'] }, exposure: new Map(), classOf, minors: new Set(), operator: 'cii', now });
    expect(small.incident).toMatchObject({ grade: 'general', reportable: false, people: 1 });
    expect(small.clock).toMatchObject({ required: false, deadline: null });
    const big = assessCase({ case: { ...base, subjects: ['c1'], severityEntry: { people: 1_200_000 } }, exposure: new Map(), classOf, minors: new Set(), operator: 'cii', now });
    expect(big.incident).toMatchObject({ grade: 'relatively_major', reportable: true, people: 1_200_000 });
    expect(big.clock).toMatchObject({ required: true, operator: 'cii', deadline: '2026-03-02T10:00:00.000Z', msLeft: 0, overdue: false });
    const entered = assessCase({ case: { ...base, subjects: ['c1'], severityEntry: { grade: 'major', operator: 'other', discoveredAt: '2026-03-02T05:00:00.000Z' } }, exposure: new Map(), classOf, minors: new Set(), operator: 'cii', now });
    expect(entered.clock).toMatchObject({ operator: 'other', deadline: '2026-03-02T09:00:00.000Z', overdue: true, msLeft: -3_600_000 });
  });
});
