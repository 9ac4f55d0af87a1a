import { authResponseSchema, changePasswordRequestSchema, loginRequestSchema, registerRequestSchema, userSchema } from '@chat/shared';
import { createZodDto } from 'nestjs-zod';

export class RegisterDto extends createZodDto(registerRequestSchema) {}
export class LoginDto extends createZodDto(loginRequestSchema) {}
export class AuthResponseDto extends createZodDto(authResponseSchema) {}
export class ChangePasswordDto extends createZodDto(changePasswordRequestSchema) {}
export class UserDto extends createZodDto(userSchema) {}
