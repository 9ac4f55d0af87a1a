import { api, createUser, PASSWORD, type TestUser } from '@chat/test-kit';
import type { Page } from 'playwright-core';

export { createDirect, createGroup, sendMessage } from '@chat/test-kit';
export { PASSWORD };

export type Account = TestUser;

/** Registers through the API (fast setup; the browser flows under test stay in the UI). */
export const registerAccount = (baseUrl: string, displayName: string): Promise<Account> => createUser(baseUrl, { displayName });

/** A JSON API call as `account`; throws on an unexpected status so setup failures are obvious. */
export const apiAs = <T = unknown>(baseUrl: string, account: Account, method: string, path: string, body?: unknown, expectStatus?: number[]): Promise<T> =>
  api<T>(baseUrl, account, method, path, body, expectStatus);

export async function logIn(page: Page, account: Account): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByRole('banner').getByText(account.displayName, { exact: true }).waitFor();
}
