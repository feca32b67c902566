import { randomBytes } from 'node:crypto';

/** The source of time. Injected so tests and the simulator can replay time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to (tests, simulation). */
export function manualClock(start: Date): Clock & { advance(ms: number): void; set(d: Date): void } {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (d) => {
      t = d.getTime();
    },
  };
}

/** The source of ids. Injected for the same reason as the clock. */
export interface IdSource {
  /** A new unique id with the given prefix, e.g. `e-01HZX…`. */
  next(prefix: string): string;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Time-ordered ids (ULID layout: 48-bit ms time + 80 random bits, Crockford base32). */
export function ulidSource(clock: Clock = systemClock): IdSource {
  return {
    next(prefix) {
      let t = clock.now().getTime();
      let time = '';
      for (let i = 0; i < 10; i++) {
        time = CROCKFORD[t % 32]! + time;
        t = Math.floor(t / 32);
      }
      const rnd = randomBytes(16);
      let r = '';
      for (let i = 0; i < 16; i++) r += CROCKFORD[rnd[i]! & 31]!;
      return `${prefix}-${time}${r}`;
    },
  };
}
