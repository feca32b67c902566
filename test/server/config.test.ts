import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';

describe('configuration', () => {
  it('runs the policy engine in a decision process by default; inline only when asked; nothing else accepted', () => {
    expect(loadConfig({}).policyIsolation).toBe('process');
    expect(loadConfig({ CUSTOS_POLICY_ISOLATION: 'inline' }).policyIsolation).toBe('inline');
    expect(() => loadConfig({ CUSTOS_POLICY_ISOLATION: 'thread' })).toThrow(expect.objectContaining({ code: 'CUSTOS_CONFIG_INVALID' }) as Error);
  });

  it('makes an acknowledged ledger append durable against power loss unless told otherwise', () => {
    expect(loadConfig({}).ledgerFsync).toBe('batch');
    expect(loadConfig({ CUSTOS_LEDGER_FSYNC: 'checkpoint' }).ledgerFsync).toBe('checkpoint');
    expect(() => loadConfig({ CUSTOS_LEDGER_FSYNC: 'never' })).toThrow(expect.objectContaining({ code: 'CUSTOS_CONFIG_INVALID' }) as Error);
  });

  it('refuses a retired key rather than ignore it: who may break the glass is the policy\'s to say', () => {
    const e = (() => {
      try {
        loadConfig({ CUSTOS_BREAK_GLASS_ROLES: 'service_agent' });
      } catch (err) {
        return err as { code: string; message: string };
      }
      return undefined;
    })();
    expect(e?.code).toBe('CUSTOS_CONFIG_INVALID');
    expect(e?.message).toContain('CUSTOS_BREAK_GLASS_ROLES is no longer used');
    expect(e?.message).toContain('break-glass-roles');
  });
});
