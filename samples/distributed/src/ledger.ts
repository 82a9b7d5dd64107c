/**
 * The demo's view of the outside world, in PostgreSQL so that every process shares it: each
 * execution of an action is appended to `<prefix>executions`, and each side effect is written
 * once to `<prefix>effects`, keyed by the action's idempotency key, as a real integration
 * (payment gateway, warehouse) would dedupe a retried request.
 */
import pg from 'pg';

/** Shared side-effect ledger. */
export class Ledger {
  private readonly pool: pg.Pool;

  constructor(
    databaseUrl: string,
    private readonly prefix: string,
  ) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 4, application_name: 'wm-distributed-ledger' });
  }

  /** Create the tables; several processes starting together take turns (an advisory lock). */
  async init(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Concurrent CREATE TABLE IF NOT EXISTS of one name can fail in PostgreSQL: one at a time.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.prefix}ledger`]);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.prefix}executions (instance_id text NOT NULL, step text NOT NULL, attempt int NOT NULL, pid int NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.prefix}effects (key text PRIMARY KEY, action text NOT NULL, instance_id text NOT NULL, pid int NOT NULL)`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Note that `step` ran (every time it runs). */
  async executed(instanceId: string, step: string, attempt: number): Promise<void> {
    await this.pool.query(`INSERT INTO ${this.prefix}executions (instance_id, step, attempt, pid) VALUES ($1, $2, $3, $4)`, [instanceId, step, attempt, process.pid]);
  }

  /** Perform a side effect once per idempotency key; true when this call performed it. */
  async effect(key: string, action: string, instanceId: string): Promise<boolean> {
    const result = await this.pool.query(`INSERT INTO ${this.prefix}effects (key, action, instance_id, pid) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING`, [key, action, instanceId, process.pid]);
    return result.rowCount === 1;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
