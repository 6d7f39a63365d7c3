import { expect, type Browser, type Page } from "@playwright/test";

// Created by .ci/test with `server create-admin` before the server starts.
export const adminEmail = process.env.REVERIE_E2E_ADMIN_EMAIL ?? "admin@e2e.test";
export const adminPassword = process.env.REVERIE_E2E_ADMIN_PASSWORD ?? "";
export const clinicianPassword = "maple lantern orbit quietly";

/**
 * Waits until the WebAssembly bundle has hydrated the page. When it does not,
 * the failure carries what the page logged since it loaded (a panic during
 * hydration is printed to the console), since CI keeps no trace.
 */
export async function waitForHydration(page: Page): Promise<void> {
  try {
    // Compiling the 2 MB bundle can take seconds on a busy 2-core machine.
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true", { timeout: 20_000 });
  } catch (error) {
    const logged = (await page.consoleMessages({ filter: "since-navigation" })).map(
      (message) => `console.${message.type()}: ${message.text()}`,
    );
    const thrown = (await page.pageErrors({ filter: "since-navigation" })).map((error) => `uncaught: ${error.message}`);
    const wasm = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .filter((entry) => /\.(wasm|js)$/.test(entry.name))
        .map((entry) => `${entry.name} ${Math.round(entry.duration)} ms`),
    );
    throw new Error(
      `${page.url()} did not hydrate.\n` +
        `What the page logged: ${[...logged, ...thrown].join("\n") || "nothing"}\n` +
        `Scripts loaded: ${wasm.join(", ") || "none"}\n${error}`,
    );
  }
}

/**
 * Resolves when the server has handed the editor the key that seals its copy
 * of unsaved typing in the browser (set it up before opening the editor):
 * typing before that is kept on the server only.
 */
export function copyKeyHandedOver(page: Page): Promise<unknown> {
  return page.waitForResponse((response) => response.url().includes("/api/browser-copies/new-key") && response.ok());
}

// With REVERIE_E2E_SCREENSHOTS set to a folder, journeys also save
// screenshots of the pages they pass (at 1280 and 390 pixels) for a person
// to look at.
export const screenshots = process.env.REVERIE_E2E_SCREENSHOTS;

export async function snapshot(page: Page, name: string): Promise<void> {
  if (!screenshots) return;
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${screenshots}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

/**
 * Collects console errors (CSP violations among them) and uncaught
 * exceptions for the test to assert on. Chromium's own note that a request
 * answered 4xx is left out: a refused form submission is expected behaviour.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (message.text().startsWith("Failed to load resource: the server responded with a status of 4")) return;
    errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

export async function signIn(page: Page, email: string, password: string, javaScript: boolean): Promise<void> {
  await page.goto("/login");
  if (javaScript) await waitForHydration(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("link", { name: "Account" })).toBeVisible();
}

/** An administrator invites a new address; returns the invitation link. */
export async function invite(browser: Browser, email: string, javaScript: boolean): Promise<string> {
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  await signIn(page, adminEmail, adminPassword, javaScript);
  await page.getByRole("link", { name: "Administration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Administration" })).toBeVisible();
  if (javaScript) await waitForHydration(page);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const link = await page.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  // The token is in the page's body only, never in its address (history).
  const token = link.split("/invite/")[1];
  if (!javaScript) expect(page.url()).toMatch(/\/admin\?revealed=invitation-\d+$/);
  expect(page.url()).not.toContain(token);
  await context.close();
  return link;
}

/** A new clinician account (invited and accepted); returns its email. */
export async function newClinician(browser: Browser, name = "Dr Wren Hale"): Promise<string> {
  expect(adminPassword, "REVERIE_E2E_ADMIN_PASSWORD must be set").not.toBe("");
  const email = `therapist-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
  const link = await invite(browser, email, true);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await waitForHydration(page);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Password", { exact: true }).fill(clinicianPassword);
  await page.getByLabel("Repeat the password").fill(clinicianPassword);
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByText("Your account is ready. Sign in with your password.")).toBeVisible();
  await context.close();
  return email;
}
