import { expect, test, type Page } from "@playwright/test";
import { clinicianContext, createCase, fillReflection } from "./casework";
import { collectPageErrors, screenshots, snapshot, waitForHydration } from "./helpers";

const CHARTS = [
  "Interventions, interpretations and transference interpretations per session",
  "Mean depth of the interventions per session",
  "Wishes (W)",
  "Responses of other (RO)",
  "Responses of self (RS)",
  "Highest intensity of each reaction, session by session",
];

/** Writes the reflection of session `number` with the form's usual rows. */
async function writeSession(page: Page, caseUrl: string, number: number, date: string, javaScript: boolean) {
  await page.goto(caseUrl);
  await page.getByRole("link", { name: `Write reflection for session ${number}` }).click();
  if (javaScript) await waitForHydration(page);
  await fillReflection(page, javaScript);
  await page.getByLabel("Session date").fill(date);
  await page.locator("#episode-0-when").selectOption("long_ago");
  await page.getByRole("button", { name: "Save reflection" }).first().click();
  await expect(page.getByText("Reflection saved.")).toBeVisible();
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "without JavaScript";

  test(`a case's analytics show each chart with its table, and the threshold can be changed (${mode})`, async ({
    browser,
  }) => {
    test.setTimeout(90_000);
    const { page: t } = await clinicianContext(browser, javaScript);
    const errors = javaScript ? collectPageErrors(t) : [];
    const code = javaScript ? "AN-1" : "AN-2";
    const caseUrl = await createCase(t, code, javaScript);
    await writeSession(t, caseUrl, 1, "2026-01-05", javaScript);
    await writeSession(t, caseUrl, 2, "2026-01-12", javaScript);

    await t.goto(caseUrl);
    await t.getByRole("link", { name: "Analytics" }).click();
    await expect(t.getByRole("heading", { level: 1, name: `Analytics · case ${code}` })).toBeVisible();
    await expect(t.getByText("2 sessions. Computed from every session with a reflection.")).toBeVisible();
    for (const caption of CHARTS) {
      const figure = t.getByRole("figure", { name: caption });
      await expect(figure.getByRole("img")).toBeVisible();
      await expect(figure.locator("table").first()).toBeVisible();
    }
    await expect(t.getByText(/No interpretation is flagged as premature\. No session has more than 3 transference/)).toBeVisible();
    const pacing = t.getByRole("figure", { name: CHARTS[0] }).locator("table");
    await expect(pacing.getByRole("row", { name: /Session 2 · week 2/ })).toContainText("33%");
    await expect(t.getByRole("row", { name: /The therapist/ })).toBeVisible();
    const clusters = t.getByRole("table", { name: "Clusters per session" });
    await expect(clusters.getByRole("row", { name: /Session 1 · week 1/ })).toContainText("To be loved and understood");
    await expect(t.getByRole("row", { name: /Others \(current or past\)/ })).toContainText("2");
    if (javaScript) await snapshot(t, "analytics");
    if (javaScript && screenshots) {
      await t.emulateMedia({ media: "print" });
      await t.pdf({ path: `${screenshots}/analytics.pdf`, format: "A4" });
      await t.emulateMedia({ media: "screen" });
    }

    // The therapist lowers the threshold: both sessions are flagged.
    if (javaScript) await waitForHydration(t);
    await t.getByText("Transference threshold: 3 per session").click();
    const threshold = t.getByLabel("Flag a session with more transference interpretations than");
    await threshold.fill("25");
    await t.getByRole("button", { name: "Save threshold" }).click();
    await expect(t.getByText("Enter a whole number from 0 to 20.")).toBeVisible();
    await expect(threshold).toHaveValue("25");
    await threshold.fill("0");
    await t.getByRole("button", { name: "Save threshold" }).click();
    await expect(t.getByText("The threshold was saved.")).toBeVisible();
    await expect(t.getByText("Sessions 1 and 2 have more than 0 transference interpretations.")).toBeVisible();
    await expect(pacing.getByRole("row", { name: /Session 1 · week 1/ })).toContainText("Over the threshold");
    expect(errors).toEqual([]);
  });
}
