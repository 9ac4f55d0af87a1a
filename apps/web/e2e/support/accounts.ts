import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';

export const PASSWORD = 'correct horse battery';

export interface Account {
  id: string;
  email: string;
  displayName: string;
  accessToken: string;
}

/** Registers through the API (fast setup; the browser flows under test stay in the UI). */
export async function registerAccount(baseUrl: string, displayName: string): Promise<Account> {
  const email = `user-${randomUUID()}@example.com`;
  const response = await fetch(`${baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, displayName }),
  });
  if (response.status !== 201) throw new Error(`Registering ${displayName} failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { accessToken: string; user: { id: string } };
  return { id: body.user.id, email, displayName, accessToken: body.accessToken };
}

/** A JSON API call as `account`; throws on an unexpected status so setup failures are obvious. */
export async function apiAs<T = unknown>(
  baseUrl: string,
  account: Account,
  method: string,
  path: string,
  body?: unknown,
  expectStatus: number[] = [200, 201, 204],
): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${account.accessToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!expectStatus.includes(response.status)) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function logIn(page: Page, account: Account): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.getByRole('banner').getByText(account.displayName, { exact: true }).waitFor();
}
