import { expect, test, type Page } from "@playwright/test";
import { createCase, clinicianContext } from "./casework";
import { clinicianPassword, copyKeyHandedOver, signIn, waitForHydration } from "./helpers";

/** Everything in the page's local storage, as one string. */
async function storedInBrowser(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify(Object.entries(window.localStorage)));
}

test("the editor's copy in the browser is sealed, survives signing out, and is recovered after signing in", async ({
  browser,
}) => {
  const { context, page, email } = await clinicianContext(browser);
  await createCase(page, "BC-1", true);
  const keyed = copyKeyHandedOver(page);
  await page.getByRole("link", { name: "Write reflection for session 1" }).click();
  await waitForHydration(page);
  await keyed;
  const editorUrl = page.url();

  // The server cannot take the draft (as when the network is down).
  await page.route("**/api/reflections/keep-draft", (route) => route.abort());
  await page.locator("#reaction-0-text").fill("Sleepy and far away.");
  await page.getByLabel("Private notes (never shared with anyone)").fill("The lighthouse dream, for my own analysis.");
  await expect(page.getByText("The server cannot be reached: your changes are kept in this browser for now.")).toBeVisible();
  const stored = await storedInBrowser(page);
  expect(stored).toMatch(/reverie-draft:\d+:\d+:new/);
  expect(stored).toContain("bc1.");
  for (const text of ["Sleepy", "lighthouse", "analysis", "reaction"]) expect(stored).not.toContain(text);

  // A copy written before copies were sealed, by someone else on this computer.
  await page.evaluate(() =>
    window.localStorage.setItem("reverie-draft:999999:1:new", '{"reflection":{"private_notes":"Old plaintext notes"}}'),
  );
  await page.unroute("**/api/reflections/keep-draft");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login\?signed_out=1/);
  const afterSignOut = await storedInBrowser(page);
  for (const text of ["Sleepy", "lighthouse", "Old plaintext notes"]) expect(afterSignOut).not.toContain(text);
  expect(afterSignOut).toContain("bc1.");

  // Signing in again, the editor takes the sealed copy to the server.
  await signIn(page, email, clinicianPassword, true);
  await page.goto(editorUrl);
  await waitForHydration(page);
  await expect(page).toHaveURL(/recovered=1/);
  await expect(page.getByText("Changes kept in this browser were recovered.")).toBeVisible();
  await page.getByRole("link", { name: "Restore my changes" }).click();
  await expect(page.locator("#reaction-0-text")).toHaveValue("Sleepy and far away.");
  await expect(page.getByLabel("Private notes (never shared with anyone)")).toHaveValue(
    "The lighthouse dream, for my own analysis.",
  );
  expect(await storedInBrowser(page)).not.toContain("bc1.");
  await context.close();
});

test("a plaintext copy left by an earlier version goes to the server as a draft and leaves the browser", async ({
  browser,
}) => {
  const { context, page } = await clinicianContext(browser);
  const caseUrl = await createCase(page, "BC-2", true);
  const keyed = copyKeyHandedOver(page);
  await page.getByRole("link", { name: "Write reflection for session 1" }).click();
  await waitForHydration(page);
  await keyed;
  // A sealed copy names this browser's place for the draft.
  await page.route("**/api/reflections/keep-draft", (route) => route.abort());
  await page.locator("#reaction-0-text").fill("x");
  await expect(page.getByText("The server cannot be reached: your changes are kept in this browser for now.")).toBeVisible();
  const place = await page.evaluate(() => Object.keys(window.localStorage).find((key) => key.startsWith("reverie-draft:")));
  expect(place).toMatch(/^reverie-draft:\d+:\d+:new$/);
  await page.unroute("**/api/reflections/keep-draft");

  // What the editor kept before copies were sealed: the draft as plain JSON.
  const caseId = Number(caseUrl.split("/cases/")[1]);
  const legacy = JSON.stringify({
    case_id: caseId,
    reflection_id: null,
    version: null,
    reflection: { session_number: "1", session_date: "2026-02-02", private_notes: "Notes from the old editor." },
  });
  await page.evaluate(([place, legacy]) => window.localStorage.setItem(place, legacy), [place!, legacy]);
  await page.goto(caseUrl);
  await waitForHydration(page);
  await expect.poll(() => storedInBrowser(page)).not.toContain("Notes from the old editor.");

  await page.goto(`${caseUrl}/reflections/new`);
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: "You have unsaved changes" })).toBeVisible();
  await page.getByRole("link", { name: "Restore my changes" }).click();
  await expect(page.getByLabel("Private notes (never shared with anyone)")).toHaveValue("Notes from the old editor.");
  await context.close();
});
