/**
 * quota: how much each person may see per day and per hour (distinct customers, and customers per legal
 * category shown unmasked), counted in Custos's store or, across replicas, in Redis.
 * Other capabilities import only from this file.
 */
export { createQuota, categoryOfField, parseQuotaRules, DEFAULT_QUOTAS, type Quota, type QuotaMeter, type ShownRecord, type QuotaOptions } from './quota-service.js';
export { sqlQuotaStore } from './sql-quota-store.js';
export { redisQuotaStore } from './redis-quota-store.js';
export type { QuotaRule, QuotaRules, QuotaStore, QuotaBucket, AdmitResult } from './quota-types.js';
