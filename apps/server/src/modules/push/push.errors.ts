import { AppError } from '../../common/errors/app-error';

export const pushErrors = {
  unsafeEndpoint: (reason: string) => new AppError(400, 'VALIDATION_ERROR', `Push endpoint refused: ${reason}`, [{ path: 'endpoint', message: reason }]),
  subscriptionNotFound: () => new AppError(404, 'PUSH_SUBSCRIPTION_NOT_FOUND', 'Push subscription not found'),
};
