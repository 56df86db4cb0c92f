import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Database } from './db/database';
import { migrate } from './db/migrate';
import { openDatabase } from './db/open';
import { ensureFirstAdmin } from './domain/agents';
import { type DomainContext, domainSettings } from './domain/context';
import { createHttpApp } from './http/app';
import { InFlight } from './inFlight';
import { serveAgents } from './realtime/agentsNamespace';
import { createQueueInspector } from './operations/queueInspector';
import { createQueues } from './queues';
import { createPublisher } from './realtime/publisher';
import { createSocketServer } from './realtime/socketServer';
import { serveWidget } from './realtime/widgetNamespace';
import { connectRedis, type RedisTarget } from './redis/connect';
import { startEmbeddedRedis } from './redis/embeddedRedis';
import { startInboundSmtp } from './channels/email/smtpServer';
import { startWorkers } from '../workers/startWorkers';

export type Hub = {
  /** The address it listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  /** The port the inbound SMTP server listens on. */
  smtpPort: number;
  db: Database;
  domain: DomainContext;
  /** The HTTP request handler (Koa), for tests that need no port. */
  handler: (req: IncomingMessage, res: ServerResponse) => unknown;
  /** Stops accepting, finishes in-flight work, closes connections. */
  close: () => Promise<void>;
};

/**
 * Starts the hub's server: storage (migrated), Redis, HTTP and Socket.IO on one port, the SMTP
 * server on another, and, with `workers`, the queue processors in the same process.
 */
export async function startHub(config: Config, log: Logger, options: { workers: boolean }): Promise<Hub> {
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const embeddedRedis = config.redisUrl ? undefined : await startEmbeddedRedis(config.dataDir, log);
    if (embeddedRedis) cleanup.unshift(embeddedRedis.stop);
    const redisTarget: RedisTarget = config.redisUrl ? { url: config.redisUrl } : { path: embeddedRedis!.path };

    const db = await openDatabase(config);
    cleanup.unshift(() => db.close());
    const applied = await migrate(db);
    if (applied.length) log.info({ versions: applied, database: db.kind }, 'applied migrations');
    const admin = await ensureFirstAdmin(db, { email: config.adminEmail, password: config.adminPassword });
    if (admin?.generatedPassword) {
      log.warn(
        { email: admin.agent.email, generatedPassword: admin.generatedPassword },
        'created the first admin agent with a generated password, shown only this once (set ADMIN_PASSWORD to choose one)',
      );
    } else if (admin) log.info({ email: admin.agent.email }, 'created the first admin agent');

    const publisher = connectRedis(redisTarget);
    const subscriber = publisher.duplicate();
    const queueConnection = connectRedis(redisTarget, { maxRetriesPerRequest: null });
    const redisClients = [publisher, subscriber, queueConnection];
    for (const client of redisClients) client.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
    cleanup.unshift(async () => {
      for (const client of redisClients) client.disconnect();
    });
    const queues = createQueues(queueConnection, config);
    cleanup.unshift(queues.close);
    const queueInspector = createQueueInspector(queueConnection, config.redisPrefix);
    cleanup.unshift(queueInspector.close);

    let handleRequest: (req: IncomingMessage, res: ServerResponse) => unknown = (_req, res) => res.writeHead(503).end();
    const httpServer = createServer((req, res) => handleRequest(req, res));
    const io = createSocketServer(httpServer, { publisher, subscriber }, config);
    const inFlight = new InFlight();
    const domain: DomainContext = {
      db,
      publish: createPublisher(io),
      queues: queues.producers,
      now: () => new Date(),
      settings: domainSettings(config),
    };
    const realtimeDeps = {
      domain,
      log,
      inFlight,
      secretKey: config.secretKey,
      widgetIdentitySecret: config.crm.widgetIdentitySecret,
      redis: publisher,
      redisPrefix: config.redisPrefix,
    };
    serveWidget(io.of('/widget'), realtimeDeps);
    const agentsNamespace = serveAgents(io.of('/agents'), realtimeDeps);
    cleanup.unshift(agentsNamespace.close);
    const app = createHttpApp(
      {
        domain,
        log,
        secretKey: config.secretKey,
        email: config.email,
        crm: config.crm,
        intentModels: { configuredFile: config.workers.intentModelFile, dataDir: config.dataDir },
        dataDir: config.dataDir,
        redis: publisher,
        redisPrefix: config.redisPrefix,
        operations: { queues: queueInspector, metricsToken: config.metricsToken },
        readiness: { database: () => db.query('SELECT 1'), redis: () => publisher.ping() },
      },
      { publicUrl: config.publicUrl, trustProxy: config.trustProxy },
    );
    handleRequest = app.callback();
    const smtp = await startInboundSmtp({ domain, email: config.email, log, redis: publisher, redisPrefix: config.redisPrefix, inFlight });
    cleanup.unshift(smtp.close);
    if (options.workers) {
      const workers = await startWorkers(config, log, { db, redis: redisTarget });
      cleanup.unshift(workers.close);
    }

    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => resolve());
    });
    const { port } = httpServer.address() as AddressInfo;
    const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    log.info({ url, database: db.kind, redis: 'url' in redisTarget ? 'external' : 'embedded' }, 'hub listening');

    const close = async () => {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      // io.close() disconnects every socket; handlers already running go on and are awaited below.
      void io.close();
      const smtpClosed = smtp.close();
      await Promise.all([closed, smtpClosed, inFlight.drain()]);
      // Then workers finish their jobs, then the connections close (cleanup runs newest first).
      for (const step of cleanup) await step();
    };
    return { url, smtpPort: smtp.port, db, domain, handler: handleRequest, close };
  } catch (error) {
    for (const step of cleanup) await step().catch(() => undefined);
    throw error;
  }
}
