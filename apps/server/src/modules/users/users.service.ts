import { Injectable } from '@nestjs/common';
import type { UserRow } from '@chat/db';
import { UserRepository } from './user.repository';

@Injectable()
export class UsersService {
  constructor(private readonly users: UserRepository) {}

  create(input: { email: string; passwordHash: string; displayName: string }): Promise<UserRow | null> {
    return this.users.insertIfEmailFree(input);
  }

  findByEmail(email: string): Promise<UserRow | null> {
    return this.users.findByEmail(email);
  }

  findById(id: string): Promise<UserRow | null> {
    return this.users.findById(id);
  }
}
