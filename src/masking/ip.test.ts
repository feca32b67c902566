import { describe, expect, it } from 'vitest';
import { formatIpv6, ipv4Octets, ipv6Groups } from './ip.js';

describe('ipv4Octets', () => {
  it('reads dotted quads and refuses out-of-range octets and leading zeros', () => {
    expect(ipv4Octets('192.168.1.20')).toEqual([192, 168, 1, 20]);
    expect(ipv4Octets('256.1.1.1')).toBeNull();
    expect(ipv4Octets('01.1.1.1')).toBeNull();
    expect(ipv4Octets('1.1.1')).toBeNull();
  });
});

describe('ipv6Groups and formatIpv6', () => {
  it.each([
    ['2001:DB8::8a2e:370:7334', '2001:db8::8a2e:370:7334'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::1', '::1'],
    ['::', '::'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::ffff:192.168.1.1', '::ffff:c0a8:101'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('reads %s and writes it as %s (RFC 5952)', (input, text) => {
    const groups = ipv6Groups(input);
    expect(groups).toHaveLength(8);
    expect(formatIpv6(groups ?? [])).toBe(text);
  });

  it('refuses what is not an IPv6 address', () => {
    expect(ipv6Groups('2001:db8')).toBeNull();
    expect(ipv6Groups('1.2.3.4')).toBeNull();
    expect(ipv6Groups('fe80::1%eth0')).toBeNull();
  });
});
