import { Injectable } from '@nestjs/common';
import type { UserRow } from '@chat/db';
import type { PublicUser, UpdateProfileRequest, UpdateUserSettingsRequest, User, UserSearchResponse, UserSettings } from '@chat/shared';
import { AppError } from '../../common/errors/app-error';
import { DomainEventBus } from '../../common/events/domain-event-bus';
import { toSettingsColumns, toUserDto } from './user.mapper';
import { UserRepository } from './user.repository';

const USER_SEARCH_LIMIT = 20;
const userNotFound = () => new AppError(404, 'USER_NOT_FOUND', 'User not found');

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly events: DomainEventBus,
  ) {}

  create(input: { email: string; passwordHash: string; displayName: string }): Promise<UserRow | null> {
    return this.users.insertIfEmailFree(input);
  }

  findByEmail(email: string): Promise<UserRow | null> {
    return this.users.findByEmail(email);
  }

  findById(id: string): Promise<UserRow | null> {
    return this.users.findById(id);
  }

  existingIds(ids: string[]): Promise<string[]> {
    return this.users.existingIds(ids);
  }

  /** Names as they are now, in the order of `ids`. */
  publicUsers(ids: string[]): Promise<PublicUser[]> {
    return this.users.publicUsers(ids);
  }

  async search(query: string, callerId: string): Promise<UserSearchResponse> {
    return { users: await this.users.search(query, callerId, USER_SEARCH_LIMIT) };
  }

  async updateProfile(userId: string, changes: UpdateProfileRequest): Promise<User> {
    const user = await this.users.updateDisplayName(userId, changes.displayName);
    if (!user) throw userNotFound();
    this.events.emit('user.profile-changed', { user: { id: user.id, displayName: user.displayName } });
    return toUserDto(user);
  }

  /** The caller has checked the current password. */
  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    if (!(await this.users.updatePasswordHash(userId, passwordHash))) throw userNotFound();
  }

  async settings(userId: string): Promise<UserSettings> {
    const user = await this.users.findById(userId);
    if (!user) throw userNotFound();
    return toUserDto(user).settings;
  }

  async updateSettings(userId: string, changes: UpdateUserSettingsRequest): Promise<UserSettings> {
    const before = await this.settings(userId);
    const user = await this.users.updateSettings(userId, toSettingsColumns(changes));
    if (!user) throw userNotFound();
    const after = toUserDto(user).settings;
    this.events.emit('user.settings-changed', { userId, before, after });
    return after;
  }
}
