const KEPT_EXAMPLES = 20;

/** What can go wrong in a run; every kind fails the run. */
export type ErrorKind =
  | 'connectFailures'
  | 'disconnects'
  | 'failedAcks'
  | 'ackTimeouts'
  | 'unsentMessages'
  | 'lostMessages'
  | 'unexpectedDeliveries'
  | 'hubErrorLogLines'
  | 'hubExits';

/** Counts errors by kind and keeps the first few descriptions, so a report says exactly what happened. */
export class RunErrors {
  private readonly counts = new Map<ErrorKind, number>();
  private readonly examples: string[] = [];

  add(kind: ErrorKind, description: string, count = 1): void {
    if (count <= 0) return;
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + count);
    if (this.examples.length < KEPT_EXAMPLES) this.examples.push(`${kind}: ${description}`);
  }

  count(kind: ErrorKind): number {
    return this.counts.get(kind) ?? 0;
  }

  get total(): number {
    return [...this.counts.values()].reduce((sum, count) => sum + count, 0);
  }

  toJSON(): { total: number; examples: string[] } & Partial<Record<ErrorKind, number>> {
    return { total: this.total, ...Object.fromEntries(this.counts), examples: [...this.examples] };
  }
}
