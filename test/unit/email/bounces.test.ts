import { simpleParser } from 'mailparser';
import { parseBounce } from '../../../server/channels/email/bounces';

// The options receive.ts parses with; mailparser's defaults for delivery-status apply.
const parse = (lines: string[], options = {}) =>
  simpleParser(lines.join('\r\n'), { skipImageLinks: true, skipTextToHtml: true, ...options });

const ourMessage = [
  'From: Example Support <support@hub.example>',
  'To: nobody@customer.example',
  'Subject: Re: Your order',
  'Message-ID: <msg_01jgzq8m4k7xv2@hub.example>',
  'Date: Thu, 1 Jan 2026 09:59:00 +0000',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
];

function postfixReport(status: string[], original: string[] = ['Content-Type: message/rfc822', '', ...ourMessage, '', 'Your order shipped.']) {
  return [
    'Return-Path: <>',
    'From: MAILER-DAEMON@mx.hub.example (Mail Delivery System)',
    'To: support@hub.example',
    'Subject: Undelivered Mail Returned to Sender',
    'Date: Thu, 1 Jan 2026 10:00:02 +0000 (UTC)',
    'Message-Id: <20260101100002.4F1A2@mx.hub.example>',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status;',
    '\tboundary="4F1A2.1767261602/mx.hub.example"',
    '',
    'This is a MIME-encapsulated message.',
    '',
    '--4F1A2.1767261602/mx.hub.example',
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.hub.example.',
    '',
    "I'm sorry to have to inform you that your message could not",
    'be delivered to one or more recipients. It\'s attached below.',
    '',
    '<nobody@customer.example>: host mx.customer.example[203.0.113.7] said: 550',
    '    5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown',
    '',
    '--4F1A2.1767261602/mx.hub.example',
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.hub.example',
    'X-Postfix-Queue-ID: 4F1A2',
    'X-Postfix-Sender: rfc822; support@hub.example',
    'Arrival-Date: Thu,  1 Jan 2026 09:59:01 +0000 (UTC)',
    '',
    ...status,
    '',
    '--4F1A2.1767261602/mx.hub.example',
    'Content-Description: Undelivered Message',
    ...original,
    '',
    '--4F1A2.1767261602/mx.hub.example--',
    '',
  ];
}

const userUnknown = [
  'Final-Recipient: rfc822; nobody@customer.example',
  'Original-Recipient: rfc822;nobody@customer.example',
  'Action: failed',
  'Status: 5.1.1',
  'Remote-MTA: dns; mx.customer.example',
  'Diagnostic-Code: smtp; 550 5.1.1 <nobody@customer.example>: Recipient address',
  '    rejected: User unknown in virtual mailbox table',
];

describe('bounces', () => {
  it('read a Postfix delivery status notification (RFC 3464)', async () => {
    const mail = await parse(postfixReport(userUnknown));
    // mailparser appends message/delivery-status to the text; only message/rfc822 is an attachment.
    expect(mail.attachments.map((part) => part.contentType)).toEqual(['message/rfc822']);
    expect(mail.text).toContain('Status: 5.1.1');
    expect(parseBounce(mail)).toEqual({
      originalMessageId: '<msg_01jgzq8m4k7xv2@hub.example>',
      status: '5.1.1',
      diagnostic: '550 5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown in virtual mailbox table',
      recipient: 'nobody@customer.example',
      permanent: true,
    });
  });

  it('read the same report when delivery-status is kept as an attachment', async () => {
    const mail = await parse(postfixReport(userUnknown), { keepDeliveryStatus: true });
    expect(mail.attachments.map((part) => part.contentType)).toEqual(['message/delivery-status', 'message/rfc822']);
    expect(parseBounce(mail)).toMatchObject({ originalMessageId: '<msg_01jgzq8m4k7xv2@hub.example>', status: '5.1.1', permanent: true });
  });

  it('are temporary while the MTA is still trying, with only the original header returned', async () => {
    const delayed = [
      'Final-Recipient: rfc822; slow@customer.example',
      'Action: delayed',
      'Status: 4.4.1',
      'Diagnostic-Code: X-Postfix; connect to mx.customer.example[203.0.113.7]:25: Connection timed out',
      'Will-Retry-Until: Tue, 6 Jan 2026 09:59:01 +0000 (UTC)',
    ];
    const mail = await parse(postfixReport(delayed, ['Content-Type: text/rfc822-headers', '', ...ourMessage]));
    expect(mail.attachments.map((part) => part.contentType)).toEqual(['text/rfc822-headers']);
    expect(parseBounce(mail)).toEqual({
      originalMessageId: '<msg_01jgzq8m4k7xv2@hub.example>',
      status: '4.4.1',
      diagnostic: 'connect to mx.customer.example[203.0.113.7]:25: Connection timed out',
      recipient: 'slow@customer.example',
      permanent: false,
    });
  });

  it('are final when the MTA gives up, even with a 4.x.x status', async () => {
    const expired = ['Final-Recipient: rfc822; slow@customer.example', 'Action: failed', 'Status: 4.4.7'];
    expect(parseBounce(await parse(postfixReport(expired)))).toMatchObject({ status: '4.4.7', permanent: true });
  });

  it('report the failed recipient of several', async () => {
    const several = [
      'Final-Recipient: rfc822; alice@customer.example',
      'Action: delivered',
      'Status: 2.0.0',
      '',
      'Final-Recipient: rfc822; nobody@customer.example',
      'Action: failed',
      'Status: 5.1.1',
    ];
    expect(parseBounce(await parse(postfixReport(several)))).toMatchObject({ recipient: 'nobody@customer.example', status: '5.1.1', permanent: true });
  });

  it('find a folded Message-Id header in the returned message', async () => {
    const original = ['Content-Type: message/rfc822', '', 'From: support@hub.example', 'Message-Id:', ' <msg_folded@hub.example>', '', 'Hi'];
    expect(parseBounce(await parse(postfixReport(userUnknown, original)))?.originalMessageId).toBe('<msg_folded@hub.example>');
  });

  it('read an Exim bounce that quotes the original in plain text', async () => {
    const mail = await parse([
      'From: Mail Delivery System <Mailer-Daemon@mail.customer.example>',
      'To: support@hub.example',
      'Subject: Mail delivery failed: returning message to sender',
      'Message-Id: <E1vQ8x2-0004Zk-7T@mail.customer.example>',
      'X-Failed-Recipients: gone@customer.example',
      'Auto-Submitted: auto-replied',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'This message was created automatically by mail delivery software.',
      '',
      'A message that you sent could not be delivered to one or more of its',
      'recipients. This is a permanent error. The following address(es) failed:',
      '',
      '  gone@customer.example',
      '    host mx.customer.example [198.51.100.4]',
      '    SMTP error from remote mail server after RCPT TO:<gone@customer.example>:',
      '    550 5.1.1 <gone@customer.example>: Recipient address rejected',
      '',
      '------ This is a copy of the message, including all the headers. ------',
      '',
      ...ourMessage,
      '',
      'Your order shipped.',
    ]);
    expect(parseBounce(mail)).toEqual({
      originalMessageId: '<msg_01jgzq8m4k7xv2@hub.example>',
      status: '5.1.1',
      recipient: 'gone@customer.example',
      permanent: true,
    });
  });

  it('treat a plain "still trying" warning from a mailer daemon as temporary', async () => {
    const mail = await parse([
      'From: postmaster@mail.customer.example',
      'To: support@hub.example',
      'Subject: Warning: message delayed',
      'Content-Type: text/plain',
      '',
      'This is a warning message only. The server will retry for 4 more days.',
      '',
      '> Message-ID: <msg_01jgzq8m4k7xv2@hub.example>',
    ]);
    expect(parseBounce(mail)).toEqual({ originalMessageId: '<msg_01jgzq8m4k7xv2@hub.example>', permanent: false });
  });

  it('are not found in a customer message that quotes or forwards an old email', async () => {
    const quoting = await parse([
      'From: Alice <alice@customer.example>',
      'To: support@hub.example',
      'Subject: Fwd: Your order',
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'It said the mail failed:',
      'Status: 5.1.1',
      'Message-ID: <msg_01jgzq8m4k7xv2@hub.example>',
      '--b',
      'Content-Type: message/rfc822',
      '',
      ...ourMessage,
      '',
      'Your order shipped.',
      '--b--',
    ]);
    expect(quoting.attachments.map((part) => part.contentType)).toEqual(['message/rfc822']);
    expect(parseBounce(quoting)).toBeUndefined();
  });

  it('are not found in a read receipt (report-type=disposition-notification)', async () => {
    const receipt = await parse([
      'From: Bob <bob@customer.example>',
      'To: support@hub.example',
      'Subject: Read: Your order',
      'Content-Type: multipart/report; report-type=disposition-notification; boundary=r',
      '',
      '--r',
      'Content-Type: text/plain',
      '',
      'Your message was displayed.',
      '--r',
      'Content-Type: message/disposition-notification',
      '',
      'Final-Recipient: rfc822; bob@customer.example',
      'Original-Message-ID: <msg_01jgzq8m4k7xv2@hub.example>',
      'Disposition: manual-action/MDN-sent-manually; displayed',
      '--r--',
    ]);
    expect(parseBounce(receipt)).toBeUndefined();
  });

  it('name no original rather than guess when mailparser inlines the returned message', async () => {
    // With "Content-Disposition: inline" mailparser splices the returned message into `text`, keeping
    // From/Subject/Date/To but not its Message-ID, and lists no message/rfc822 attachment.
    const inline = ['Content-Type: message/rfc822', 'Content-Disposition: inline', '', ...ourMessage, '', 'Your order shipped.'];
    const mail = await parse(postfixReport(userUnknown, inline));
    expect(mail.attachments).toEqual([]);
    expect(mail.text).toContain('Subject: Re: Your order');
    expect(mail.text).not.toContain('msg_01jgzq8m4k7xv2');
    expect(parseBounce(mail)).toBeUndefined();
  });
});
