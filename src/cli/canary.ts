import type { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import { hitKindOf, reportCanaryHit } from '../server/index.js';
import { HIT_KINDS, MAX_CANARIES_PER_CALL, parseAudience, type HitKind } from '../trace/index.js';
import { withRuntime } from './marks.js';
import { recordAdminAction, withDataOption } from './options.js';

/**
 * `custos canary create --audience viewer:u0042|team:<department>|export:<id> [--count N]` and `custos canary
 * list`: canary people for the security team (ids and audiences only; never shown to staff as such). Each is an
 * admin event on the ledger (actor `cli`).
 */
export function register(program: Command): void {
  const canary = program.command('canary').description('canary (honeytoken) people: synthetic customers shown to a narrow audience');
  withDataOption(
    canary
      .command('create')
      .description('create canary people for one viewer, one team (department) or one export')
      .requiredOption('--audience <audience>', 'viewer:<staff id>, team:<department> or export:<export id>')
      .option('--count <n>', `how many (1 to ${MAX_CANARIES_PER_CALL})`, '1'),
  ).action(async (o: { audience: string; count: string; data?: string }) => {
    const audience = parseAudience(o.audience);
    const count = Number(o.count);
    if (!Number.isInteger(count) || count < 1 || count > MAX_CANARIES_PER_CALL) throw new CustosError('CUSTOS_CANARY_BAD_COUNT', 400, `--count must be a whole number from 1 to ${MAX_CANARIES_PER_CALL}.`);
    await withRuntime(o, async (rt) => {
      const made = await rt.canaries.create(audience, count, 'cli');
      await recordAdminAction(rt, { kind: 'canary.create', audience: audience.kind, canaries: made.map((c) => c.id) });
      process.stdout.write(`${JSON.stringify({ canaries: made }, null, 2)}\n`);
    });
  });
  withDataOption(canary.command('list').description('the canaries: ids and audiences')).action(async (o: { data?: string }) => {
    await withRuntime(o, async (rt) => {
      const list = await rt.canaries.list();
      await recordAdminAction(rt, { kind: 'canary.list', count: list.length });
      process.stdout.write(`${JSON.stringify({ canaries: list }, null, 2)}\n`);
    });
  });
}

/**
 * `custos trace canary VALUE [--kind phone|email|id_number|bank_card|name|address] [--channel call]`: a value found
 * outside (a call, an e-mail, a row in a file) → the canary, who it was shown to, and a critical alert.
 * Ledgered with the canary id, never the value.
 */
export function registerTraceCanaryCommand(trace: Command): void {
  withDataOption(
    trace
      .command('canary')
      .description("which canary a value found outside belongs to, and who it was shown to (raises a critical alert)")
      .argument('<value>', 'the phone number, e-mail, ID number, card, name or address found')
      .option('--kind <kind>', `one of ${HIT_KINDS.join(', ')} (default: recognised from the value)`)
      .option('--channel <channel>', 'where it was found: call, email, sms, file, web, ...', 'report'),
  ).action(async (value: string, o: { kind?: string; channel: string; data?: string }) => {
    if (o.kind !== undefined && !(HIT_KINDS as readonly string[]).includes(o.kind)) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `--kind must be one of ${HIT_KINDS.join(', ')}.`);
    if (!/^[a-z][a-z0-9_-]{0,31}$/.test(o.channel)) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, '--channel must be a short lower-case word such as call, email or file.');
    if (value.trim().length < 2 || value.length > 256) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, 'The value must have 2 to 256 characters.');
    const kind = (o.kind as HitKind | undefined) ?? hitKindOf(value);
    await withRuntime(o, async (rt) => {
      let result;
      try {
        result = await reportCanaryHit(rt, { kind, value, channel: o.channel });
      } catch (e) {
        if (e instanceof CustosError) await recordAdminAction(rt, { kind: 'canary.hit', hitKind: kind, channel: o.channel, found: false });
        throw e;
      }
      await recordAdminAction(rt, { kind: 'canary.hit', canary: result.exposure.canary.id, hitKind: kind, channel: o.channel, alerts: result.alerts });
      process.stdout.write(`${JSON.stringify({ ...result.exposure, alerts: result.alerts }, null, 2)}\n`);
      const shown = result.exposure.shownTo.map((v) => `${v.actor} (${v.events}×, first ${v.first})`).join(', ') || 'nobody yet';
      process.stderr.write(`canary ${result.exposure.canary.id}, audience ${result.exposure.canary.audience}; shown to: ${shown}; ${result.alerts.length} critical alert(s) raised\n`);
    });
  });
}

