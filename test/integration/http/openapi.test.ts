import type Router from '@koa/router';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { createRouter } from '../../../server/http/app';
import { createLogger } from '../../../server/log';
import { createQueueInspector } from '../../../server/operations/queueInspector';
import { connectRedis } from '../../../server/redis/connect';
import { startTestHub, type TestHub } from '../../support/hub';

type Operation = { security?: Record<string, string[]>[]; parameters?: { name: string; in: string; required?: boolean }[]; responses: object };
type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

const OPERATION_KEYS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

let hub: TestHub;
let redis: Redis;
let router: Router;
let document: OpenApiDocument;

beforeAll(async () => {
  hub = await startTestHub({ INBOUND_EMAIL_API_KEY: 'openapi-test-key-0123456789' });
  // The router is only inspected, never called: this client never connects.
  redis = connectRedis({ url: hub.config.redisUrl! }, { lazyConnect: true });
  router = createRouter(
    {
      domain: hub.domain,
      secretKey: hub.config.secretKey,
      email: hub.config.email,
      crm: hub.config.crm,
      intentModels: { configuredFile: hub.config.workers.intentModelFile, dataDir: hub.config.dataDir },
      dataDir: hub.config.dataDir,
      redis,
      redisPrefix: hub.config.redisPrefix,
      operations: { queues: createQueueInspector(redis, hub.config.redisPrefix), metricsToken: undefined },
      log: createLogger(hub.config),
      readiness: { database: () => hub.db.query('SELECT 1'), redis: () => redis.ping() },
    },
    hub.config.publicUrl,
  );
  document = (await request(hub.handler).get('/api/openapi.json')).body;
});
afterAll(async () => {
  redis.disconnect();
  await hub.stop();
});

/** "METHOD /path/{param}" for every route the router registers (koa-router adds HEAD to each GET itself). */
function registeredRoutes(): string[] {
  return router.stack
    .flatMap((layer) =>
      layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`),
    )
    .sort();
}

function documentedOperations(): { route: string; method: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([key]) => OPERATION_KEYS.includes(key))
      .map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, method, path, operation })),
  );
}

const documentedRoutes = () => documentedOperations().map((operation) => operation.route).sort();

describe('GET /api/openapi.json', () => {
  it('serves an OpenAPI 3.1 document naming this hub as its server, without a token', async () => {
    const response = await request(hub.handler).get('/api/openapi.json');

    expect(response.status).toBe(200);
    expect(response.type).toBe('application/json');
    expect(response.body.openapi).toMatch(/^3\.1\.\d+$/);
    expect(response.body.info).toEqual(expect.objectContaining({ title: expect.any(String), version: expect.any(String) }));
    expect(response.body.servers).toEqual([{ url: hub.config.publicUrl }]);
  });

  it('is read from the router this test inspects', () => {
    expect(router.stack.every((layer) => typeof layer.path === 'string')).toBe(true);
    expect(registeredRoutes()).toEqual(expect.arrayContaining(['POST /api/auth/login', 'GET /api/conversations/{id}', 'GET /api/openapi.json']));
  });

  it('describes every route the router registers', () => {
    const undocumented = registeredRoutes().filter((route) => !documentedRoutes().includes(route));
    expect(undocumented).toEqual([]);
  });

  it('describes only routes the router registers', () => {
    const phantom = documentedRoutes().filter((route) => !registeredRoutes().includes(route));
    expect(phantom).toEqual([]);
  });

  it('declares every path parameter of every operation', () => {
    for (const { route, path, operation } of documentedOperations()) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
      expect({ route, declared: declared.map((parameter) => [parameter.name, parameter.required]) }).toEqual({
        route,
        declared: names.map((name) => [name, true]),
      });
    }
  });

  it('resolves every $ref and every security requirement inside the document', () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const name = /^"\$ref":"#\/components\/schemas\/(\w+)"$/.exec(ref)?.[1];
      expect({ ref, resolved: name !== undefined && name in document.components.schemas }).toEqual({ ref, resolved: true });
    }
    for (const { route, operation } of documentedOperations()) {
      for (const scheme of (operation.security ?? []).flatMap(Object.keys)) {
        expect({ route, scheme, defined: scheme in document.components.securitySchemes }).toEqual({ route, scheme, defined: true });
      }
    }
  });

  it('marks exactly the operations that answer 401 without a token as secured', async () => {
    for (const { route, method, path, operation } of documentedOperations()) {
      const response = await request(hub.handler)[method as 'get' | 'post'](path.replace(/\{\w+\}/g, 'x')).send({});
      const secured = (operation.security ?? []).length > 0;
      expect({ route, status: response.status === 401 ? 401 : 'not 401' }).toEqual({ route, status: secured ? 401 : 'not 401' });
    }
  });
});
