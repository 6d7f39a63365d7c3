import { expect, test } from "@playwright/test";
import { clinicianContext, createCase } from "./casework";
import { collectPageErrors, snapshot, waitForHydration } from "./helpers";

// "Marguerite" is the case's name to watch (see createCase).
const ENACTMENT = "Marguerite rang me from 617-555-0142 after the session.";

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "without JavaScript";

  test(`possible identifiers are marked, and sharing waits until each is confirmed (${mode})`, async ({ browser }) => {
    test.setTimeout(90_000);
    const code = javaScript ? "ID-1" : "ID-2";
    const therapist = await clinicianContext(browser, javaScript, "Dr Wren Hale");
    const supervisor = await clinicianContext(browser, javaScript, "Dr Sam Okafor");
    const errors = javaScript ? collectPageErrors(therapist.page) : [];
    const t = therapist.page;

    const caseUrl = await createCase(t, code, javaScript);
    await t.getByRole("link", { name: "Write reflection for session 1" }).click();
    if (javaScript) await waitForHydration(t);
    await t.getByLabel("Enactment noticed").fill(ENACTMENT);
    const marks = t.locator(".field-marks");
    if (javaScript) {
      // Marked under the field as it is typed.
      await expect(marks.locator("mark", { hasText: "Marguerite" })).toBeVisible();
      await expect(marks.locator("mark", { hasText: "617-555-0142" })).toBeVisible();
      await expect(marks).toContainText("a phone or fax number");
      await snapshot(t, "identifiers-editor");
    } else {
      await expect(marks).toHaveCount(0);
    }
    await t.getByRole("button", { name: "Save reflection" }).first().click();
    await expect(t.getByText("Reflection saved.")).toBeVisible();

    // The saved reflection marks both where they are.
    const review = t.locator("#identifiers");
    await expect(review.getByRole("heading", { name: "Possible identifiers" })).toBeVisible();
    await expect(review.locator("mark.identifier", { hasText: "Marguerite" })).toBeVisible();
    await expect(review.locator("mark.identifier", { hasText: "617-555-0142" })).toBeVisible();

    // The share step lists them and waits.
    await t.goto(caseUrl);
    await t.getByRole("link", { name: "Share this case…" }).click();
    await t.getByLabel("Supervisor's email address").fill(supervisor.email);
    await t.getByLabel("Same-organisation training programme").check();
    await t.getByRole("button", { name: "Preview what they will see" }).click();
    await expect(t.getByRole("heading", { name: "What Dr Sam Okafor will see" })).toBeVisible();
    await expect(t.getByText("2 possible identifiers are waiting")).toBeVisible();
    await expect(t.getByRole("button", { name: "Share with Dr Sam Okafor" })).toHaveCount(0);
    await expect(t.getByText("Sharing waits until every possible identifier above is fixed or confirmed.")).toBeVisible();
    if (javaScript) await snapshot(t, "identifiers-share-step");

    // Confirming both lets the case be shared.
    if (javaScript) await waitForHydration(t);
    await t.getByLabel("“Marguerite” (one of the names to watch) is not identifying").check();
    await t.getByLabel("“617-555-0142” (a phone or fax number) is not identifying").check();
    await t.getByRole("button", { name: "Confirm the checked ones are not identifying" }).click();
    await expect(t.getByText("Every possible identifier here is confirmed as not identifying.")).toBeVisible();
    await expect(t.getByRole("heading", { name: "What Dr Sam Okafor will see" })).toBeVisible();
    if (javaScript) await waitForHydration(t);
    await t.getByRole("button", { name: "Share with Dr Sam Okafor" }).click();
    await expect(t.getByText("The case is shared.")).toBeVisible();

    expect(errors).toEqual([]);
    await therapist.context.close();
    await supervisor.context.close();
  });
}
