const VARIABLES: [string, string][] = [
  ['{{customer.firstName}}', 'first name; also name, lastName, email, phone'],
  ['{{customer.attributes.plan}}', 'an attribute (nested: .plan.tier)'],
  ['{{default customer.firstName "there"}}', 'the value, or a fallback when it is empty'],
  ['{{#if customer.attributes.vip}}…{{else}}…{{/if}}', 'a choice; {{#unless}} too, and blocks nest'],
  ['{{unsubscribeUrl}}', 'the one-click unsubscribe link'],
  ['\\{{', 'a literal {{'],
];

/** What templates can say (README, "Templates"), folded away until asked for. */
export function TemplateHelp() {
  return (
    <details class="cmp-help">
      <summary>Template variables</summary>
      <dl>
        {VARIABLES.map(([code, meaning]) => (
          <div key={code}>
            <dt>
              <code>{code}</code>
            </dt>
            <dd>{meaning}</dd>
          </div>
        ))}
      </dl>
      <p class="muted">Values are escaped in the HTML. An unknown variable or an unclosed block is shown under its field with the line and column.</p>
    </details>
  );
}
