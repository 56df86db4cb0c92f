import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { Config } from '../config';

// A chat message is at most MESSAGE_MAX_LENGTH characters; nothing a client sends needs more.
const MAX_PACKET_BYTES = 256 * 1024;

/**
 * Socket.IO on the HTTP server; rooms are shared with other hub processes through Redis.
 * `subscriber` is a dedicated connection (Redis pub/sub takes it over); close it after the server.
 */
export function createSocketServer(
  httpServer: HttpServer,
  redis: { publisher: Redis; subscriber: Redis },
  config: Pick<Config, 'redisPrefix' | 'widgetOrigins'>,
): Server {
  return new Server(httpServer, {
    maxHttpBufferSize: MAX_PACKET_BYTES,
    cors: { origin: config.widgetOrigins },
    adapter: createAdapter(redis.publisher, redis.subscriber, { key: `${config.redisPrefix}:socket.io` }),
  });
}
