import validator from 'validator';
import { describe, expect, it } from 'vitest';
import { gazetteer, isLuhnValid } from '../catalog/index.js';
import { generateCustomers, generateStaff, generateTickets, pickDemoLogins } from './demo-company.js';

const options = { staff: 300, customers: 5000, seed: 's1', now: new Date('2026-11-01T00:00:00Z') };

describe('the demo company', () => {
  const customers = [...generateCustomers(options, 1000)].flat();

  it('gives every customer an ID number and a mobile number that an independent validator accepts', () => {
    expect(customers).toHaveLength(5000);
    for (const c of customers) {
      expect(validator.isIdentityCard(c.id_number, 'zh-CN'), c.id).toBe(true);
      expect(validator.isMobilePhone(c.mobile, 'zh-CN'), c.id).toBe(true);
    }
  });

  it('gives every customer a UnionPay card that passes Luhn and a real district in the address', () => {
    for (const c of customers) {
      expect(c.bank_card).toMatch(/^62\d{14}(\d{3})?$/);
      expect(isLuhnValid(c.bank_card)).toBe(true);
      const province = gazetteer().provinces.find((p) => c.address.startsWith(p.name));
      expect(province, c.id).toBeDefined();
      const districts = province!.cities.flatMap((city) => city.districts.map((d) => d.name));
      expect(districts.some((d) => c.address.includes(d)), c.id).toBe(true);
      // The gazetteer's placeholder "cities" (省直辖县级行政区划, 市辖区) never appear in an address.
      expect(c.address, c.id).not.toMatch(/直辖|市辖区/);
      expect(c.email).toMatch(/^[^@\s]+@[a-z0-9.]+\.[a-z]+$/);
    }
  });

  it('is the same company for the same seed and a different one for another seed', () => {
    const again = [...generateCustomers(options, 1000)].flat();
    expect(again).toEqual(customers);
    const other = [...generateCustomers({ ...options, seed: 's2' }, 1000)].flat();
    expect(other[0]).not.toEqual(customers[0]);
    expect(generateStaff(options)).toEqual(generateStaff(options));
  });

  it('has the six departments, managers, and half of tele-sales outsourced', () => {
    const staff = generateStaff(options);
    expect(staff).toHaveLength(300);
    expect(new Set(staff.map((s) => s.department))).toEqual(new Set(['customer_service', 'telesales', 'retail_banking', 'risk', 'engineering', 'security']));
    const sales = staff.filter((s) => s.department === 'telesales');
    const outsourced = sales.filter((s) => s.employment === 'outsourced').length / sales.length;
    expect(outsourced).toBeGreaterThan(0.3);
    expect(outsourced).toBeLessThan(0.7);
    const ids = new Set(staff.map((s) => s.id));
    for (const s of staff) if (s.manager !== null) expect(ids.has(s.manager)).toBe(true);
  });

  it('opens tickets for service staff and tellers, and picks logins in every group', () => {
    const staff = generateStaff(options);
    const tickets = generateTickets(options, staff);
    expect(tickets.some((t) => t.status === 'open')).toBe(true);
    expect(tickets.every((t) => t.subjects.length >= 1)).toBe(true);
    const logins = pickDemoLogins(staff);
    expect(new Set(logins.map((s) => s.department)).size).toBe(6);
  });
});
