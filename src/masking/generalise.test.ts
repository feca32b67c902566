import { describe, expect, it } from 'vitest';
import { generaliseAddress, generaliseBirthDate, generaliseIdNumber } from './generalise.js';

const TODAY = new Date('2025-06-15T00:00:00Z');

describe('generaliseBirthDate', () => {
  it.each([
    ['1987-06-15', 'year', '1987'],
    ['1987/6/5', 'year', '1987'],
    ['19870615', 'year', '1987'],
    ['1987年6月5日', 'year', '1987'],
    ['1987-06-15', 'age_band', '30-39'],
    ['1985-06-16', 'age_band', '30-39'],
    ['1985-06-15', 'age_band', '40-49'],
    ['2020-01-01', 'age_band', '0-9'],
    ['1935-06-15', 'age_band', '90+'],
  ] as const)('generalises %s to its %s: %s', (date, to, expected) => {
    expect(generaliseBirthDate(date, to, TODAY)).toBe(expected);
  });

  it('accepts date parts', () => {
    expect(generaliseBirthDate({ year: 2000, month: 2, day: 29 }, 'age_band', TODAY)).toBe('20-29');
  });

  it.each(['1987-02-30', '1987-13-01', 'yesterday', '', '2026-01-01', '1987-6'])('gives null for %j', (date) => {
    expect(generaliseBirthDate(date, 'year', TODAY)).toBeNull();
  });
});

describe('generaliseIdNumber', () => {
  it('gives the birth year, age band and province of an 18-digit number', () => {
    expect(generaliseIdNumber('11010519491231002X', 'birth_year')).toBe('1949');
    expect(generaliseIdNumber('11010519491231002x', 'age_band', TODAY)).toBe('70-79');
    expect(generaliseIdNumber('11010519491231002X', 'province')).toBe('北京市');
    expect(generaliseIdNumber('440305199001011234', 'province')).toBe('广东省');
  });

  it('reads 15-digit numbers as born in the 1900s', () => {
    expect(generaliseIdNumber('340524800101001', 'birth_year')).toBe('1980');
    expect(generaliseIdNumber('340524800101001', 'province')).toBe('安徽省');
  });

  it('names Hong Kong, Macau and Taiwan residence permits by their area', () => {
    expect(generaliseIdNumber('810000199001011234', 'province')).toBe('香港特别行政区');
  });

  it.each(['1101051949', '110105194913310021', 'not an id'])('gives null for %j', (id) => {
    expect(generaliseIdNumber(id, 'province')).toBeNull();
    expect(generaliseIdNumber(id, 'birth_year')).toBeNull();
  });

  it('gives null for the province of an unknown area code but still reads the birth year', () => {
    expect(generaliseIdNumber('990105194912310021', 'province')).toBeNull();
    expect(generaliseIdNumber('990105194912310021', 'birth_year')).toBe('1949');
  });
});

describe('generaliseAddress', () => {
  it.each([
    ['广东省深圳市南山区科技园路1号', 'city', '广东省深圳市'],
    ['广东省深圳市南山区科技园路1号', 'province', '广东省'],
    ['深圳市南山区科技园路1号', 'city', '广东省深圳市'],
    ['广东深圳南山区', 'city', '广东省深圳市'],
    ['北京市朝阳区建国路88号', 'city', '北京市'],
    ['北京朝阳区建国路88号', 'province', '北京市'],
    ['重庆市城口县某镇', 'city', '重庆市'],
    ['湖北省仙桃市沔阳大道1号', 'city', '湖北省仙桃市'],
    ['吉林市船营区某路', 'city', '吉林省吉林市'],
    ['吉林省长春市朝阳区', 'city', '吉林省长春市'],
    ['内蒙古呼和浩特市新城区', 'province', '内蒙古自治区'],
  ] as const)('generalises %s to %s: %s', (address, to, expected) => {
    expect(generaliseAddress(address, to)).toBe(expected);
  });

  it('does not read a district name as a prefecture of the same name', () => {
    expect(generaliseAddress('朝阳区建国路88号', 'city')).toBeNull();
  });

  it('gives null for an address the gazetteer cannot read, and for a province-only address asked for its city', () => {
    expect(generaliseAddress('九龙弥敦道123号', 'province')).toBeNull();
    expect(generaliseAddress('', 'city')).toBeNull();
    expect(generaliseAddress('广东省某地', 'city')).toBeNull();
    expect(generaliseAddress('广东省某地', 'province')).toBe('广东省');
  });
});
