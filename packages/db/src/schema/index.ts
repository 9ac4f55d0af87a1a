export * from './users';
export * from './sessions';
export * from './conversations';
export * from './messages';
export * from './files';
export * from './push-subscriptions';
export * from './reactions';
