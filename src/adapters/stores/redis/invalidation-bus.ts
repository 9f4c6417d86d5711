/**
 * Cache invalidations over Redis pub/sub: one channel, JSON messages. A Cluster forwards PUBLISH to
 * every node, so subscribers anywhere receive it.
 *
 * @module
 */
import type { Redis } from 'ioredis';
import type { InvalidationBus, InvalidationMessage } from '../../../ports/cache-invalidation.ts';
import { loggableError } from '../../../domain/loggable-error.ts';
import { silentLogger, type Logger } from '../../../ports/logger.ts';

export interface RedisInvalidationBusOptions {
  client: Redis;
  /** A connection in subscriber mode. */
  subscriber: Redis;
  channel: string;
  /** Where a message that cannot be read is reported (default: nowhere). */
  logger?: Logger;
}

export function createRedisInvalidationBus(options: RedisInvalidationBusOptions): InvalidationBus {
  const { client, subscriber, channel } = options;
  return {
    async publish(message) {
      await client.publish(channel, JSON.stringify(message));
    },
    async subscribe(handler, onMissed) {
      // ioredis subscribes again by itself after a reconnect; what was published meanwhile is gone.
      let broken = false;
      const onClose = () => void (broken = true);
      const onReady = () => {
        if (!broken) return;
        broken = false;
        onMissed();
      };
      subscriber.on('close', onClose);
      subscriber.on('ready', onReady);
      const onMessage = (from: string, text: string) => {
        if (from !== channel) return;
        try {
          handler(JSON.parse(text) as InvalidationMessage);
        } catch (error) {
          (options.logger ?? silentLogger).error('ignoring an invalidation message that is not valid JSON', { channel, err: loggableError(error) });
        }
      };
      subscriber.on('message', onMessage);
      await subscriber.subscribe(channel);
      return async () => {
        subscriber.off('message', onMessage);
        subscriber.off('close', onClose);
        subscriber.off('ready', onReady);
        await subscriber.unsubscribe(channel).catch(() => {});
      };
    },
  };
}
