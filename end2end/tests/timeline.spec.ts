import { expect, test } from "@playwright/test";
import { clinicianContext, createCase } from "./casework";
import { collectPageErrors, waitForHydration } from "./helpers";

/** `YYYY-MM-DD`, `days` after the case's start (2026-01-05, see createCase). */
function dayOfCase(days: number): string {
  return new Date(Date.UTC(2026, 0, 5 + days)).toISOString().slice(0, 10);
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "without JavaScript";

  test(`a long case lists its sessions fifty to a page, newest first (${mode})`, async ({ browser, baseURL }) => {
    const { context, page } = await clinicianContext(browser, javaScript);
    const errors = collectPageErrors(page);
    const caseUrl = await createCase(page, "LONG-1", javaScript);
    const caseId = caseUrl.split("/cases/")[1];

    // 53 sessions, saved as the editor saves them (one reaction each).
    for (let number = 1; number <= 53; number++) {
      const response = await page.request.post("/api/reflections/save", {
        headers: { origin: baseURL ?? "" },
        form: {
          case_id: caseId,
          "reflection[session_number]": String(number),
          "reflection[session_date]": dayOfCase(number - 1),
          "reflection[reactions][0][id]": "",
          "reflection[reactions][0][dimension]": "positive",
          "reflection[reactions][0][intensity]": "3",
          "reflection[reactions][0][text]": "",
          intent: "save",
        },
      });
      expect(response.status(), `saving session ${number}`).toBe(200);
    }

    await page.goto(caseUrl);
    if (javaScript) await waitForHydration(page);
    await expect(page.getByText("Sessions 1–50 of 53, newest first.")).toBeVisible();
    await expect(page.getByRole("link", { name: /^Session 53 · / })).toBeVisible();
    await expect(page.getByRole("link", { name: /^Session 4 · / })).toBeVisible();
    await expect(page.getByRole("link", { name: /^Session 3 · / })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Newer sessions" })).toHaveCount(0);

    await page.getByRole("link", { name: "Earlier sessions" }).click();
    await expect(page).toHaveURL(new RegExp(`/cases/${caseId}\\?page=2$`));
    await expect(page.getByText("Sessions 51–53 of 53, newest first.")).toBeVisible();
    await expect(page.getByRole("link", { name: /^Session 1 · / })).toBeVisible();
    await expect(page.getByRole("link", { name: /^Session 4 · / })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Earlier sessions" })).toHaveCount(0);
    // Each session still shows its reactions at a glance.
    await expect(page.getByRole("list", { name: "Reactions" }).first()).toContainText("3/5");

    await page.getByRole("link", { name: "Newer sessions" }).click();
    await expect(page).toHaveURL(new RegExp(`/cases/${caseId}$`));
    await expect(page.getByText("Sessions 1–50 of 53, newest first.")).toBeVisible();
    await expect(page.getByRole("link", { name: /^Session 53 · / })).toBeVisible();

    expect(errors).toEqual([]);
    await context.close();
  });
}
