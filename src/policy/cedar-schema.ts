/**
 * The vocabulary policies are written in: the Cedar schema every policy file is validated against (a misspelt
 * attribute is an error with a "did you mean", not a silent deny), and the names the code uses for it.
 */

/** Relations of a record to the person looking at it, computed per record in plain code. */
export const RELATIONS = ['assigned', 'onOpenTicket', 'onThisTicket', 'colleague', 'vip', 'canary'] as const;
export type RelationName = (typeof RELATIONS)[number];

/** What a request stands on beyond the relation: nothing more, an approved access request, or a break-glass reason. */
export const BASES = ['none', 'approval', 'break_glass'] as const;
export type Basis = (typeof BASES)[number];

export const ACTIONS = ['view', 'reveal', 'export', 'read', 'break_glass', 'purpose', 'quota', 'administer'] as const;
export type PolicyAction = (typeof ACTIONS)[number];

/** The actions on a dataset and on a field (resource types of the schema). */
export const DATASET_ACTIONS: ReadonlySet<PolicyAction> = new Set(['view', 'read', 'break_glass', 'quota', 'administer']);
export const FIELD_ACTIONS: ReadonlySet<PolicyAction> = new Set(['reveal', 'export']);

export const CEDAR_SCHEMA = `
type Relation = {
  assigned: Bool, onOpenTicket: Bool, onThisTicket: Bool, colleague: Bool, vip: Bool, canary: Bool
};
type Ctx = {
  purpose: String, hasTicket: Bool, hour: Long, device: String, session: String,
  basis: String, reason: Bool, relation: Relation
};
entity Person = {
  role: String, department: String, employment: String, manager: String,
  leaving: Bool, daysToLeaving: Long, risk: String
};
entity Dataset = { name: String };
entity Field in [Dataset] = {
  dataset: String, name: String, piiType: String, category: String, level: Long, sensitive: Bool
};
entity Purpose = { name: String };
action view, read, break_glass, quota, administer appliesTo { principal: Person, resource: Dataset, context: Ctx };
action reveal, export appliesTo { principal: Person, resource: Field, context: Ctx };
action purpose appliesTo { principal: Person, resource: Purpose, context: Ctx };
`;
