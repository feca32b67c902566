/**
 * The decision process: a child process that runs the policy engine (Cedar, in WebAssembly) for a server. It
 * answers grant, decision and test-run requests over the IPC channel. Running the engine here means a fatal error
 * inside it (Node 20's V8 has died in its deoptimizer on Cedar's tight loops) ends this process, not the gateway;
 * the parent answers the requests in flight with a refusal and starts a new one (decision-process.ts).
 *
 * Started by decision-process.ts only; it exits when its parent goes away.
 */
import { CustosError } from '../core/errors.js';
import { demoFields } from './field-attributes.js';
import { createPolicyEngine, type PolicyEngine } from './policy-engine.js';
import { compilePolicy } from './policy-source.js';
import { runPolicyTests } from './policy-tests.js';
import type { DecisionReply, DecisionRequest } from './decision-protocol.js';

const MAX_ENGINES = 4;
const engines = new Map<string, PolicyEngine>();

/** The engine of a policy text and dataset: compiled once (tens of ms), then found by the text itself. */
function engineFor(req: Extract<DecisionRequest, { fields: unknown }>): PolicyEngine {
  const key = `${req.dataset}\u0000${req.policy}`;
  let engine = engines.get(key);
  if (engine === undefined) {
    if (engines.size >= MAX_ENGINES) engines.delete(engines.keys().next().value!);
    engine = createPolicyEngine(compilePolicy(req.policy), { fields: req.fields, dataset: req.dataset });
    engines.set(key, engine);
  }
  return engine;
}

function answer(req: DecisionRequest): unknown {
  switch (req.op) {
    case 'grant':
      return engineFor(req).grantFor(req.person, req.context);
    case 'default':
      return engineFor(req).defaultGrant(req.person, req.context);
    case 'decide':
      return engineFor(req).decide(req.request);
    case 'tests':
      // The shipped cases speak of the demo company's fields, whatever the deployment's table holds.
      return runPolicyTests(createPolicyEngine(req.policy, { fields: demoFields() }), req.tests);
    case 'ping':
      return 'pong';
  }
}

process.on('message', (req: DecisionRequest) => {
  let reply: DecisionReply;
  try {
    reply = { id: req.id, ok: true, value: answer(req) };
  } catch (e) {
    // Only the error's code and message go back (they carry ids and policy words, never personal data).
    reply = e instanceof CustosError ? { id: req.id, ok: false, code: e.code, status: e.status, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) } : { id: req.id, ok: false, code: 'CUSTOS_POLICY_UNAVAILABLE', status: 503, message: 'The policy engine failed on this request.' };
  }
  process.send?.(reply);
});
process.on('disconnect', () => process.exit(0));
