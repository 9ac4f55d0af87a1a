import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from './support/suite';

const TOKEN_KEY = 'chat.accessToken';
const PASSWORD = 'correct horse battery';

const suite = useBrowserSuite();

async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
  return (await suite.open(viewport)).page;
}

function uniqueEmail(): string {
  return `user-${randomUUID()}@example.com`;
}

function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

/** Creates an account straight through the API (no browser session). */
async function createAccount(displayName: string): Promise<{ email: string; displayName: string }> {
  const email = uniqueEmail();
  const response = await fetch(`${suite.baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, displayName }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return { email, displayName };
}

async function logInThroughForm(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

function currentUser(page: Page, displayName: string) {
  return page.getByRole('banner').getByText(displayName, { exact: true });
}

async function storedToken(page: Page): Promise<{ token: string; expiresAt: number } | null> {
  return page.evaluate((key) => {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as { token: string; expiresAt: number }) : null;
  }, TOKEN_KEY);
}

async function corruptStoredToken(page: Page): Promise<void> {
  await page.evaluate((key) => {
    const stored = JSON.parse(localStorage.getItem(key) ?? 'null') as { token: string; expiresAt: number } | null;
    if (!stored) throw new Error('No access token was stored');
    localStorage.setItem(key, JSON.stringify({ ...stored, token: 'not-a-valid-token' }));
  }, TOKEN_KEY);
}

/** Records the status of every API response, in order, as "METHOD /path status". */
function recordApiResponses(page: Page): string[] {
  const seen: string[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.startsWith('/api/')) seen.push(`${response.request().method()} ${url.pathname} ${response.status()}`);
  });
  return seen;
}

describe('authentication in the browser', () => {
  it('registers, stays signed in across a reload, logs out and guards protected pages', async () => {
    const page = await newPage();
    const displayName = 'Ada Lovelace';

    await page.goto('/register');
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await page.getByLabel('Display name').fill(displayName);
    await page.getByLabel('Email').fill(uniqueEmail());
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account', exact: true }).click();

    await currentUser(page, displayName).waitFor();
    expect(pathOf(page)).toBe('/');
    await page.getByText('No conversations yet').waitFor();
    await page.getByRole('heading', { name: 'Select a conversation to start chatting' }).waitFor();
    expect(await page.getByRole('banner').getByText('AL', { exact: true }).isVisible()).toBe(true);
    expect((await storedToken(page))?.token).toBeTruthy();
    await page.screenshot({ path: '/tmp/web-shell.png' });

    // A reload restores the session without ever showing the login page.
    const visited: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
    });
    await page.reload();
    await currentUser(page, displayName).waitFor();
    expect(pathOf(page)).toBe('/');
    expect(visited).not.toContain('/login');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByRole('heading', { name: 'Log in to Chat' }).waitFor();
    expect(await storedToken(page)).toBeNull();

    // A full load of a protected page: the refresh cookie is gone too, so back to /login.
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByRole('heading', { name: 'Log in to Chat' }).waitFor();
    expect(await currentUser(page, displayName).count()).toBe(0);
  });

  it('shows "Invalid email or password" for a wrong password and stays on /login', async () => {
    const account = await createAccount('Grace Hopper');
    const page = await newPage();
    const api = recordApiResponses(page);

    await page.goto('/login');
    await logInThroughForm(page, account.email, 'definitely-wrong');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Invalid email or password');
    expect(pathOf(page)).toBe('/login');
    expect(api).toContain('POST /api/auth/login 401');
    expect(await storedToken(page)).toBeNull();
    // The submit button is usable again for the next try.
    expect(await page.getByRole('button', { name: 'Log in', exact: true }).isEnabled()).toBe(true);
    await page.screenshot({ path: '/tmp/web-login.png' });
  });

  it('validates the register form with the shared schema rules before calling the server', async () => {
    const page = await newPage();
    const registerCalls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/auth/register') registerCalls.push(request.method());
    });

    await page.goto('/register');
    await page.getByLabel('Display name').fill('A');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm password').fill('different');
    await page.getByRole('button', { name: 'Create account', exact: true }).click();

    await page.getByText('Password must be at least 8 characters').waitFor();
    await page.getByText('Passwords do not match').waitFor();
    await page.getByText('Display name must be at least 2 characters').waitFor();
    await page.getByText('Enter a valid email address').waitFor();
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Confirm password').getAttribute('aria-invalid')).toBe('true');

    // Fixing the password but not the confirmation leaves only the mismatch.
    await page.getByLabel('Password', { exact: true }).fill('long enough password');
    await page.getByText('Password must be at least 8 characters').waitFor({ state: 'detached' });
    expect(await page.getByText('Passwords do not match').isVisible()).toBe(true);

    expect(registerCalls).toEqual([]);
    expect(pathOf(page)).toBe('/register');
  });

  it('recovers through the refresh cookie when the stored access token is no longer valid', async () => {
    const account = await createAccount('Alan Turing');
    const page = await newPage();
    await page.goto('/login');
    await logInThroughForm(page, account.email, PASSWORD);
    await currentUser(page, account.displayName).waitFor();

    // 1. Start-up: the app trades the cookie for a fresh token instead of trusting the stored one.
    await corruptStoredToken(page);
    let api = recordApiResponses(page);
    await page.reload();
    await currentUser(page, account.displayName).waitFor();
    expect(pathOf(page)).toBe('/');
    expect(api).toContain('POST /api/auth/refresh 200');
    const renewed = await storedToken(page);
    expect(renewed?.token).toBeTruthy();
    expect(renewed?.token).not.toBe('not-a-valid-token');

    // 2. A request that gets 401 with the bad token refreshes once and is retried. The first
    //    refresh at start-up fails (503) so the app falls back to the stored, invalid token.
    await corruptStoredToken(page);
    let failedOnce = false;
    await page.route('**/api/auth/refresh', async (route) => {
      if (failedOnce) return route.continue();
      failedOnce = true;
      return route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'Try again' }),
      });
    });
    page.removeAllListeners('response');
    api = recordApiResponses(page);
    await page.reload();
    await currentUser(page, account.displayName).waitFor();
    expect(pathOf(page)).toBe('/');
    // The header shows the user as soon as the refresh succeeds; the retried /me may still be in flight.
    await expect
      .poll(() => api.filter((entry) => entry.includes('/api/auth/')))
      .toEqual(['POST /api/auth/refresh 503', 'GET /api/auth/me 401', 'POST /api/auth/refresh 200', 'GET /api/auth/me 200']);
    expect((await storedToken(page))?.token).not.toBe('not-a-valid-token');
    await page.unroute('**/api/auth/refresh');

    // 3. Without the cookie the refresh fails for good: the app signs out and shows /login.
    await page.context().clearCookies();
    await corruptStoredToken(page);
    await page.reload();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.getByRole('heading', { name: 'Log in to Chat' }).waitFor();
    expect(await storedToken(page)).toBeNull();
  });

  it('sends the user back to the page they asked for after logging in', async () => {
    const account = await createAccount('Katherine Johnson');
    const page = await newPage();

    await page.goto('/c/some-conversation');
    await page.waitForURL((url) => url.pathname === '/login');
    await logInThroughForm(page, account.email, PASSWORD);

    await page.waitForURL((url) => url.pathname === '/c/some-conversation');
    await currentUser(page, account.displayName).waitFor();

    // Signed-in users are sent away from the auth pages.
    await page.goto('/register');
    await page.waitForURL((url) => url.pathname === '/');
    await currentUser(page, account.displayName).waitFor();
  });
});
