import { AppError } from '../../common/errors/app-error';

export const authErrors = {
  emailTaken: () => new AppError(409, 'EMAIL_TAKEN', 'An account with this email already exists'),
  // One answer for unknown email and wrong password, so neither can be probed.
  invalidCredentials: () => new AppError(401, 'INVALID_CREDENTIALS', 'Invalid email or password'),
  missingToken: () => new AppError(401, 'UNAUTHORIZED', 'Authentication required'),
  invalidToken: () => new AppError(401, 'INVALID_TOKEN', 'Invalid or expired token'),
  revokedToken: () => new AppError(401, 'TOKEN_REVOKED', 'This session has ended; sign in again'),
  missingRefreshToken: () => new AppError(401, 'UNAUTHORIZED', 'No refresh token'),
  refreshReused: () => new AppError(401, 'REFRESH_TOKEN_REUSED', 'This refresh token was already used; the session has been ended'),
  tooManyLogins: (retryAfterSeconds: number) =>
    new AppError(429, 'RATE_LIMITED', 'Too many sign-in attempts; try again later', undefined, {
      'Retry-After': String(retryAfterSeconds),
    }),
  // A field error, so the form can show it under "Current password".
  wrongCurrentPassword: () =>
    new AppError(400, 'WRONG_PASSWORD', 'The current password is not correct', [{ path: 'currentPassword', message: 'The current password is not correct' }]),
  tooManyPasswordAttempts: (retryAfterSeconds: number) =>
    new AppError(429, 'RATE_LIMITED', 'Too many wrong passwords; try again later', undefined, {
      'Retry-After': String(retryAfterSeconds),
    }),
  tooManyRegistrations: (retryAfterSeconds: number) =>
    new AppError(429, 'RATE_LIMITED', 'Too many sign-ups from this address; try again later', undefined, {
      'Retry-After': String(retryAfterSeconds),
    }),
};
