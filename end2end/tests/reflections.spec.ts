import { expect, test, type Page } from "@playwright/test";
import { clinicianContext, createCase, fillReflection } from "./casework";
import { clinicianPassword, collectPageErrors, copyKeyHandedOver, signIn, waitForHydration } from "./helpers";

async function expectReadingView(page: Page): Promise<void> {
  await expect(page.getByText("Reflection saved.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: /^Session 1 · / })).toBeVisible();
  await expect(page.getByText("Could not find words when she spoke of the move.")).toBeVisible();
  await expect(page.getByText("Wanted to shield her from the landlord.")).toBeVisible();
  await expect(page.getByRole("strong").filter({ hasText: "Transference interpretation" })).toBeVisible();
  await expect(page.getByText("late in the session · depth 4/5 · response: withdrawal")).toBeVisible();
  await expect(page.getByText("minute 5 · depth 1/5")).toBeVisible();
  await expect(page.getByText("Bring the lighthouse dream to my own analysis.")).toBeVisible();
  await expect(page.getByText("To be loved and understood")).toBeVisible();
}

test("create a case, write a reflection, read it, edit it and find it", async ({ browser }) => {
  const { context, page } = await clinicianContext(browser);
  const errors = collectPageErrors(page);
  const caseUrl = await createCase(page, "MX-1", true);

  await page.getByRole("link", { name: "Write reflection for session 1" }).click();
  await waitForHydration(page);
  await fillReflection(page, true);
  await page.getByRole("button", { name: "Save reflection" }).first().click();
  await expect(page).toHaveURL(/\/reflections\/\d+\?saved=1$/);
  await expectReadingView(page);

  // The case's timeline shows the session with its reactions at a glance.
  await page.goto(caseUrl);
  await expect(page.getByRole("link", { name: /^Session 1 · / })).toBeVisible();
  await expect(page.getByRole("list", { name: "Reactions" })).toContainText("Helpless / inadequate 4/5");
  await expect(page.getByText("3 interventions (1 interpretation), 1 episode")).toBeVisible();

  // Edit: change the enactment.
  await page.getByRole("link", { name: /^Session 1 · / }).click();
  await page.getByRole("link", { name: "Edit reflection" }).click();
  await waitForHydration(page);
  await expect(page.locator("#reaction-1-text")).toHaveValue("Wanted to shield her from the landlord.");
  await page.getByLabel("Enactment noticed").fill("I let the session run over, and offered an extra slot.");
  await page.getByRole("button", { name: "Save reflection" }).first().click();
  await expect(page.getByText("Reflection saved.")).toBeVisible();
  await expect(page.getByText("I let the session run over, and offered an extra slot.")).toBeVisible();

  // Search: words from the private notes, then a reaction filter.
  await page.getByRole("link", { name: "Search", exact: true }).click();
  await waitForHydration(page);
  await page.getByLabel("Words").fill("lighthouse dream");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByText("1 reflection matches.")).toBeVisible();
  await expect(page.locator(".passage")).toContainText("Private notes");
  await expect(page.locator(".passage mark")).toHaveText("lighthouse");
  await page.getByLabel("Words").fill("");
  await page.getByLabel("Reaction").selectOption("helpless");
  await page.getByLabel("At least").selectOption("5");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByText("No reflection matches.")).toBeVisible();
  await page.getByLabel("At least").selectOption("4");
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByText("1 reflection matches.")).toBeVisible();
  await page.getByRole("link", { name: /^MX-1 · session 1/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Session 1 · / })).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});

test("the same case and reflection without JavaScript", async ({ browser }) => {
  const { context, page } = await clinicianContext(browser, false);
  await createCase(page, "NJ-2", false);
  await page.getByRole("link", { name: "Write reflection for session 1" }).click();
  await fillReflection(page, false);

  // A mistake first: the message is at the field and nothing typed is lost.
  await page.locator("#reaction-1-intensity").selectOption("");
  await page.getByRole("button", { name: "Save reflection" }).first().click();
  await expect(page.getByText("Choose an intensity from 1 to 5.")).toBeVisible();
  await expect(page.locator("#reaction-1-text")).toHaveValue("Wanted to shield her from the landlord.");
  await expect(page.locator("#intervention-2-text")).toHaveValue("Linked her lateness to leaving me before I leave her.");
  await page.locator("#reaction-1-intensity").selectOption("2");
  await page.getByRole("button", { name: "Save reflection" }).first().click();
  await expectReadingView(page);
  await context.close();
});

test("an edit saved elsewhere is not overwritten: both versions are shown", async ({ browser }) => {
  const { context, page, email } = await clinicianContext(browser);
  await createCase(page, "CF-3", true);
  await page.getByRole("link", { name: "Write reflection for session 1" }).click();
  await waitForHydration(page);
  await page.getByLabel("Enactment noticed").fill("First version.");
  await page.getByRole("button", { name: "Save reflection" }).first().click();
  await expect(page.getByText("Reflection saved.")).toBeVisible();
  const editUrl = page.url().replace(/\?.*$/, "") + "/edit";

  // A second device opens the same reflection.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage, email, clinicianPassword, true);
  await otherPage.goto(editUrl);
  await waitForHydration(otherPage);

  await page.goto(editUrl);
  await waitForHydration(page);
  await page.getByLabel("Enactment noticed").fill("Saved from the laptop.");
  await page.getByRole("button", { name: "Save reflection" }).first().click();
  await expect(page.getByText("Saved from the laptop.")).toBeVisible();

  await otherPage.getByLabel("Enactment noticed").fill("Typed on the tablet.");
  await otherPage.getByRole("button", { name: "Save reflection" }).first().click();
  await expect(otherPage.getByRole("heading", { name: "This reflection was changed elsewhere" })).toBeVisible();
  await expect(otherPage.locator(".saved-version")).toContainText("Saved from the laptop.");
  await expect(otherPage.getByLabel("Enactment noticed")).toHaveValue("Typed on the tablet.");
  await otherPage.getByRole("button", { name: "Save my version over it" }).first().click();
  await expect(otherPage.getByText("Reflection saved.")).toBeVisible();
  await expect(otherPage.getByText("Typed on the tablet.")).toBeVisible();
  await other.close();
  await context.close();
});

test("a draft survives a reload and is offered again", async ({ browser }) => {
  const { context, page } = await clinicianContext(browser);
  await createCase(page, "DR-4", true);
  await page.getByRole("link", { name: "Write reflection for session 1" }).click();
  await waitForHydration(page);
  await page.locator("#reaction-0-text").fill("Sleepy and far away.");
  await expect(page.getByText(/^Draft kept /)).toBeVisible();
  await page.reload();
  await waitForHydration(page);
  await expect(page.getByRole("heading", { name: "You have unsaved changes" })).toBeVisible();
  const keyed = copyKeyHandedOver(page);
  await page.getByRole("link", { name: "Restore my changes" }).click();
  await expect(page.locator("#reaction-0-text")).toHaveValue("Sleepy and far away.");

  // Typing and reloading at once: the browser's sealed copy reaches the server.
  await waitForHydration(page);
  await keyed;
  await page.getByLabel("Enactment noticed").fill("Yawned twice.");
  await page.reload();
  await waitForHydration(page);
  await expect(page).toHaveURL(/recovered=1/);
  await expect(page.getByText("Changes kept in this browser were recovered.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "You have unsaved changes" })).toBeVisible();
  await page.getByRole("link", { name: "Restore my changes" }).click();
  await expect(page.getByLabel("Enactment noticed")).toHaveValue("Yawned twice.");
  await expect(page.locator("#reaction-0-text")).toHaveValue("Sleepy and far away.");
  await context.close();
});

test("the reflection form can be completed with the keyboard alone", async ({ browser }) => {
  const { context, page } = await clinicianContext(browser);
  await createCase(page, "KB-5", true);
  await page.getByRole("link", { name: "Write reflection for session 1" }).click();
  await waitForHydration(page);

  await page.locator("#reaction-0-dimension").focus();
  await page.keyboard.type("Helpless");
  await page.keyboard.press("Tab");
  await page.keyboard.type("4");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Heavy after she left.");
  await page.keyboard.press("Tab"); // Remove reaction 1
  await page.keyboard.press("Tab"); // Add reaction
  await page.keyboard.press("Enter");
  await expect(page.locator("#reaction-1-dimension")).toBeFocused();
  await page.keyboard.type("Positive");
  await page.keyboard.press("Tab");
  await page.keyboard.type("2");
  await page.keyboard.press("Control+Enter");
  await expect(page).toHaveURL(/\/reflections\/\d+\?saved=1$/);
  await expect(page.getByText("Heavy after she left.")).toBeVisible();
  await expect(page.getByText("Positive / satisfying")).toBeVisible();
  await context.close();
});
