import { describe, expect, it } from 'vitest';
import { usccCheckChar as usccCheck } from '../catalog/index.js';
import { orgCodeCheck } from './check-chars.js';

describe('usccCheck (GB 32100-2015)', () => {
  it.each([
    ['91350100M000100Y4', '3'], ['11320000MB151840X', 'J'], ['91440300192203821', '6'],
  ])('gives %s the check character %s (CN-PII.md §4.2 examples)', (first17, check) => {
    expect(usccCheck(first17)).toBe(check);
  });

  it('rejects the wrong length and characters outside the alphabet', () => {
    expect(() => usccCheck('91350100M000100Y')).toThrow(RangeError);
    expect(() => usccCheck('91350100M000100I4')).toThrow(RangeError);
  });
});

describe('orgCodeCheck (GB 11714)', () => {
  it('matches the organization code inside a real USCC, and maps 10 to X and 11 to 0', () => {
    expect(orgCodeCheck('19220382')).toBe('1');
    expect(orgCodeCheck('00000000')).toBe('0');
    expect(orgCodeCheck('00000005')).toBe('1');
    expect(orgCodeCheck('00000100')).toBe('3');
    expect(orgCodeCheck('00000006')).toBe('X');
  });
});
