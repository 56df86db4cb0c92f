// A few of each kind, so a flood of one (every visitor timing out) cannot hide another (the hub's exit).
const EXAMPLES_PER_KIND = 3;

/** What can go wrong in a run; every kind fails the run. */
export type ErrorKind =
  | 'connectFailures'
  | 'disconnects'
  | 'failedAcks'
  | 'missingAcks'
  | 'unsentMessages'
  | 'lostMessages'
  | 'unexpectedDeliveries'
  | 'hubErrorLogLines'
  | 'hubExits';

/** Counts errors by kind and keeps the first few descriptions, so a report says exactly what happened. */
export class RunErrors {
  private readonly counts = new Map<ErrorKind, number>();
  private readonly examples = new Map<ErrorKind, string[]>();

  add(kind: ErrorKind, description: string, count = 1): void {
    if (count <= 0) return;
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + count);
    const examples = this.examples.get(kind) ?? [];
    if (examples.length < EXAMPLES_PER_KIND) this.examples.set(kind, [...examples, description]);
  }

  get total(): number {
    return [...this.counts.values()].reduce((sum, count) => sum + count, 0);
  }

  toJSON(): { total: number; examples: string[] } & Partial<Record<ErrorKind, number>> {
    const examples = [...this.examples].flatMap(([kind, descriptions]) => descriptions.map((description) => `${kind}: ${description}`));
    return { total: this.total, ...Object.fromEntries(this.counts), examples };
  }
}
