/**
 * The server's side of the decision process (decision-child.ts): starts it, numbers the requests, and fails
 * closed. If the process dies (a fatal error in the engine, an out-of-memory kill), every request in flight is
 * retried once on a new process, and refused with CUSTOS_POLICY_UNAVAILABLE (503) if that fails too; nothing is
 * shown on a refusal. The gateway keeps its own grant cache (processDecider), so a warm view never crosses the
 * process boundary; only a grant's first computation does (one message, a few hundred Cedar decisions).
 *
 * The child runs without TurboFan (--no-opt): the engine's time is in WebAssembly, so this costs ~10 % of a grant,
 * and it avoids the V8 deoptimizer path that failed on Node 20.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { CustosError } from '../core/errors.js';
import { inputKey } from './cedar-engine.js';
import type { PolicyDecider } from './decider.js';
import type { DecisionCall, DecisionReply } from './decision-protocol.js';
import type { Grant } from './grant.js';
import { checkRequestShape } from './policy-engine.js';
import { compilePolicy, type CompiledPolicy } from './policy-source.js';
import type { Decision, FieldAttributes, PersonAttributes, PolicyRequest, RequestContext } from './policy-types.js';

export interface DecisionProcessOptions {
  /**
   * How long the process may go without answering while requests wait before it is considered hung and restarted
   * (default 60 s). It answers in order, so this is the time the oldest waiting request has had.
   */
  readonly timeoutMs?: number;
  /**
   * After 3 unexpected ends within a minute, requests are refused at once (no new process) for this long, doubling
   * at each further run of crashes up to 5 minutes; an answer resets it (default 5 s).
   */
  readonly crashBackoffMs?: number;
  /** Heap limit of the process in MiB (default 512). */
  readonly maxHeapMiB?: number;
  /** Called when the process ends unexpectedly (exit code or signal only). */
  readonly onCrash?: (info: { readonly code: number | null; readonly signal: string | null }) => void;
}

export interface DecisionProcess {
  /** Sends a request; resolves with the child's answer, or rejects with a CustosError. */
  call<T>(request: DecisionCall): Promise<T>;
  /** Processes started and ended unexpectedly so far. */
  stats(): { readonly started: number; readonly crashes: number; readonly pid: number | undefined };
  close(): Promise<void>;
}

const unavailable = (): CustosError =>
  new CustosError('CUSTOS_POLICY_UNAVAILABLE', 503, 'The access policy could not decide, so nothing is shown. Try again; if it persists, an administrator should check the policy engine.');

/** The child's entry and the Node options to start it (from TypeScript sources under tsx or vitest, or from dist). */
function childEntry(maxHeapMiB: number): { file: URL; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const execArgv = ['--no-opt', `--max-old-space-size=${maxHeapMiB}`];
  if (fromSource) execArgv.unshift('--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href);
  return { file: new URL(fromSource ? './decision-child.ts' : './decision-child.js', import.meta.url), execArgv };
}

interface Pending {
  readonly request: DecisionCall;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  /** Sent to a process that then died once already. */
  retried: boolean;
}

const CRASHES_TO_BACK_OFF = 3;
const CRASH_WINDOW_MS = 60_000;
const MAX_BACKOFF_MS = 300_000;

/**
 * Starts the decision process on first use.
 *
 * @example
 * const proc = createDecisionProcess();
 * const decider = processDecider(proc, compilePolicy(text), { fields, dataset: 'customers' });
 * const grant = await decider.grantFor(person, context);
 */
export function createDecisionProcess(options: DecisionProcessOptions = {}): DecisionProcess {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const firstBackoffMs = options.crashBackoffMs ?? 5_000;
  const { file, execArgv } = childEntry(options.maxHeapMiB ?? 512);
  const pending = new Map<number, Pending>();
  let child: ChildProcess | undefined;
  let nextId = 1;
  let started = 0;
  let crashes = 0;
  let closed = false;
  let watchdog: NodeJS.Timeout | undefined;
  const recentCrashes: number[] = [];
  let backoffMs = firstBackoffMs;
  let downUntil = 0;

  /** Restarts the no-progress clock: a process that answers nothing for timeoutMs while requests wait is hung. */
  function arm(): void {
    if (watchdog !== undefined) clearTimeout(watchdog);
    watchdog = undefined;
    const c = child;
    if (pending.size === 0 || c === undefined) return;
    // A hung engine: end the process; its requests are retried or refused by lost().
    watchdog = setTimeout(() => c.kill('SIGKILL'), timeoutMs);
    watchdog.unref();
  }

  function settle(id: number): Pending | undefined {
    const p = pending.get(id);
    if (p === undefined) return undefined;
    pending.delete(id);
    // An idle channel does not keep the server's process alive.
    if (pending.size === 0) child?.channel?.unref();
    return p;
  }

  function onReply(reply: DecisionReply): void {
    const p = settle(reply.id);
    if (p === undefined) return;
    backoffMs = firstBackoffMs;
    arm();
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new CustosError(reply.code, reply.status, reply.message, reply.details));
  }

  /** The process died or hung: requests sent once are sent again to a new one, the rest are refused. */
  function lost(dead: ChildProcess): void {
    if (child !== dead) return;
    child = undefined;
    arm();
    const again: [number, Pending][] = [];
    for (const [id, p] of [...pending]) {
      pending.delete(id);
      if (p.retried || closed) p.reject(unavailable());
      else again.push([id, p]);
    }
    for (const [, p] of again) {
      p.retried = true;
      send(p);
    }
  }

  function start(): ChildProcess {
    const c = fork(file, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    started++;
    c.on('message', (m) => onReply(m as DecisionReply));
    c.on('exit', (code, signal) => {
      if (!closed) {
        crashes++;
        options.onCrash?.({ code, signal });
        // Crashing over and over (a process that cannot start, a poisoned input): stop starting processes a while.
        const now = Date.now();
        recentCrashes.push(now);
        while (recentCrashes.length > 0 && recentCrashes[0]! < now - CRASH_WINDOW_MS) recentCrashes.shift();
        if (recentCrashes.length >= CRASHES_TO_BACK_OFF) {
          recentCrashes.length = 0;
          downUntil = now + backoffMs;
          backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
      }
      lost(c);
    });
    c.on('error', () => {
      c.kill('SIGKILL');
      lost(c);
    });
    c.unref();
    return c;
  }

  function send(p: Pending): void {
    if (closed || (child === undefined && Date.now() < downUntil)) return p.reject(unavailable());
    const c = (child ??= start());
    const id = nextId++;
    pending.set(id, p);
    c.channel?.ref();
    if (watchdog === undefined) arm();
    c.send({ ...p.request, id }, (err) => {
      // The channel is gone (the process is dying): its exit retries or refuses what was sent to it.
      if (err !== null && err !== undefined) c.kill('SIGKILL');
    });
  }

  return {
    call<T>(request: DecisionCall): Promise<T> {
      return new Promise<T>((resolve, reject) => send({ request, resolve: resolve as (v: unknown) => void, reject, retried: false }));
    },
    stats: () => ({ started, crashes, pid: child?.pid }),
    async close() {
      closed = true;
      if (watchdog !== undefined) clearTimeout(watchdog);
      const c = child;
      child = undefined;
      for (const id of [...pending.keys()]) settle(id)?.reject(unavailable());
      if (c !== undefined && c.exitCode === null && c.signalCode === null) {
        const ended = new Promise<void>((r) => c.once('exit', () => r()));
        // Held until it has gone (an unreferenced child would let an otherwise idle caller exit mid-close).
        c.ref();
        c.kill();
        await ended;
      }
    },
  };
}

export interface ProcessDeciderOptions {
  readonly fields: readonly FieldAttributes[];
  readonly dataset: string;
  /** Grants kept (the oldest computed dropped first). */
  readonly maxGrants?: number;
}

/**
 * A decider for one policy version whose engine runs in the decision process. Grants are cached here by the same
 * key as the engine's own cache (the attribute values the policies read, and the purpose), and concurrent misses
 * for one key share one request.
 */
export function processDecider(proc: DecisionProcess, policy: string | CompiledPolicy, options: ProcessDeciderOptions): PolicyDecider {
  const compiled = typeof policy === 'string' ? compilePolicy(policy) : policy;
  const maxGrants = options.maxGrants ?? 10_000;
  const scope = { policy: compiled.text, fields: options.fields, dataset: options.dataset };
  const grants = new Map<string, Grant | Promise<Grant>>();

  function cached(key: string, op: 'grant' | 'default', person: PersonAttributes, context: RequestContext): Promise<Grant> {
    const hit = grants.get(key);
    if (hit !== undefined) return hit instanceof Promise ? hit : Promise.resolve(hit);
    try {
      checkRequestShape(person, context);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    const made = proc.call<Grant>({ op, ...scope, person, context }).then(
      (g) => {
        if (grants.get(key) === made) grants.set(key, g);
        return g;
      },
      (e: unknown) => {
        if (grants.get(key) === made) grants.delete(key);
        throw e;
      },
    );
    if (grants.size >= maxGrants) grants.delete(grants.keys().next().value!);
    grants.set(key, made);
    return made;
  }

  return {
    compiled,
    grantFor: (person, context) => cached(`${inputKey(compiled, person, context)}\u0002${context.purpose}`, 'grant', person, context),
    defaultGrant: (person, context) => cached(`${inputKey(compiled, person, context)}\u0003`, 'default', person, context),
    decide: (request: PolicyRequest) => proc.call<Decision>({ op: 'decide', ...scope, request }),
  };
}
