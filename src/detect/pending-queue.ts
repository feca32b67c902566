import type { PersonState } from './person-state.js';

/**
 * Lookups waiting for their ticket grace to pass, in the order they were made (so by due time): a ring
 * buffer of parallel arrays, which a replay of millions of lookups fills and drains without allocating an
 * object per lookup. Grows when full; holds at most the grace period's lookups.
 */
export class PendingQueue {
  private cap = 1024;
  private head = 0;
  private size = 0;
  private due: Float64Array = new Float64Array(this.cap);
  private at: Float64Array = new Float64Array(this.cap);
  private cats: Int32Array = new Int32Array(this.cap);
  private slot: Int32Array = new Int32Array(this.cap);
  private late: Uint8Array = new Uint8Array(this.cap);
  private person: (PersonState | undefined)[] = new Array<PersonState | undefined>(this.cap);
  private subject: (string | undefined)[] = new Array<string | undefined>(this.cap);
  private event: (string | undefined)[] = new Array<string | undefined>(this.cap);
  private revealed: (readonly string[] | undefined)[] = new Array<readonly string[] | undefined>(this.cap);

  get length(): number {
    return this.size;
  }

  push(due: number, at: number, person: PersonState, subject: string, cats: number, event: string, slot: number, revealed: readonly string[] | undefined, late = true): void {
    if (this.size === this.cap) this.grow();
    const i = (this.head + this.size) % this.cap;
    this.due[i] = due;
    this.at[i] = at;
    this.cats[i] = cats;
    this.slot[i] = slot;
    this.late[i] = late ? 1 : 0;
    this.person[i] = person;
    this.subject[i] = subject;
    this.event[i] = event;
    this.revealed[i] = revealed;
    this.size++;
  }

  /** Due time of the oldest lookup, or Infinity when empty. */
  nextDue(): number {
    return this.size === 0 ? Infinity : this.due[this.head]!;
  }

  /** Removes the oldest lookup and returns it in `into` (reused by the caller). */
  shift(into: PendingLookup): PendingLookup {
    const i = this.head;
    into.due = this.due[i]!;
    into.at = this.at[i]!;
    into.cats = this.cats[i]!;
    into.slot = this.slot[i]!;
    into.late = this.late[i] === 1;
    into.person = this.person[i]!;
    into.subject = this.subject[i]!;
    into.event = this.event[i]!;
    into.revealed = this.revealed[i];
    this.person[i] = undefined;
    this.subject[i] = undefined;
    this.event[i] = undefined;
    this.revealed[i] = undefined;
    this.head = (i + 1) % this.cap;
    this.size--;
    return into;
  }

  private grow(): void {
    const cap = this.cap * 2;
    const order = (k: number): number => (this.head + k) % this.cap;
    const typed = <T extends Float64Array | Int32Array | Uint8Array>(a: T, b: T): T => {
      for (let k = 0; k < this.size; k++) b[k] = a[order(k)]!;
      return b;
    };
    const arr = <T>(a: T[]): T[] => {
      const b = new Array<T>(cap);
      for (let k = 0; k < this.size; k++) b[k] = a[order(k)]!;
      return b;
    };
    this.due = typed(this.due, new Float64Array(cap));
    this.at = typed(this.at, new Float64Array(cap));
    this.cats = typed(this.cats, new Int32Array(cap));
    this.slot = typed(this.slot, new Int32Array(cap));
    this.late = typed(this.late, new Uint8Array(cap));
    this.person = arr(this.person);
    this.subject = arr(this.subject);
    this.event = arr(this.event);
    this.revealed = arr(this.revealed);
    this.head = 0;
    this.cap = cap;
  }
}

/** One lookup taken off the queue. */
export interface PendingLookup {
  due: number;
  at: number;
  cats: number;
  slot: number;
  person: PersonState | undefined;
  subject: string;
  event: string;
  revealed: readonly string[] | undefined;
  /** Whether a ticket opened later may still explain it (false when the org said it never can). */
  late: boolean;
}
