/**
 * What a server asks of the policy: grants and single decisions, asynchronously, because in a server they are
 * decided in a separate decision process (decision-process.ts) that a failure of the policy engine cannot take
 * down with it. `inlineDecider` answers from an engine in this process (the CLI, tests, benches).
 */
import type { Grant } from './grant.js';
import type { PolicyEngine } from './policy-engine.js';
import type { CompiledPolicy } from './policy-source.js';
import type { Decision, PersonAttributes, PolicyRequest, RequestContext } from './policy-types.js';

export interface PolicyDecider {
  readonly compiled: CompiledPolicy;
  /** The grant for a person and context (cached: a hit is answered without the engine). */
  grantFor(person: PersonAttributes, context: RequestContext): Promise<Grant>;
  /** The grant for a context with no stated purpose (see PolicyEngine.defaultGrant). */
  defaultGrant(person: PersonAttributes, context: RequestContext): Promise<Grant>;
  /** One decision straight from the engine (rare paths: break-glass, explanations). */
  decide(request: PolicyRequest): Promise<Decision>;
}

/**
 * A decider over an engine in this process.
 *
 * @example
 * const decider = inlineDecider(createPolicyEngine(text));
 * const grant = await decider.grantFor(person, context);
 */
export function inlineDecider(engine: PolicyEngine): PolicyDecider {
  // The Promise constructor turns the engine's throw into a rejection, as from the decision process.
  const later = <T>(step: () => T): Promise<T> => new Promise<T>((resolve) => resolve(step()));
  return {
    compiled: engine.compiled,
    grantFor: (person, context) => later(() => engine.grantFor(person, context)),
    defaultGrant: (person, context) => later(() => engine.defaultGrant(person, context)),
    decide: (request) => later(() => engine.decide(request)),
  };
}
