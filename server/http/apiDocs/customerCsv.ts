import { customerExportQuery } from '../../domain/customerCsv/exportCustomers';
import { customerImportQuery } from '../../domain/customerCsv/importCustomers';
import { MAX_IMPORT_ROWS } from '../../domain/customerCsv/readRows';
import { type ApiSection, errors, json, object, queryParameters, ref, secured } from './parts';

const COLUMNS =
  'Columns (header row required, any order and case): name, email, phone, external_id, tags (separated by ";"), ' +
  'and attr.<key> per attribute. An attribute cell that is a JSON number, boolean, object, array or string literal ' +
  'is that value, anything else is text. Empty cells change nothing. Each row needs an email, phone or external_id, ' +
  'and names the customer to create or update (upsert). A cell starting with \' followed by = + - or @ loses the \'.';

const count = { type: 'integer', minimum: 0 };

/** Customers in and out as CSV. */
export const customerCsvApi: ApiSection = {
  schemas: {
    CsvRowError: object(
      {
        row: { type: 'integer', minimum: 1, description: 'The data row, counted from 1 after the header' },
        line: { type: 'integer', minimum: 2, description: 'The line of the file the row starts on' },
        column: { type: 'string' },
        code: {
          type: 'string',
          examples: ['invalid_email', 'invalid_phone', 'validation_failed', 'identity_conflict', 'identity_missing', 'identity_repeated', 'cell_count_mismatch'],
        },
        message: { type: 'string' },
      },
      ['row', 'line', 'code', 'message'],
    ),
    CsvImportDryRun: object({
      dryRun: { const: true },
      rows: count,
      valid: count,
      errors: { type: 'array', items: ref('CsvRowError') },
      wouldCreate: count,
      wouldUpdate: count,
    }),
    CsvImport: object({ dryRun: { const: false }, rows: count, created: count, updated: count }),
  },
  paths: {
    '/api/customers/import': {
      post: {
        summary: 'Create or update customers from a CSV file: all rows or none',
        description:
          `${COLUMNS} Charset: the one named in Content-Type, else the byte order mark (UTF-8, UTF-16), else UTF-8 ` +
          `when the bytes are valid UTF-8, else GB18030 (GBK). At most 20 MB and ${MAX_IMPORT_ROWS} rows. A file that ` +
          'cannot be read (encoding, quoting, header) is 422 csv_invalid with details.problems; rows with problems make ' +
          'it 422 csv_invalid with details.errors (CsvRowError) and nothing is written. dryRun=true reports the same ' +
          'errors, identity conflicts with existing customers included, and writes nothing.',
        ...secured,
        parameters: queryParameters(customerImportQuery),
        requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
        responses: {
          200: { description: 'Imported, or the dry run', content: json({ oneOf: [ref('CsvImport'), ref('CsvImportDryRun')] }) },
          ...errors(400, 401, 413, 415, 422),
        },
      },
    },
    '/api/customers/export': {
      get: {
        summary: 'Every customer an import can find again (email, phone or external id), as CSV',
        description:
          'UTF-8 with a BOM, CRLF, RFC 4180 quoting; the import columns, one attr.<key> column per attribute key present, ' +
          'sorted. Merged and erased customers are left out. Cells starting with = + - or @ get a leading \'. ' +
          'Importing the file back changes nothing.',
        ...secured,
        parameters: queryParameters(customerExportQuery),
        responses: {
          200: {
            description: 'customers.csv',
            content: { 'text/csv': { schema: { type: 'string' } } },
            headers: { 'Content-Disposition': { schema: { type: 'string', examples: ['attachment; filename="customers.csv"'] } } },
          },
          ...errors(400, 401),
        },
      },
    },
  },
};
