import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { errorResponseSchema } from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class ErrorResponseDto extends createZodDto(errorResponseSchema) {}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `details` lists the invalid fields',
  401: 'Missing, invalid, expired or revoked credentials',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request body over 1 MB',
  415: 'Body is not JSON',
  429: 'Rate limited; see the Retry-After header',
};

/** Documents error responses in the one error shape: `@ApiErrors(400, 401)` or `@ApiErrors([409, 'Email taken'])`. */
export function ApiErrors(...statuses: Array<number | [number, string]>) {
  return applyDecorators(
    ...statuses.map((entry) => {
      const [status, description] = Array.isArray(entry) ? entry : [entry, DEFAULT_DESCRIPTIONS[entry] ?? 'Error'];
      return ApiResponse({ status, description, type: ErrorResponseDto.Output });
    }),
  );
}
