import { describe, expect, it } from 'vitest';
import { birthDateOfIdNumber, gradeIncident, isMinorOn, reportingClock } from './incident.js';

describe('incident grade', () => {
  it.each([
    [999_999, 0, 'general', false],
    [1_000_000, 0, 'relatively_major', true],
    [9_999_999, 0, 'relatively_major', true],
    [10_000_000, 0, 'major', true],
    [99_999_999, 0, 'major', true],
    [100_000_000, 0, 'especially_major', true],
    [1_000_000, 999_999, 'relatively_major', true],
    [1_000_000, 1_000_000, 'major', true],
    [5, 0, 'general', false],
  ] as const)('%i people (%i sensitive) is %s', (people, sensitivePeople, grade, reportable) => {
    expect(gradeIncident({ people, sensitivePeople })).toMatchObject({ grade, reportable });
  });

  it('takes a higher grade the investigator entered, never a lower one', () => {
    expect(gradeIncident({ people: 3, sensitivePeople: 0, entered: 'relatively_major' })).toMatchObject({ grade: 'relatively_major', reportable: true });
    expect(gradeIncident({ people: 10_000_000, sensitivePeople: 0, entered: 'general' }).grade).toBe('major');
  });
});

describe('reporting clock', () => {
  const found = '2026-03-02T09:00:00.000Z';
  const at = (iso: string) => new Date(iso);

  it.each([
    ['cii', '2026-03-02T10:00:00.000Z'],
    ['state_organ', '2026-03-02T11:00:00.000Z'],
    ['other', '2026-03-02T13:00:00.000Z'],
  ] as const)('gives a %s operator until %s', (operator, deadline) => {
    const c = reportingClock({ reportable: true }, operator, found, null, at('2026-03-02T09:30:00.000Z'));
    expect(c).toMatchObject({ required: true, deadline, overdue: false });
    expect(c.msLeft).toBe(Date.parse(deadline) - Date.parse('2026-03-02T09:30:00.000Z'));
  });

  it('is not overdue at the deadline itself, and is one millisecond after', () => {
    expect(reportingClock({ reportable: true }, 'cii', found, null, at('2026-03-02T10:00:00.000Z'))).toMatchObject({ overdue: false, msLeft: 0 });
    expect(reportingClock({ reportable: true }, 'cii', found, null, at('2026-03-02T10:00:00.001Z'))).toMatchObject({ overdue: true, msLeft: -1 });
  });

  it('stops once reported, and says whether the report was late', () => {
    expect(reportingClock({ reportable: true }, 'cii', found, '2026-03-02T09:59:00.000Z', at('2026-03-02T12:00:00.000Z'))).toMatchObject({ overdue: false, msLeft: null, reportedLate: false });
    expect(reportingClock({ reportable: true }, 'cii', found, '2026-03-02T10:01:00.000Z', at('2026-03-02T12:00:00.000Z'))).toMatchObject({ overdue: false, reportedLate: true });
  });

  it('has no hour deadline below the reportable grades', () => {
    expect(reportingClock({ reportable: false }, 'cii', found, null, at('2026-03-09T09:00:00.000Z'))).toMatchObject({ required: false, deadline: null, overdue: false, msLeft: null });
  });
});

describe('minors', () => {
  it('reads the birth date of 18- and 15-digit ID numbers, and none from a bad date', () => {
    expect(birthDateOfIdNumber('11010519491231002X')?.toISOString()).toBe('1949-12-31T00:00:00.000Z');
    expect(birthDateOfIdNumber('340524800101001')?.toISOString()).toBe('1980-01-01T00:00:00.000Z');
    expect(birthDateOfIdNumber('110105194902300021')).toBeUndefined();
    expect(birthDateOfIdNumber('abc')).toBeUndefined();
  });

  it('is a minor the day before the 14th birthday, and not on it', () => {
    const birth = birthDateOfIdNumber('110105201203150011')!;
    expect(isMinorOn(birth, new Date('2026-03-14T23:59:59Z'))).toBe(true);
    expect(isMinorOn(birth, new Date('2026-03-15T00:00:00Z'))).toBe(false);
    const leap = birthDateOfIdNumber('110105201202290011')!;
    expect(isMinorOn(leap, new Date('2026-02-28T12:00:00Z'))).toBe(true);
    expect(isMinorOn(leap, new Date('2026-03-01T00:00:00Z'))).toBe(false);
  });
});
