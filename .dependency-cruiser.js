/** Architecture rules checked by `npm test` (npm run lint:boundaries). */
module.exports = {
  forbidden: [
    {
      name: 'domain-knows-no-transport',
      comment: 'The domain takes plain values and a context; HTTP, sockets and channels adapt to it, never the reverse.',
      severity: 'error',
      from: { path: '^server/domain/' },
      to: { path: ['^server/(http|realtime|channels)/', 'node_modules/(koa|@koa|socket\\.io|ioredis|bullmq)'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'workers-do-not-serve',
      comment: 'Workers reach consoles through Redis (the emitter), not by importing the HTTP or socket servers.',
      severity: 'error',
      from: { path: '^workers/' },
      to: { path: ['^server/http/', '^server/realtime/(socketServer|widgetNamespace|agentsNamespace|acks)'] },
    },
    {
      name: 'server-never-loads-the-classifier',
      comment: "natural takes ~1.4 s to import and loads ./.env: only workers and the train command load it, never the server's modules.",
      severity: 'error',
      from: { path: '^server/' },
      to: { path: ['^workers/classify/', 'node_modules/natural/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
