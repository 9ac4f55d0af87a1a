import { AppError } from '../../common/errors/app-error';

export const searchErrors = {
  invalidQuery: (message: string) => new AppError(400, 'INVALID_SEARCH_QUERY', message, [{ path: 'q', message }]),
  emptyQuery: () => new AppError(400, 'EMPTY_SEARCH_QUERY', 'Type a word to search', [{ path: 'q', message: 'Type a word to search' }]),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(429, 'RATE_LIMITED', 'Too many searches; slow down', undefined, { 'Retry-After': String(retryAfterSeconds) }),
};
