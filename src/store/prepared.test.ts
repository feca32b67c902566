import { describe, expect, it } from 'vitest';
import { openDatabase, prepare } from './index.js';

interface Db {
  t: { id: string; kind: string; n: number };
}

describe('prepare', () => {
  it('compiles once and runs with new values each time, keeping constant values', async () => {
    const db = await openDatabase<Db>({ kind: 'sqlite', file: ':memory:' });
    await db.schema.createTable('t').addColumn('id', 'text').addColumn('kind', 'text').addColumn('n', 'integer').execute();
    await db.insertInto('t').values([
      { id: 'a', kind: 'x', n: 1 },
      { id: 'b', kind: 'x', n: 2 },
      { id: 'b', kind: 'y', n: 3 },
    ]).execute();
    const q = prepare(db, (id: string, min: number) => db.selectFrom('t').select('n').where('id', '=', id).where('kind', '=', 'x').where('n', '>=', min));
    expect(await q('a', 0)).toEqual([{ n: 1 }]);
    expect(await q('b', 0)).toEqual([{ n: 2 }]);
    expect(await q('b', 3)).toEqual([]);
    expect(await q('zzz', 0)).toEqual([]);
    await db.destroy();
  });

  it('refuses a builder that does not use each argument exactly once', async () => {
    const db = await openDatabase<Db>({ kind: 'sqlite', file: ':memory:' });
    expect(() => prepare(db, (_id: string) => db.selectFrom('t').select('n'))).toThrow(/exactly once/);
    expect(() => prepare(db, (id: string) => db.selectFrom('t').select('n').where('id', '=', id).where('kind', '=', id))).toThrow(/exactly once/);
    await db.destroy();
  });
});
