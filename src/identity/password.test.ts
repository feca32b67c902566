import { describe, expect, it } from 'vitest';
import { createLoginLimiter } from './login-limiter.js';
import { DUMMY_HASH, generatePassword, hashPassword, verifyPassword } from './password.js';

describe('passwords', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsf', stored)).toBe(false);
  });

  it('never verifies against the dummy hash or a malformed one', async () => {
    expect(await verifyPassword('', DUMMY_HASH)).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1$1$1$AA==$AA==')).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });

  it('generates distinct random passwords of 20 characters', () => {
    const a = generatePassword();
    expect(a).toHaveLength(20);
    expect(generatePassword()).not.toBe(a);
  });
});

describe('the login limiter', () => {
  it('blocks a user after five failures within the window and frees it afterwards', () => {
    const l = createLoginLimiter({ windowMs: 60_000, perUser: 5, perIp: 100 });
    for (let i = 0; i < 5; i++) l.fail('u1', '1.1.1.1', 1000 + i);
    expect(l.blockedFor('u1', '1.1.1.1', 2000)).toBeGreaterThan(0);
    expect(l.blockedFor('u2', '1.1.1.1', 2000)).toBe(0);
    expect(l.blockedFor('u1', '1.1.1.1', 70_000)).toBe(0);
  });

  it('blocks an address that tries many users', () => {
    const l = createLoginLimiter({ windowMs: 60_000, perUser: 5, perIp: 10 });
    for (let i = 0; i < 10; i++) l.fail(`u${i}`, '2.2.2.2', 1000);
    expect(l.blockedFor('fresh', '2.2.2.2', 1001)).toBeGreaterThan(0);
  });
});
