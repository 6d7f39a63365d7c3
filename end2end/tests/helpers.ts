import { expect, type Page } from "@playwright/test";

/** Waits until the WebAssembly bundle has hydrated the page. */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
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
