import { AppError } from '../../common/errors/app-error';

export const receiptErrors = {
  messageNotFound: () => new AppError(404, 'MESSAGE_NOT_FOUND', 'Message not found in this conversation'),
};
