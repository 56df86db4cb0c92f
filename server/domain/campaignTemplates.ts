import { HubError } from './errors';

/**
 * Campaign templates: handlebars-style text with
 *   {{customer.firstName}}                    a variable (HTML-escaped in the html field)
 *   {{default customer.firstName "there"}}    the variable, or the fallback when it is empty
 *   {{#if customer.attributes.plan}}…{{else}}…{{/if}} and {{#unless …}}…{{/unless}}
 *   \{{                                       a literal "{{"
 * Every variable is checked when the template is parsed, so a typo is refused at save, not at send.
 */
export type TemplateField = 'subject' | 'html' | 'text';

export type CampaignTemplate = { field: TemplateField; nodes: readonly TemplateNode[] };

type TemplateNode =
  | { kind: 'text'; value: string }
  | { kind: 'variable'; path: readonly string[]; fallback: string | null }
  | { kind: 'if'; negate: boolean; path: readonly string[]; then: readonly TemplateNode[]; otherwise: readonly TemplateNode[] };

/** What a template is rendered with: the customer and the extras (unsubscribeUrl and any the sender adds). */
export type TemplateVariables = { readonly customer: Readonly<Record<string, unknown>>; readonly [name: string]: unknown };

/** The customer fields templates may use, besides customer.attributes.<key>. */
export const CUSTOMER_VARIABLES = ['id', 'name', 'firstName', 'lastName', 'email', 'phone'] as const;
/** Variables that are not the customer's; a caller may allow more (e.g. a survey link) when parsing. */
export const EXTRA_VARIABLES = ['unsubscribeUrl'] as const;

const MAX_SOURCE = { subject: 1_000, html: 500_000, text: 200_000 } as const;
const VARIABLE = /^[A-Za-z_][\w-]*(\.[\w-]+)*$/;

/** Parses and checks a template; broken syntax or an unknown variable is `invalid_template` with where it is. */
export function parseCampaignTemplate(source: string, field: TemplateField, options: { extraVariables?: readonly string[] } = {}): CampaignTemplate {
  const fail = (offset: number, message: string): never => {
    const before = source.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    throw new HubError('invalid_template', `${field}, line ${line}, column ${column}: ${message}`, { field, line, column });
  };
  if (source.length > MAX_SOURCE[field]) fail(0, `The ${field} is longer than ${MAX_SOURCE[field]} characters`);
  if (field === 'subject' && /[\r\n]/.test(source)) fail(source.search(/[\r\n]/), 'A subject is one line');
  const extras = new Set<string>([...EXTRA_VARIABLES, ...(options.extraVariables ?? [])]);

  const checkVariable = (name: string, offset: number): string[] => {
    if (!VARIABLE.test(name)) return fail(offset, `"${name.slice(0, 60)}" is not a variable name`);
    const path = name.split('.');
    const known =
      extras.has(name) ||
      (path[0] === 'customer' && path.length === 2 && (CUSTOMER_VARIABLES as readonly string[]).includes(path[1]!)) ||
      (path[0] === 'customer' && path[1] === 'attributes' && path.length >= 3);
    if (!known) {
      const hint = `customer.${CUSTOMER_VARIABLES.join(', customer.')}, customer.attributes.<key>, ${[...extras].join(', ')}`;
      fail(offset, `Unknown variable "${name}"; known: ${hint}`);
    }
    return path;
  };

  type Block = { negate: boolean; path: string[]; then: TemplateNode[]; otherwise: TemplateNode[]; inElse: boolean; offset: number; name: string };
  const root: TemplateNode[] = [];
  const open: Block[] = [];
  const output = () => {
    const block = open[open.length - 1];
    return block ? (block.inElse ? block.otherwise : block.then) : root;
  };
  const pushText = (value: string) => {
    if (value) output().push({ kind: 'text', value });
  };

  let position = 0;
  while (position < source.length) {
    const start = source.indexOf('{{', position);
    if (start === -1) {
      pushText(source.slice(position));
      break;
    }
    if (source[start - 1] === '\\') {
      pushText(`${source.slice(position, start - 1)}{{`);
      position = start + 2;
      continue;
    }
    pushText(source.slice(position, start));
    if (source[start + 2] === '{') fail(start, 'Triple braces (unescaped output) are not supported; use {{variable}}');
    const end = source.indexOf('}}', start + 2);
    if (end === -1) fail(start, 'This {{ is never closed with }}');
    const inner = source.slice(start + 2, end);
    const at = start + 2 + (inner.length - inner.trimStart().length);
    const tag = inner.trim();
    position = end + 2;

    if (tag === '') fail(start, 'Empty {{ }}');
    const blockOpen = /^#(if|unless)\s+(\S+)$/.exec(tag);
    if (blockOpen) {
      const path = checkVariable(blockOpen[2]!, at + tag.indexOf(blockOpen[2]!));
      open.push({ negate: blockOpen[1] === 'unless', path, then: [], otherwise: [], inElse: false, offset: start, name: blockOpen[1]! });
    } else if (tag.startsWith('#')) {
      fail(at, `Unknown block "${tag.split(/\s/)[0]}"; blocks are #if and #unless with one variable`);
    } else if (tag === 'else') {
      const block = open[open.length - 1];
      if (!block) fail(start, '{{else}} outside {{#if}}');
      if (block!.inElse) fail(start, `A second {{else}} in one {{#${block!.name}}}`);
      block!.inElse = true;
    } else if (tag.startsWith('/')) {
      const block = open.pop();
      const name = tag.slice(1).trim();
      if (!block) fail(start, `{{/${name}}} closes no block`);
      if (block!.name !== name) fail(start, `{{/${name}}} closes {{#${block!.name}}}; expected {{/${block!.name}}}`);
      output().push({ kind: 'if', negate: block!.negate, path: block!.path, then: block!.then, otherwise: block!.otherwise });
    } else if (/^default\s/.test(tag)) {
      const helper = /^default\s+(\S+)\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')$/.exec(tag);
      if (!helper) fail(at, 'Write a default as {{default customer.firstName "there"}}');
      const path = checkVariable(helper![1]!, at + tag.indexOf(helper![1]!));
      const fallback = helper![2]!.slice(1, -1).replace(/\\(.)/g, '$1');
      output().push({ kind: 'variable', path, fallback });
    } else if (/\s/.test(tag)) {
      fail(at, `"${tag.slice(0, 60)}" is not a variable; helpers are default, #if and #unless`);
    } else {
      output().push({ kind: 'variable', path: checkVariable(tag, at), fallback: null });
    }
  }
  const unclosed = open[open.length - 1];
  if (unclosed) fail(unclosed.offset, `{{#${unclosed.name}}} is never closed with {{/${unclosed.name}}}`);
  return { field, nodes: root };
}

/** The template filled in; values are HTML-escaped in the html field, and kept on one line in the subject. */
export function renderCampaignTemplate(template: CampaignTemplate, vars: TemplateVariables): string {
  const write = (value: string) => {
    if (template.field === 'html') return escapeHtml(value);
    if (template.field === 'subject') return value.replace(/[\r\n]+/g, ' ');
    return value;
  };
  const render = (nodes: readonly TemplateNode[]): string =>
    nodes
      .map((node) => {
        if (node.kind === 'text') return node.value;
        if (node.kind === 'if') return render(truthy(lookup(vars, node.path)) !== node.negate ? node.then : node.otherwise);
        const value = display(lookup(vars, node.path));
        return write(value === '' && node.fallback !== null ? node.fallback : value);
      })
      .join('');
  return render(template.nodes);
}

/** The variables for one customer; `extras` carries unsubscribeUrl and anything else the sender adds. */
export function templateVariablesFor(
  customer: { id: string; name: string | null; email: string | null; phone?: string | null; attributes: Record<string, unknown> },
  extras: { unsubscribeUrl: string; [k: string]: string },
): TemplateVariables {
  const name = customer.name?.trim() ?? '';
  const [firstName = '', ...rest] = name.split(/\s+/);
  return {
    ...extras,
    customer: {
      id: customer.id,
      name,
      firstName,
      lastName: rest.join(' '),
      email: customer.email ?? '',
      phone: customer.phone ?? '',
      attributes: customer.attributes,
    },
  };
}

/** Own properties only: a path like customer.attributes.constructor finds nothing, not Object's. */
function lookup(vars: TemplateVariables, path: readonly string[]): unknown {
  let value: unknown = vars;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(display).join(', ');
  return JSON.stringify(value);
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return value !== null && value !== undefined && value !== false && value !== '' && value !== 0;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);
