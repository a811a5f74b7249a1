import { DatabaseError, type Pool, type PoolClient } from 'pg';

/**
 * Runs `work` on a client checked out of node-postgres's pool, for code that talks to the pool
 * directly rather than through TypeORM. While checked out a client has no error listener of the
 * pool's (pg-pool removes its idle listener), and a socket reset there (the database restarting,
 * a network cut) emits an 'error' event that, unheard, ends the process: TypeORM's query runner
 * listens for the same reason. The query in flight fails with the error anyway. A client whose
 * connection broke leaves the pool; after an error the server reported, it goes back clean.
 */
export async function withCheckedOutClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } catch (error) {
    if (!(error instanceof DatabaseError)) broken ??= error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
