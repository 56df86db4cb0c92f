import { z } from 'zod';

/** Building blocks of the OpenAPI document, shared by each area's section. */
export type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, 'null'], ...extra });
export const dateTime = { type: 'string', format: 'date-time' };
export const object = (properties: Record<string, Schema>, required = Object.keys(properties)): Schema => ({
  type: 'object',
  properties,
  required,
});
export const page = (item: string): Schema =>
  object({ items: { type: 'array', items: ref(item) }, nextCursor: nullable('string') });
export const json = (schema: Schema) => ({ 'application/json': { schema } });
export const inputSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input' }) as Schema;

export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, { description: 'Error', content: json(ref('Error')) }]));

export const queryParameters = (schema: z.ZodObject) => {
  const jsonSchema = inputSchema(schema) as { properties: Record<string, Schema> };
  return Object.entries(jsonSchema.properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
};

export const idParameter = (description: string) => ({ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description });
export const secured = { security: [{ agentToken: [] }] };
export const ok = (description: string, schema: Schema) => ({ 200: { description, content: json(schema) } });


/** One area's part of the document: its component schemas and its paths. */
export type ApiSection = { schemas: Record<string, Schema>; paths: Record<string, Schema> };
