/**
 * Redis connections for erpfront's stores, configured to fail fast: while Redis is unreachable a
 * command is refused at once (no offline queue, one retry) instead of piling up, so reads fall
 * back to the in-process tier and orders are refused with a clear error rather than left hanging.
 * ioredis keeps reconnecting in the background.
 *
 * @module
 */
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';

export interface RedisConnectOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
  url: string;
  /** Shown by `CLIENT LIST` and in erpfront's logs: which part of erpfront this connection serves. */
  role: string;
  /** Longest wait for one command's reply (default 2,000 ms). */
  commandTimeoutMs?: number;
  /** How long to wait for the first connection (default 5,000 ms). */
  connectTimeoutMs?: number;
}

/**
 * Opens a connection and waits until it is ready.
 * @throws {Error} with code `REDIS_UNREACHABLE` when Redis does not answer in time
 */
export async function connectRedis(options: RedisConnectOptions): Promise<Redis> {
  const client = new Redis(options.url, {
    connectionName: `erpfront:${options.role}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    // Back off to one attempt a second: a restarted Redis is found again within a second.
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
  let down = false;
  client.on('error', (error: Error) => {
    // Once per outage, not once per reconnect attempt.
    if (!down) console.error(`erpfront: Redis (${options.role}) unreachable: ${error.message}; retrying`);
    down = true;
  });
  client.on('ready', () => {
    if (down) console.warn(`erpfront: Redis (${options.role}) reachable again`);
    down = false;
  });
  try {
    await waitReady(client, options.connectTimeoutMs ?? 5000);
  } catch (cause) {
    client.disconnect();
    throw Object.assign(
      new Error(`Redis at ${redactUrl(options.url)} did not answer within ${options.connectTimeoutMs ?? 5000} ms; is it running, and is REDIS_URL right?`, {
        cause,
      }),
      { code: 'REDIS_UNREACHABLE' },
    );
  }
  return client;
}

function waitReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`not ready after ${timeoutMs} ms (status ${client.status})`)), timeoutMs);
    const onReady = () => done();
    client.once('ready', onReady);
    function done(error?: Error) {
      clearTimeout(timer);
      client.off('ready', onReady);
      if (error) reject(error);
      else resolve();
    }
  });
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable REDIS_URL)';
  }
}

/** A Lua script run by its SHA (loaded on first use, and again after a Redis restart). */
export interface LuaScript {
  run(client: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown>;
}

/** Wraps `lua`; EVALSHA first, EVAL when Redis answers NOSCRIPT (a restart empties its script cache). */
export function luaScript(lua: string): LuaScript {
  const sha = createHash('sha1').update(lua).digest('hex');
  return {
    async run(client, keys, args) {
      try {
        return await client.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return client.eval(lua, keys.length, ...keys, ...args);
      }
    },
  };
}
