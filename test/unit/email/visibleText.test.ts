import { simpleParser } from 'mailparser';
import { visibleText } from '../../../server/channels/email/visibleText';

const crlf = (text: string) => text.replace(/\n/g, '\r\n');

describe('the visible text of an email', () => {
  it('leaves a message without history as it is, minus trailing whitespace', () => {
    expect(visibleText('Hello,\r\n\r\nmy parcel never arrived.   \r\n\r\n')).toBe('Hello,\n\nmy parcel never arrived.');
  });

  it('drops a Gmail reply history and its attribution line', () => {
    const text = [
      'Yes, the order number is 4411.',
      '',
      'On Thu, Jan 1, 2026 at 10:00 AM Support <support@hub.example> wrote:',
      '',
      '> Could you send us your order number?',
      '>',
      '> On Wed, Dec 31, 2025 at 9:00 PM Alice <alice@example.com> wrote:',
      '>> My parcel never arrived.',
    ].join('\n');
    expect(visibleText(text)).toBe('Yes, the order number is 4411.');
  });

  it('recognises an attribution Gmail wrapped over two lines', () => {
    const text = [
      'Thanks, that worked.',
      '',
      'On Thu, Jan 1, 2026 at 10:00 AM Hub Support Team of Example Incorporated <',
      'support@hub.example> wrote:',
      '',
      '> Please restart the router.',
    ].join('\n');
    expect(visibleText(text)).toBe('Thanks, that worked.');
  });

  it('drops an Apple Mail quote', () => {
    const text = 'Perfect, thank you!\n\nSent from my iPhone\n\n> On 1 Jan 2026, at 10:00, Support <support@hub.example> wrote:\n>\n> Your refund is on its way.\n';
    expect(visibleText(text)).toBe('Perfect, thank you!\n\nSent from my iPhone');
  });

  it('keeps a quote the customer answers inline above the history', () => {
    const text = [
      'Hi,',
      '> Which model do you have?',
      'The X200.',
      '> Since when?',
      'Since Monday.',
      '',
      'On Thu, Jan 1, 2026 at 10:00 AM Support <support@hub.example> wrote:',
      '> Which model do you have?',
      '> Since when?',
    ].join('\n');
    expect(visibleText(text)).toBe('Hi,\n> Which model do you have?\nThe X200.\n> Since when?\nSince Monday.');
  });

  it('drops a trailing ">" block even without a known attribution', () => {
    expect(visibleText('Still broken.\n\nSupport Team <support@hub.example> 01/01/2026:\n> Did the update help?\n> Regards')).toBe(
      'Still broken.',
    );
    expect(visibleText('See below.\n\n> Did the update help?')).toBe('See below.');
  });

  it('keeps a line that ends with a colon but is no attribution', () => {
    expect(visibleText('The error says:\n> disk full')).toBe('The error says:');
  });

  it('drops an Outlook "Original Message" block', () => {
    const text = crlf(
      'Please cancel it.\n\n-----Original Message-----\nFrom: Support <support@hub.example>\nSent: Thursday, January 1, 2026 10:00 AM\nTo: Bob\nSubject: RE: Order\n\nYour order shipped.\n',
    );
    expect(visibleText(text)).toBe('Please cancel it.');
  });

  it('drops an Outlook header block under its underscore rule', () => {
    const text = [
      'The printer is offline again.',
      '',
      'Bob',
      '',
      '________________________________',
      'From: Support <support@hub.example>',
      'Sent: Thursday, January 1, 2026 10:00',
      'To: Bob Jones <bob@contoso.example>',
      'Subject: RE: Printer offline',
      '',
      'Hello Bob, please power-cycle it.',
    ].join('\n');
    expect(visibleText(text)).toBe('The printer is offline again.\n\nBob');
  });

  it('drops an Outlook header block written on one line', () => {
    expect(visibleText('Done.\n\nFrom: Support <support@hub.example> Sent: Thursday, January 1, 2026 To: Bob Subject: RE: x\nOld text')).toBe(
      'Done.',
    );
  });

  it('keeps a "From:" line that is not a quoted header', () => {
    expect(visibleText('I want to change my flight.\nFrom: Berlin\nTo: Paris')).toBe('I want to change my flight.\nFrom: Berlin\nTo: Paris');
  });

  it('drops the signature after the "-- " delimiter', () => {
    expect(visibleText('Where is my refund?\n\n-- \nAlice Example\nCEO, Example Ltd\n+1 555 0100')).toBe('Where is my refund?');
    expect(visibleText('Where is my refund?\n--\nAlice')).toBe('Where is my refund?');
  });

  it('keeps the whole text when the message is nothing but a quote', () => {
    const text = 'On Thu, Jan 1, 2026 at 10:00 AM Support <support@hub.example> wrote:\n> Is everything fine?\n';
    expect(visibleText(text)).toBe(text.trim());
  });

  it('drops a 163 or Foxmail "在 … 写道：" quote', () => {
    const text = '好的，谢谢！\n\n在 2026年1月1日，张三 写道：\n> 您好，请问什么时候发货？\n';
    expect(visibleText(text)).toBe('好的，谢谢！');
  });

  it('drops a Gmail quote in Chinese', () => {
    expect(visibleText('收到。\n\n客服 <support@hub.example> 于2026年1月1日周四 10:00写道：\n\n> 已退款。')).toBe('收到。');
  });

  it('drops a QQ Mail "原始邮件" header block, full-width colons and all', () => {
    const text = [
      '已经收到货了，谢谢。',
      '',
      '------------------\u00a0原始邮件\u00a0------------------',
      '发件人：\u00a0"客服"<support@hub.example>;',
      '发送时间：\u00a02026年1月1日(星期四) 上午10:00',
      '收件人：\u00a0"张三"<zhangsan@qq.com>;',
      '主题：\u00a0回复：订单问题',
      '',
      '您好，您的订单已发货。',
    ].join('\r\n');
    expect(visibleText(text)).toBe('已经收到货了，谢谢。');
  });

  it('drops a Chinese Outlook header block', () => {
    const text = '请帮我开发票。\n\n-----原始邮件-----\n发件人: 客服 <support@hub.example>\n发送时间: 2026年1月1日 10:00\n收件人: 李四\n主题: 订单\n\n已发货';
    expect(visibleText(text)).toBe('请帮我开发票。');
    expect(visibleText('请帮我开发票。\n\n发件人：客服 <support@hub.example>\n发送时间：2026年1月1日 10:00\n\n已发货')).toBe('请帮我开发票。');
  });

  it('reads a GBK-encoded Chinese reply down to what the customer wrote', async () => {
    // "您好，我的订单还没有发货，请帮忙查一下。\n订单号：20260101-8848\n\n在 2026年1月1日 10:00，客服 <support@hub.example> 写道：\n> 您好，请提供订单号。"
    const raw = crlf(
      [
        'From: =?GBK?B?1cXI/Q==?= <zhangsan@example.cn>',
        'To: support@hub.example',
        'Subject: =?GBK?B?u9i4tKO6tqm1pc7KzOI=?=',
        'Message-ID: <gbk-1@example.cn>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset="GBK"',
        'Content-Transfer-Encoding: base64',
        '',
        'xPq6w6OsztK1xLaptaW7ucO709C3orv1o6zH67Dvw6ay6dK7z8Khow0Ktqm1pbrFo7oyMDI2MDEw',
        'MS04ODQ4DQoNCtTaIDIwMjbE6jHUwjHI1SAxMDowMKOsv823/iA8c3VwcG9ydEBodWIuZXhhbXBs',
        'ZT4g0LS1wKO6DQo+IMT6usOjrMfrzOG5qbaptaW6xaGjDQo=',
        '',
      ].join('\n'),
    );
    const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
    expect(mail.subject).toBe('回复：订单问题');
    expect(mail.from?.value[0]?.name).toBe('张三');
    expect(visibleText(mail.text ?? '')).toBe('您好，我的订单还没有发货，请帮忙查一下。\n订单号：20260101-8848');
  });

  it('reads an HTML-only Gmail reply, whose blockquote mailparser turns into ">" lines', async () => {
    const raw = crlf(
      [
        'From: Alice <alice@example.com>',
        'To: support@hub.example',
        'Subject: Re: Refund',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<div dir="ltr">Got it, thanks!</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Thu, Jan 1, 2026 at 10:00 AM Support &lt;support@hub.example&gt; wrote:<br></div><blockquote class="gmail_quote">Your refund is on its way.</blockquote></div>',
        '',
      ].join('\n'),
    );
    const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
    expect(visibleText(mail.text ?? '')).toBe('Got it, thanks!');
  });
});
