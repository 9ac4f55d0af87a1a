export * from './common/error.schema';
export * from './common/id.schema';
export * from './users/user.schema';
export * from './auth/auth.schema';
export * from './health/health.schema';
export * from './conversations/conversation.schema';
export * from './messages/message.schema';
export * from './realtime/socket-events.schema';
