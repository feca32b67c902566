#!/usr/bin/env node
/** The `custos` command. Each verb lives in its own file and registers itself here. */
import { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import { register as registerServe } from './serve.js';
import { register as registerDemo } from './demo.js';
import { register as registerToken } from './token.js';
import { register as registerSimulate } from './simulate.js';
import { register as registerDetect } from './detect.js';
import { register as registerEvaluate } from './evaluate.js';
import { register as registerKeygen } from './keygen.js';
import { register as registerLedger } from './ledger.js';
import { register as registerScan } from './scan.js';
import { registerMarkCommands, registerTraceFileCommand } from './marks.js';
import { registerPolicyCommands } from './policy.js';
import { register as registerCanary, registerTraceCanaryCommand } from './canary.js';
import { registerTraceLeakCommand } from './trace-leak.js';

const program = new Command()
  .name('custos')
  .description('Custos: insider-leak protection for personal information.')
  .version('0.1.0')
  .showHelpAfterError();

for (const register of [registerServe, registerDemo, registerToken, registerSimulate, registerDetect, registerEvaluate, registerKeygen, registerLedger, registerScan]) register(program);
registerPolicyCommands(program);
const trace = program.command('trace').description('trace a leak back to its source: view codes, marked text, export fingerprints');
registerMarkCommands(trace);
registerTraceFileCommand(trace);
registerTraceCanaryCommand(trace);
registerTraceLeakCommand(trace);
registerCanary(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CustosError) {
    process.stderr.write(`error ${e.code}: ${e.message}\n`);
  } else {
    process.stderr.write(`error CUSTOS_INTERNAL: ${e instanceof Error ? e.name : 'unexpected failure'}\n`);
    if (process.env['CUSTOS_DEBUG'] === '1' && e instanceof Error) process.stderr.write(`${e.stack ?? ''}\n`);
  }
  process.exitCode = 1;
}
