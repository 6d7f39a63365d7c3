import { expect, test } from "@playwright/test";
import { collectPageErrors, waitForHydration } from "./helpers";

test("home page hydrates without errors and names the product", async ({ page }) => {
  const errors = collectPageErrors(page);
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { level: 1, name: "Reverie" })).toBeVisible();
  await expect(page.getByText(/^Version \d+\.\d+\.\d+/)).toBeVisible();
  await expect(page).toHaveTitle("Reverie");
  expect(errors).toEqual([]);
});

test("navigation after hydration happens in the browser, without a page load", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);
  // A full page load would discard this marker; client-side routing keeps it.
  await page.evaluate(() => ((window as unknown as { reverieMarker: string }).reverieMarker = "kept"));
  let documentRequests = 0;
  page.on("request", (request) => {
    if (request.resourceType() === "document") documentRequests += 1;
  });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "About" }).click();

  await expect(page).toHaveURL(/\/about$/);
  await expect(page.getByRole("heading", { level: 1, name: "About Reverie" })).toBeVisible();
  await expect(page).toHaveTitle("About · Reverie");
  expect(await page.evaluate(() => (window as unknown as { reverieMarker?: string }).reverieMarker)).toBe("kept");
  expect(documentRequests).toBe(0);
});

test("an unknown address shows the not-found page with status 404", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await waitForHydration(page);
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Reverie" })).toBeVisible();
});

test("the pages work with JavaScript disabled", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Reverie" })).toBeVisible();
  await page.getByRole("link", { name: "About" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "About Reverie" })).toBeVisible();
  await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
  await context.close();
});

test("pages run under the Content-Security-Policy without violations", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(message.text());
  });
  const response = await page.goto("/login");
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy).toContain("script-src 'nonce-");
  expect(policy).toContain("'strict-dynamic'");
  await waitForHydration(page);
  await page.getByRole("link", { name: "About" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "About Reverie" })).toBeVisible();
  expect(violations).toEqual([]);
});

test("the release bundle has hashed names, comes precompressed and is kept for a year", async ({ request }) => {
  const page = await request.get("/", { headers: { "accept-encoding": "gzip, br" } });
  expect(page.headers()["cache-control"]).toBe("no-store");
  const html = await page.text();
  const hashed = (extension: string) => {
    const found = html.match(new RegExp(`/pkg/reverie\\.[A-Za-z0-9_-]{22}\\.${extension}`));
    expect(found, `a hashed .${extension} named in the page`).not.toBeNull();
    return found![0];
  };
  for (const path of [hashed("wasm"), hashed("js"), hashed("css")]) {
    for (const [accepted, encoding] of [
      ["gzip, deflate, br", "br"],
      ["gzip", "gzip"],
      ["identity", undefined],
    ]) {
      const response = await request.get(path, { headers: { "accept-encoding": accepted! } });
      expect(response.status(), path).toBe(200);
      expect(response.headers()["content-encoding"], `${path} for ${accepted}`).toBe(encoding);
      expect(response.headers()["cache-control"], path).toBe("public, max-age=31536000, immutable");
      expect(response.headers()["vary"], path).toBe("accept-encoding");
    }
  }
});
