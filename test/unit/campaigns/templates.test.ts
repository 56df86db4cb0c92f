import {
  parseCampaignTemplate,
  renderCampaignTemplate,
  type TemplateField,
  templateVariablesFor,
} from '../../../server/domain/campaignTemplates';
import { HubError } from '../../../server/domain/errors';

const ada = templateVariablesFor(
  { id: 'cus_1', name: 'Ada  King Lovelace', email: 'ada@example.com', phone: null, attributes: { plan: 'pro', seats: 5, vip: false, tags: ['a', 'b'], address: { city: 'London' } } },
  { unsubscribeUrl: 'https://hub.example.com/u/tok?x=1&y=2' },
);
const nameless = templateVariablesFor({ id: 'cus_2', name: null, email: null, attributes: {} }, { unsubscribeUrl: 'https://hub.example.com/u/t2' });

const render = (source: string, field: TemplateField = 'text', vars = ada) => renderCampaignTemplate(parseCampaignTemplate(source, field), vars);

/** The error a broken template is refused with. */
function refusal(source: string, field: TemplateField = 'html'): HubError {
  try {
    parseCampaignTemplate(source, field);
  } catch (error) {
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe('invalid_template');
    return error as HubError;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be refused`);
}

describe('campaign templates: variables', () => {
  it('fill in the customer: name, first and last name, email, attributes', () => {
    expect(render('Hi {{customer.firstName}} ({{ customer.lastName }}), {{customer.name}} <{{customer.email}}> id {{customer.id}}')).toBe(
      'Hi Ada (King Lovelace), Ada  King Lovelace <ada@example.com> id cus_1',
    );
    expect(render('{{customer.attributes.plan}} x{{customer.attributes.seats}} {{customer.attributes.vip}} {{customer.attributes.tags}}')).toBe('pro x5 false a, b');
    expect(render('{{customer.attributes.address.city}}')).toBe('London');
  });

  it('render a missing value as empty, or as its default', () => {
    expect(render('[{{customer.name}}][{{customer.attributes.missing}}]', 'text', nameless)).toBe('[][]');
    expect(render('Hi {{default customer.firstName "there"}}!', 'text', nameless)).toBe('Hi there!');
    expect(render("Hi {{default customer.firstName 'you \\'friend\\''}}!", 'text', nameless)).toBe("Hi you 'friend'!");
    expect(render('Hi {{default customer.firstName "there"}}!')).toBe('Hi Ada!');
    expect(render('{{default customer.attributes.plan "free"}}', 'text', nameless)).toBe('free');
  });

  it('give the unsubscribe link and any extra the sender passes', () => {
    expect(render('{{unsubscribeUrl}}')).toBe('https://hub.example.com/u/tok?x=1&y=2');
    const withSurvey = templateVariablesFor({ id: 'c', name: 'Bo', email: 'b@x.io', attributes: {} }, { unsubscribeUrl: 'u', surveyUrl: 'https://s/1' });
    const template = parseCampaignTemplate('{{surveyUrl}}', 'text', { extraVariables: ['surveyUrl'] });
    expect(renderCampaignTemplate(template, withSurvey)).toBe('https://s/1');
  });

  it('never reach past the customer into prototypes', () => {
    expect(render('[{{customer.attributes.constructor}}][{{customer.attributes.__proto__}}][{{customer.attributes.toString}}]')).toBe('[][][]');
  });
});

describe('campaign templates: escaping', () => {
  const evil = templateVariablesFor(
    { id: 'c', name: '<script>alert("x")</script> & Co\'s', email: 'e@x.io', attributes: { note: '"><img src=x onerror=alert(1)>' } },
    { unsubscribeUrl: 'https://hub.example.com/u/a?b=1&c=2' },
  );

  it('escape HTML in the html field, in text and attributes alike', () => {
    expect(render('<p title="{{customer.attributes.note}}">{{customer.name}}</p>', 'html', evil)).toBe(
      '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#39;s</p>',
    );
    expect(render('<a href="{{unsubscribeUrl}}">', 'html', evil)).toBe('<a href="https://hub.example.com/u/a?b=1&amp;c=2">');
  });

  it('escape defaults too, and leave the template markup itself alone', () => {
    expect(render('<b>{{default customer.phone "<none>"}}</b>', 'html', evil)).toBe('<b>&lt;none&gt;</b>');
  });

  it('keep text and subject as written, the subject on one line', () => {
    expect(render('{{customer.name}}', 'text', evil)).toBe('<script>alert("x")</script> & Co\'s');
    const multiline = templateVariablesFor({ id: 'c', name: 'Ada\r\nBcc: victim@example.com', email: null, attributes: {} }, { unsubscribeUrl: 'u' });
    expect(render('Hello {{customer.name}}', 'subject', multiline)).toBe('Hello Ada Bcc: victim@example.com');
  });
});

describe('campaign templates: blocks', () => {
  it('choose with #if / else and #unless, nested', () => {
    const source = '{{#if customer.attributes.plan}}Plan {{customer.attributes.plan}}{{#unless customer.attributes.vip}} (not VIP){{/unless}}{{else}}No plan{{/if}}';
    expect(render(source)).toBe('Plan pro (not VIP)');
    expect(render(source, 'text', nameless)).toBe('No plan');
    expect(render('{{#if customer.attributes.vip}}vip{{else}}regular{{/if}}')).toBe('regular');
    expect(render('{{#if customer.attributes.tags}}tagged{{/if}}')).toBe('tagged');
  });

  it('write a literal {{ when escaped with a backslash', () => {
    expect(render('Use \\{{customer.name}} to personalise')).toBe('Use {{customer.name}} to personalise');
  });
});

describe('campaign templates: refused at save with the line and column', () => {
  it('an unknown variable', () => {
    const error = refusal('<p>Hello</p>\n<p>Dear {{customer.fristName}},</p>');
    expect(error.details).toEqual({ field: 'html', line: 2, column: 11 });
    expect(error.message).toContain('customer.fristName');
    expect(refusal('{{unknownThing}}', 'subject').details).toEqual({ field: 'subject', line: 1, column: 3 });
    expect(refusal('{{customer}}', 'text').details).toMatchObject({ line: 1, column: 3 });
    expect(refusal('{{customer.attributes}}', 'text').details).toMatchObject({ line: 1 });
  });

  it('an unclosed tag or block, a stray close or else', () => {
    expect(refusal('line one\nline two {{customer.name').details).toEqual({ field: 'html', line: 2, column: 10 });
    expect(refusal('a\n\n  {{#if customer.name}}x').details).toEqual({ field: 'html', line: 3, column: 3 });
    expect(refusal('{{#if customer.name}}x{{/unless}}').details).toMatchObject({ line: 1, column: 23 });
    expect(refusal('x {{/if}}').details).toMatchObject({ line: 1, column: 3 });
    expect(refusal('{{else}}').details).toMatchObject({ line: 1, column: 1 });
    expect(refusal('{{#if customer.name}}a{{else}}b{{else}}c{{/if}}').details).toMatchObject({ column: 32 });
  });

  it('helpers it does not have, triple braces, empty tags, a multi-line subject', () => {
    expect(refusal('{{#each customer.attributes.items}}{{/each}}').message).toContain('#each');
    expect(refusal('{{{customer.name}}}').message).toContain('Triple braces');
    expect(refusal('{{ }}').message).toContain('Empty');
    expect(refusal('{{default customer.name}}').message).toContain('default');
    expect(refusal('{{customer.name | upper}}').message).toContain('not a variable');
    expect(refusal('Hi\nthere', 'subject').details).toEqual({ field: 'subject', line: 1, column: 3 });
  });
});
