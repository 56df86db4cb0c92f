import { simpleParser } from 'mailparser';
import { isAutomated } from '../../../server/channels/email/automation';

async function headersOf(...extra: string[]) {
  const raw = [
    'From: Alice <alice@example.com>',
    'To: support@hub.example',
    'Subject: My parcel',
    'Message-ID: <m1@example.com>',
    ...extra,
    '',
    'Hello',
    '',
  ].join('\r\n');
  return (await simpleParser(raw)).headers;
}

describe('automated mail', () => {
  it('does not mistake a customer writing in for a robot', async () => {
    expect(isAutomated(await headersOf(), 'alice@example.com')).toBe(false);
    expect(isAutomated(await headersOf('Auto-Submitted: no'), 'alice@example.com')).toBe(false);
    expect(isAutomated(await headersOf('Auto-Submitted: No (sent by a person)'), 'alice@example.com')).toBe(false);
  });

  it('recognises an out-of-office reply by its Auto-Submitted header (RFC 3834)', async () => {
    const headers = await headersOf('Auto-Submitted: auto-replied; owner-email="alice@example.com"', 'X-Autoreply: yes');
    // mailparser keeps unknown headers as plain decoded strings.
    expect(headers.get('auto-submitted')).toBe('auto-replied; owner-email="alice@example.com"');
    expect(isAutomated(headers, 'alice@example.com')).toBe(true);
    expect(isAutomated(await headersOf('Auto-Submitted: auto-generated'))).toBe(true);
  });

  it('counts a repeated Auto-Submitted header if any copy is not "no"', async () => {
    const headers = await headersOf('Auto-Submitted: no', 'Auto-Submitted: auto-replied');
    expect(headers.get('auto-submitted')).toEqual(['no', 'auto-replied']);
    expect(isAutomated(headers)).toBe(true);
  });

  it.each([
    ['X-Autoreply: yes'],
    ['X-Autorespond: Vacation'],
    ['X-Failed-Recipients: bob@example.com'],
    ['X-Auto-Response-Suppress: All'],
    ['X-Auto-Response-Suppress: DR, OOF, AutoReply'],
    ['Precedence: bulk'],
    ['Precedence: junk'],
    ['Precedence: list'],
    ['Precedence: auto_reply'],
    ['List-Id: Product news <news.shop.example>'],
  ])('recognises %s', async (header) => {
    expect(isAutomated(await headersOf(header), 'alice@example.com')).toBe(true);
  });

  it.each([['X-Auto-Response-Suppress: DR, RN, NRN'], ['Precedence: first-class']])(
    'does not count %s as automated',
    async (header) => {
      expect(isAutomated(await headersOf(header), 'alice@example.com')).toBe(false);
    },
  );

  it('recognises a newsletter by its List-Unsubscribe header, which mailparser files under "list"', async () => {
    const headers = await headersOf(
      'List-Unsubscribe: <https://shop.example/unsubscribe?u=42>, <mailto:unsubscribe@shop.example>',
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    expect(headers.has('list-unsubscribe')).toBe(false);
    expect(headers.get('list')).toMatchObject({ unsubscribe: { url: 'https://shop.example/unsubscribe?u=42', mail: 'unsubscribe@shop.example' } });
    expect(isAutomated(headers, 'news@shop.example')).toBe(true);
  });

  it('recognises list headers in a map of raw header names too', () => {
    expect(isAutomated(new Map([['list-id', '<news.shop.example>']]))).toBe(true);
  });

  it.each([
    'MAILER-DAEMON@mx.example.net',
    'postmaster@example.net',
    'noreply@shop.example',
    'no-reply@shop.example',
    'no_reply+orders@shop.example',
    'noreply-dmarc-support@google.com',
    'do-not-reply@bank.example',
    'DoNotReply@bank.example',
    'Shop <noreply@shop.example>',
  ])('recognises the robot sender %s', async (from) => {
    expect(isAutomated(await headersOf(), from)).toBe(true);
  });

  it.each(['norah@example.com', 'replyteam@example.com', 'post@example.com'])('takes %s for a person', async (from) => {
    expect(isAutomated(await headersOf(), from)).toBe(false);
  });
});
