import { Readable } from 'node:stream';
import type Router from '@koa/router';
import { exportCustomersCsv, customerExportQuery } from '../../domain/customerCsv/exportCustomers';
import { customerImportQuery, importCustomersCsv, MAX_IMPORT_BYTES } from '../../domain/customerCsv/importCustomers';
import { HubError } from '../../domain/errors';
import { parseInput } from '../../domain/parseInput';
import { requireAgent } from '../agentAuth';
import type { HttpDeps } from '../deps';
import { rawBody } from '../requestBody';

export function customerCsvRoutes(router: Router, deps: HttpDeps): void {
  const auth = requireAgent(deps);
  const { db, settings } = deps.domain;

  router.post(
    '/api/customers/import',
    auth,
    async (ctx, next) => {
      // Refused before reading: a wrong upload may be 20 MB.
      if (ctx.is('text/csv') === false) throw new HubError('unsupported_media_type', 'Send the file as text/csv');
      await next();
    },
    rawBody(MAX_IMPORT_BYTES),
    async (ctx) => {
      const { dryRun } = parseInput(customerImportQuery, ctx.query);
      const file = { bytes: ctx.request.body as Buffer, charset: ctx.request.charset || undefined };
      ctx.body = await importCustomersCsv(db, settings, file, { dryRun });
    },
  );

  router.get('/api/customers/export', auth, async (ctx) => {
    const { tag } = parseInput(customerExportQuery, ctx.query);
    const csv = await exportCustomersCsv(db, { tag });
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', 'attachment; filename="customers.csv"');
    ctx.body = Readable.from(csv);
  });
}
