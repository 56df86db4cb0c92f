/** The hub's shapes as the widget sees them (see the README "Real-time contract"). */

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface Author {
  kind: string;
  id: string | null;
  name: string | null;
  avatarUrl?: string | null;
}

export interface Message {
  id: string;
  conversationId: string;
  customerId: string;
  channel: string;
  /** inbound = from the visitor, outbound = from support. */
  direction: 'inbound' | 'outbound';
  author: Author;
  body: string;
  clientId: string | null;
  attachments: Attachment[];
  createdAt: string;
}

export type FieldMode = 'off' | 'optional' | 'required';

export interface WidgetSettings {
  key: string;
  colors: { primary: string; onPrimary: string };
  greeting: { en: string; zh: string };
  preChat: { name: FieldMode; email: FieldMode };
  language: 'auto' | 'en' | 'zh';
  availability: { online: boolean; agentsOnline: number; withinBusinessHours: boolean };
  limits: { messageMaxLength: number; attachmentMaxBytes: number };
}

export interface HubError {
  code: string;
  message: string;
}

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: HubError };

export interface IdentifyClaim {
  email?: string;
  name?: string;
  externalId?: string;
  hash?: string;
  continueByEmail?: true;
}

export interface IdentifyResult {
  customer: { id: string; name: string | null };
  emailLinked: boolean;
  verified: boolean;
  merged: boolean;
}
