/** The widget's UI strings in English and Chinese; `{name}` placeholders are filled by `t`. */
const en = {
  openChat: 'Chat with us',
  closeChat: 'Close chat',
  greeting: 'Hi! How can we help you today?',
  team: 'Support',
  online: 'We reply in a few minutes',
  offline: 'We are away right now',
  reconnecting: 'Reconnecting…',
  typing: '{name} is typing…',
  placeholder: 'Write a message…',
  send: 'Send',
  attach: 'Attach a file',
  removeFile: 'Remove',
  uploadFailed: 'Upload failed',
  tooLarge: '{name} is larger than {size}',
  sending: 'Sending…',
  failed: 'Not sent',
  retry: 'Retry',
  seen: 'Seen',
  queue: 'You are number {n} in line',
  offlineNotice: 'No one is online right now. Leave your email and we will reply by email.',
  emailPlaceholder: 'you@example.com',
  emailSubmit: 'Reply by email',
  emailThanks: 'Thanks! We will reply to {email}.',
  preChatTitle: 'Before we start, tell us who you are',
  name: 'Name',
  email: 'Email',
  optional: 'optional',
  startChat: 'Start chat',
  csatQuestion: 'How did we do?',
  csatThanks: 'Thanks for your feedback!',
  star: '{n} of 5',
  error: 'Something went wrong: {message}',
  empty: 'Send us a message and we will get back to you.',
};

type Strings = typeof en;

const zh: Strings = {
  openChat: '联系我们',
  closeChat: '关闭对话',
  greeting: '您好！有什么可以帮您？',
  team: '客服',
  online: '我们通常几分钟内回复',
  offline: '客服暂时不在线',
  reconnecting: '正在重新连接…',
  typing: '{name} 正在输入…',
  placeholder: '输入消息…',
  send: '发送',
  attach: '添加附件',
  removeFile: '移除',
  uploadFailed: '上传失败',
  tooLarge: '{name} 超过 {size}',
  sending: '发送中…',
  failed: '发送失败',
  retry: '重试',
  seen: '已读',
  queue: '您前面还有 {n} 位',
  offlineNotice: '目前没有客服在线。留下您的邮箱，我们会通过邮件回复您。',
  emailPlaceholder: 'you@example.com',
  emailSubmit: '通过邮件回复我',
  emailThanks: '谢谢！我们会回复到 {email}。',
  preChatTitle: '开始之前，请告诉我们您是谁',
  name: '姓名',
  email: '邮箱',
  optional: '选填',
  startChat: '开始对话',
  csatQuestion: '您对本次服务满意吗？',
  csatThanks: '感谢您的评价！',
  star: '{n} 星',
  error: '出错了：{message}',
  empty: '给我们留言，我们会尽快回复您。',
};

export type Language = 'en' | 'zh';
export type StringKey = keyof Strings;

const catalogs: Record<Language, Strings> = { en, zh };

/** data-language wins, then the hub's setting, then the browser's language. */
export function pickLanguage(embed: Language | null, hub: 'auto' | Language, browser: string): Language {
  if (embed) return embed;
  if (hub !== 'auto') return hub;
  return browser.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function translate(language: Language, key: StringKey, values: Record<string, string | number> = {}): string {
  return catalogs[language][key].replace(/\{(\w+)\}/g, (_match, name: string) => String(values[name] ?? ''));
}
