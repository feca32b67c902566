/**
 * Soak: many more crash rounds than the test suite runs (default 200). Each round starts the real server on
 * the same data directory, drives concurrent record views, kills it with SIGKILL at a random moment, and
 * checks that every answered view is on the ledger and that the ledger verifies.
 *
 *   npm run soak:ledger -- 500
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashRound } from '../helpers/server-crash.js';

const rounds = Number(process.argv[2] ?? 200);
if (!Number.isSafeInteger(rounds) || rounds < 1 || rounds > 100_000) {
  process.stderr.write('usage: server-crash-soak [ROUNDS 1..100000]\n');
  process.exit(2);
}
const dir = await mkdtemp(join(tmpdir(), 'custos-soak-'));
let answered = 0;
let failed = false;
try {
  for (let round = 1; round <= rounds; round++) {
    const r = await crashRound(dir, 100 + Math.floor(Math.random() * 2000));
    answered += r.acknowledged;
    const ok = r.lost === 0 && r.verified.ok;
    process.stdout.write(`round ${round}/${rounds}: ${r.acknowledged} views answered, ${r.lost} lost, ledger ${r.ledgerSize} entries, ${r.verified.ok ? 'verifies' : `FAILS at ${r.verified.index}: ${r.verified.reason}`}\n`);
    if (!ok) {
      failed = true;
      process.stdout.write(`data directory kept for inspection: ${dir}\n`);
      break;
    }
  }
  if (!failed) process.stdout.write(`soak passed: ${rounds} kills, ${answered} answered views, none lost\n`);
} finally {
  if (!failed) await rm(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
