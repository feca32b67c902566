import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BASES, checkRecord, compilePolicy, createPolicyEngine, fieldRuling, maskOf, recordRuling, refusal, relationMask, RELATIONS,
  type Effect, type PersonAttributes, type RelationName, type RequestContext,
} from '../../src/policy/index.js';

const text = readFileSync(resolve(import.meta.dirname, '../../policies/default.cedar'), 'utf8');
const engine = createPolicyEngine(text);

const agent: PersonAttributes = { id: 'u0042', role: 'service_agent', department: 'customer_service', employment: 'employee', manager: 'u0007', leaving: null, risk: 'low' };
const ctx: RequestContext = { purpose: 'customer_request', ticket: 'T-1', hour: 10, date: '2026-03-02', device: 'managed', session: 'mfa', reason: false };

describe('grants', () => {
  it('agree with a direct Cedar decision for every relation combination, field and profile (weakest basis that allows)', () => {
    const profiles: [PersonAttributes, RequestContext][] = [
      [agent, ctx],
      [{ ...agent, employment: 'outsourced' }, { ...ctx, purpose: 'complaint' }],
      [{ ...agent, role: 'teller', department: 'retail_banking' }, { ...ctx, purpose: 'counter_service' }],
      [{ ...agent, role: 'risk_analyst', department: 'risk', risk: 'high' }, { ...ctx, purpose: 'fraud_investigation' }],
      [{ ...agent, role: 'engineer', department: 'engineering' }, { ...ctx, purpose: 'incident', session: 'password' }],
    ];
    let compared = 0;
    for (const [person, context] of profiles) {
      const grant = engine.grantFor(person, context);
      const canBreakGlass = grant.breakGlass.effect !== 'deny';
      for (let mask = 0; mask < 1 << RELATIONS.length; mask++) {
        const relation: Partial<Record<RelationName, boolean>> = {};
        RELATIONS.forEach((r, i) => {
          if ((mask & (1 << i)) !== 0) relation[r] = true;
        });
        if (relation.onThisTicket === true && relation.onOpenTicket !== true) continue;
        const weakest = (action: 'view' | 'reveal', resource: string): Effect => {
          for (const basis of BASES) {
            if (basis === 'break_glass' && !canBreakGlass) continue;
            const d = engine.decide({ person, context: basis === 'break_glass' ? { ...context, reason: true } : context, action, resource, relation, basis });
            if (d.effect === 'allow') return basis === 'none' ? 'allow' : basis;
          }
          return 'deny';
        };
        expect(recordRuling(grant, mask).view.effect).toBe(weakest('view', 'customers'));
        for (const field of ['mobile', 'id_number', 'balance']) {
          expect(fieldRuling(grant, mask, field).effect, `${person.role} ${field} ${mask}`).toBe(weakest('reveal', `customers.${field}`));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('are decided once per attribute profile and context, and shared by people with the same attributes', () => {
    const e = createPolicyEngine(text);
    const a = e.grantFor(agent, ctx);
    const b = e.grantFor({ ...agent, id: 'u0099' }, ctx);
    expect(b).toBe(a);
    expect(e.stats()).toMatchObject({ computed: 1, cached: 1 });
    expect(e.grantFor(agent, { ...ctx, hour: 11 })).not.toBe(a);
    expect(e.grantFor({ ...agent, employment: 'outsourced' }, ctx)).not.toBe(a);
  });

  it('refuses a reveal without a ticket for the customer and says what would allow it', () => {
    const grant = engine.grantFor(agent, ctx);
    const mask = relationMask({ assigned: new Set(['c1']) }, 'c1');
    expect(checkRecord(grant, mask, ['mobile'])).toMatchObject({ visible: true, allow: [], approval: ['mobile'] });
    const e = refusal(engine.compiled, grant, mask, 'mobile');
    expect(e.code).toBe('CUSTOS_TICKET_REQUIRED');
    expect(e.message).toContain('Attach an open ticket');
  });

  it('refuses an ID number to outsourced staff with the forbid that decided it', () => {
    const grant = engine.grantFor({ ...agent, employment: 'outsourced' }, ctx);
    const mask = relationMask({ thisTicketSubjects: new Set(['c1']) }, 'c1');
    const check = checkRecord(grant, mask, ['mobile', 'id_number', 'bank_card']);
    expect(check).toMatchObject({ visible: true, allow: ['mobile'], deny: ['id_number', 'bank_card'] });
    const e = refusal(engine.compiled, grant, mask, 'id_number');
    expect(e.code).toBe('CUSTOS_FIELD_FORBIDDEN');
    expect(e.details).toMatchObject({ field: 'id_number', policies: ['forbid-outsourced-identifiers'] });
    expect(e.message).toMatch(/^Outsourced staff never see ID numbers/);
  });

  it('denies everything for a purpose the role may not state', () => {
    const grant = engine.grantFor(agent, { ...ctx, purpose: 'campaign_call' });
    expect(grant.purposeAllowed).toBe(false);
    expect(grant.purposes).toEqual(['complaint', 'customer_request', 'kyc_review']);
    expect(checkRecord(grant, maskOf(['onThisTicket', 'assigned']), ['mobile'])).toMatchObject({ visible: false, deny: ['mobile'] });
    expect(refusal(engine.compiled, grant, 0, 'mobile').code).toBe('CUSTOS_PURPOSE_NOT_ALLOWED');
  });

  it('takes quotas from the quota policies, the lowest limit of each winning', () => {
    expect(engine.grantFor(agent, ctx).quotas).toEqual({ customersPerDay: 300, customersPerHour: 100, perCategoryPerDay: { property: 50, credit: 50, whereabouts: 50 } });
    const out = engine.grantFor({ ...agent, employment: 'outsourced' }, ctx);
    expect(out.quotas?.customersPerHour).toBe(60);
    expect([...out.quotaPolicies].sort()).toEqual(['quota-outsourced', 'quota-service']);
  });

  it('validates the request and rejects unknown values with a stable code', () => {
    expect(() => engine.grantFor({ ...agent, employment: 'staff' as 'employee' }, ctx)).toThrow(expect.objectContaining({ code: 'CUSTOS_POLICY_BAD_REQUEST' }));
    expect(() => engine.grantFor(agent, { ...ctx, hour: 24 })).toThrow(expect.objectContaining({ code: 'CUSTOS_POLICY_BAD_REQUEST' }));
    expect(() => engine.decide({ person: agent, context: ctx, action: 'reveal', resource: 'customers.shoe_size' })).toThrow(expect.objectContaining({ code: 'CUSTOS_POLICY_UNKNOWN_FIELD' }));
  });
});

describe('compiling a policy', () => {
  const permit = '@id("p") permit (principal, action == Action::"view", resource) when { principal.role == "teller" };';
  it('reports a syntax error with its line', () => {
    expect(() => compilePolicy(`${permit}\n\n@id("q") permit (principal, action, resource) when { principal.role == };`)).toThrow(/line 3, column \d+/);
  });
  it('catches a misspelt attribute against the schema', () => {
    expect(() => compilePolicy('@id("p") permit (principal, action == Action::"view", resource) when { principal.rol == "teller" };')).toThrow(/Policy p: .*rol.*did you mean `role`/);
  });
  it('needs a unique @id on every policy', () => {
    expect(() => compilePolicy('permit (principal, action, resource);')).toThrow(/needs an @id/);
    expect(() => compilePolicy(`${permit}\n${permit}`)).toThrow(/Two policies have the id p/);
  });
  it('refuses a policy that names an individual person', () => {
    expect(() => compilePolicy('@id("p") permit (principal == Person::"u0042", action, resource);')).toThrow(/names an individual person/);
  });
  it('refuses a file over the size limit', () => {
    expect(() => compilePolicy(`${permit}\n//${'x'.repeat(256 * 1024)}`)).toThrow(expect.objectContaining({ code: 'CUSTOS_POLICY_TOO_LARGE' }));
  });
  it('knows which relations and attributes the policies read', () => {
    const c = compilePolicy(text);
    expect(c.relations).toEqual(['assigned', 'onOpenTicket', 'onThisTicket', 'colleague', 'vip']);
    expect(c.personAttributes).not.toBe('all');
    expect([...(c.personAttributes as Set<string>)]).not.toContain('manager');
  });
  it('forbid wins over a permit, and nothing is allowed by default', () => {
    const e = createPolicyEngine(`${permit}\n@id("f") forbid (principal, action, resource) when { principal.employment == "outsourced" };`);
    const teller = { ...agent, role: 'teller' };
    expect(e.decide({ person: teller, context: ctx, action: 'view', resource: 'customers' })).toMatchObject({ effect: 'allow', policies: ['p'] });
    expect(e.decide({ person: { ...teller, employment: 'outsourced' }, context: ctx, action: 'view', resource: 'customers' })).toMatchObject({ effect: 'deny', policies: ['f'] });
    expect(e.decide({ person: agent, context: ctx, action: 'view', resource: 'customers' })).toMatchObject({ effect: 'deny', policies: [], reasons: ['no policy allows it (deny by default)'] });
  });
});
