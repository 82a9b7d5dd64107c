/**
 * Reads of single instances by id, coalesced: while `maxInFlight` queries are out, further reads
 * wait and then go together in one `WHERE id IN (...)` query. A read is always sent after it is
 * asked for, so it sees every write that completed before; alone, it is sent at once (no delay).
 * On a server database every query is a round trip and a socket write: the engine's read before
 * each decision is the commonest one.
 */

interface Waiting<R> {
  id: string;
  resolve: (row: R | undefined) => void;
  reject: (error: unknown) => void;
}

/** Coalesces reads by id into batch queries. */
export class ReadCoalescer<R> {
  private queue: Array<Waiting<R>> = [];
  private inFlight = 0;

  constructor(
    /** Rows of `ids` (distinct), by id; missing ids have no row. */
    private readonly fetch: (ids: string[]) => Promise<Map<string, R>>,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 200,
  ) {}

  /** The row of `id`, or undefined. */
  get(id: string): Promise<R | undefined> {
    return new Promise<R | undefined>((resolve, reject) => {
      this.queue.push({ id, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.fetch([...new Set(batch.map((w) => w.id))]).then(
        (rows) => {
          for (const w of batch) w.resolve(rows.get(w.id));
        },
        (error: unknown) => {
          for (const w of batch) w.reject(error);
        },
      ).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }
}
