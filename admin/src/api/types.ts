/** The hub's public shapes, as the HTTP API and the /agents socket send them. */

export type Page<T> = { items: T[]; nextCursor: string | null };

export type Agent = {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  avatarUrl?: string | null;
  capacity?: number;
  skills?: string[];
  online?: boolean;
  status?: AgentStatus;
};
export type AgentStatus = 'available' | 'away' | 'offline';

export type TeamMember = { agentId: string; role: 'member' | 'supervisor' };
export type Team = {
  id: string;
  name: string;
  strategy: 'round_robin' | 'least_loaded' | 'skills';
  intents: string[];
  isDefault: boolean;
  members: TeamMember[];
};

export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type ConversationStatus = 'open' | 'pending' | 'resolved' | 'closed';
export type Channel = 'chat' | 'email' | 'form';

export type Conversation = {
  id: string;
  customerId: string;
  customerName: string | null;
  channel: Channel;
  status: ConversationStatus;
  priority: Priority;
  subject: string | null;
  intent: string | null;
  intentConfidence: number | null;
  intentSource: 'model' | 'agent' | null;
  language: string | null;
  sentiment: number | null;
  urgent: boolean;
  teamId: string | null;
  assigneeId: string | null;
  queuedAt: string | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  firstResponseAt: string | null;
  firstResponseBreachedAt: string | null;
  resolutionBreachedAt: string | null;
  resolvedAt: string | null;
  lastMessageAt: string;
  createdAt: string;
  updatedAt: string;
  tags: string[];
  snoozedUntil: string | null;
  mergedIntoId: string | null;
  unreadCount: number;
  lastMessage: { body: string; direction: 'inbound' | 'outbound'; authorKind: string; createdAt: string } | null;
  waitingSince: string | null;
  /** The last message the customer / an agent has seen (read receipts). */
  customerReadUpto: string | null;
  agentReadUpto: string | null;
};

export type ConversationCounts = {
  mine: number;
  unassigned: number;
  myTeams: number;
  all: number;
  slaAtRisk: number;
  snoozed: number;
  unread: number;
  byStatus: Record<ConversationStatus, number>;
};

export type Attachment = { id: string; filename: string; contentType: string; size: number; url?: string };

export type Message = {
  id: string;
  conversationId: string;
  customerId: string;
  channel: Channel;
  direction: 'inbound' | 'outbound';
  author: { kind: 'customer' | 'agent' | 'system'; id: string | null; name: string | null; avatarUrl?: string | null };
  body: string;
  clientId: string | null;
  email: { subject?: string | null; messageId?: string | null; html?: string | null; text?: string | null; cc?: string[] } | null;
  delivery: { status: 'queued' | 'sent' | 'failed'; error?: string | null } | null;
  attachments: Attachment[];
  createdAt: string;
};

export type Note = { id: string; body: string; agentId: string; agentName?: string | null; conversationId?: string | null; createdAt: string };

export type Identity = { kind: 'email' | 'phone' | 'visitor' | 'external'; value: string };

export type Customer = {
  id: string;
  name: string | null;
  identities: Identity[];
  attributes: Record<string, unknown>;
  tags: string[];
  metrics?: Record<string, unknown>;
  createdAt: string;
  updatedAt?: string;
  [more: string]: unknown;
};

export type TimelineEvent = { id: string; kind: string; occurredAt: string; data?: Record<string, unknown>; [more: string]: unknown };

export type CannedResponse = { id: string; shortcut: string; title: string; body: string; createdAt: string; updatedAt: string };

export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };
