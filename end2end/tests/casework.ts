import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { clinicianPassword, newClinician, signIn, waitForHydration } from "./helpers";

/** A signed-in clinician of their own, in a browser context of their own. */
export async function clinicianContext(
  browser: Browser,
  javaScript = true,
  name = "Dr Wren Hale",
): Promise<{ context: BrowserContext; page: Page; email: string }> {
  const email = await newClinician(browser, name);
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const page = await context.newPage();
  await signIn(page, email, clinicianPassword, javaScript);
  return { context, page, email };
}

export async function createCase(page: Page, code: string, javaScript: boolean): Promise<string> {
  await page.getByRole("link", { name: "Cases", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your cases" })).toBeVisible();
  await page.getByRole("link", { name: "New case" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New case" })).toBeVisible();
  if (javaScript) await waitForHydration(page);
  await page.getByLabel("Case code").fill(code);
  await page.getByLabel("Modality").selectOption("psychodynamic");
  await page.getByLabel("How often you meet").selectOption("weekly");
  await page.getByLabel("Start date").fill("2026-01-05");
  await page.getByLabel("Names to watch (optional)").fill("Marguerite");
  await page.getByRole("button", { name: "Create case" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Case ${code}` })).toBeVisible();
  return page.url().replace(/\?.*$/, "");
}

/** Fills row `index` of each kind, adding rows with the form's own buttons. */
export async function fillReflection(page: Page, javaScript: boolean): Promise<void> {
  const reactions = [
    ["helpless", "4", "Could not find words when she spoke of the move."],
    ["parental", "2", "Wanted to shield her from the landlord."],
  ];
  for (const [index, [dimension, intensity, text]] of reactions.entries()) {
    if (index > 0) {
      await page.getByRole("button", { name: /^Add reaction/ }).click();
      if (javaScript) await expect(page.locator(`#reaction-${index}-dimension`)).toBeFocused();
    }
    await page.locator(`#reaction-${index}-dimension`).selectOption(dimension);
    await page.locator(`#reaction-${index}-intensity`).selectOption(intensity);
    await page.locator(`#reaction-${index}-text`).fill(text);
  }
  await page.locator("#trigger-client_material").check();
  await page.locator("#origin-family").check();
  await page.getByLabel("Origin, in your words (private)").fill("My grandmother's silences.");
  await page.getByLabel("Identification", { exact: true }).selectOption("complementary");
  await page.getByLabel("Internal object (for a complementary identification)").fill("the distracted father");
  await page.getByLabel("Enactment noticed").fill("I let the session run four minutes over.");
  const interventions = [
    ["clarification", "5", "", "1"],
    ["confrontation", "", "middle", "3"],
    ["transference_interpretation", "", "late", "4"],
  ];
  for (const [index, [kind, minute, phase, depth]] of interventions.entries()) {
    if (index > 0) {
      await page.getByRole("button", { name: /^Add intervention/ }).click();
      if (javaScript) await expect(page.locator(`#intervention-${index}-kind`)).toBeFocused();
    }
    await page.locator(`#intervention-${index}-kind`).selectOption(kind);
    if (minute) await page.locator(`#intervention-${index}-minute`).fill(minute);
    if (phase) await page.locator(`#intervention-${index}-phase`).selectOption(phase);
    await page.locator(`#intervention-${index}-depth`).selectOption(depth);
  }
  await page.locator("#intervention-2-response").selectOption("withdrawal");
  await page.locator("#intervention-2-text").fill("Linked her lateness to leaving me before I leave her.");
  await page.locator("#episode-0-with-whom").selectOption("past_figure");
  await page.locator("#episode-0-wish").selectOption("w_loved");
  await page.locator("#episode-0-ro").selectOption("ro_rejecting");
  await page.locator("#episode-0-rs-text").fill("She stopped asking.");
  await page.getByLabel("Private notes (never shared with anyone)").fill("Bring the lighthouse dream to my own analysis.");
}

