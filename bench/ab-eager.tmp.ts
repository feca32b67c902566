import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateLedgerKey, openLedger, type AccessEvent } from '../src/ledger/index.js';
const event = (i: number): AccessEvent => ({ id: `e-${i}`, time: new Date(Date.UTC(2026, 0, 1) + i * 10).toISOString(), actor: `u${String(i % 300).padStart(4, '0')}`, action: 'view', system: 'bench', subjects: [`c${String((i * 7919) % 100000).padStart(6, '0')}`], fields: ['name', 'mobile'], outcome: 'masked' });
const total = 200_000;
const E = (process.env.E ?? '256').split(',').map(Number);
async function run(eager: number): Promise<{ rate: number; cpu: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'ab-'));
  const { signer } = await loadOrCreateLedgerKey(dir, 'ab/ledger');
  const ledger = await openLedger({ storage: { kind: 'sqlite', file: join(dir, 'l.db'), fsync: 'batch' } as never, signer, origin: 'ab/ledger', eagerBatch: eager });
  let next = 0;
  const c0 = process.cpuUsage();
  const t = performance.now();
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < total) { const wave: Promise<unknown>[] = []; for (let k = 0; k < 16 && next < total; k++) wave.push(ledger.append(event(next++))); await Promise.all(wave); }
  }));
  const rate = total / ((performance.now() - t) / 1000);
  const c = process.cpuUsage(c0);
  await ledger.close();
  await rm(dir, { recursive: true, force: true });
  return { rate, cpu: (c.user + c.system) / total };
}
const res = new Map<number, number[]>();
const all = [Infinity, ...E];
for (let r = 0; r < Number(process.env.R ?? 6); r++) {
  for (const e of r % 2 ? [...all].reverse() : all) {
    const x = await run(e);
    res.set(e, [...(res.get(e) ?? []), x.rate]);
    console.log(e, Math.round(x.rate), x.cpu.toFixed(2));
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
for (const [e, v] of res) console.log('median', e, Math.round(med(v)));
