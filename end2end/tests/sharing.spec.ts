import { expect, test, type Page } from "@playwright/test";
import { clinicianContext, createCase, fillReflection } from "./casework";
import { collectPageErrors, snapshot, waitForHydration } from "./helpers";

const PRIVATE_NOTES = "Bring the lighthouse dream to my own analysis.";
const ORIGIN = "My grandmother's silences.";
const SESSION_DATE = "2026-03-02"; // week 9 of a case started 2026-01-05

/** Nothing private reaches the supervisor's page. */
async function expectNothingPrivate(page: Page): Promise<void> {
  const text = await page.locator("body").innerText();
  for (const secret of [PRIVATE_NOTES, ORIGIN, "Marguerite", SESSION_DATE, "2026-01-05", "Origin"]) {
    expect(text, `"${secret}" must not reach the supervisor`).not.toContain(secret);
  }
}

/** The list item of the reflection's transference interpretation. */
function interpretation(page: Page) {
  return page.locator("li", { hasText: "Transference interpretation" }).last();
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "without JavaScript";

  test(`share a case, review it as supervisor, reply, revoke (${mode})`, async ({ browser }) => {
    // Two people through a dozen pages each: longer than the default allows
    // on a loaded machine.
    test.setTimeout(90_000);
    const code = javaScript ? "SH-1" : "SH-2";
    const therapist = await clinicianContext(browser, javaScript, "Dr Wren Hale");
    const supervisor = await clinicianContext(browser, javaScript, "Dr Sam Okafor");
    const errors = [...(javaScript ? [collectPageErrors(therapist.page), collectPageErrors(supervisor.page)] : [])];
    const t = therapist.page;
    const s = supervisor.page;

    // The therapist writes a reflection for session 1.
    const caseUrl = await createCase(t, code, javaScript);
    await t.getByRole("link", { name: "Write reflection for session 1" }).click();
    if (javaScript) await waitForHydration(t);
    await fillReflection(t, javaScript);
    await t.getByLabel("Session date").fill(SESSION_DATE);
    await t.getByRole("button", { name: "Save reflection" }).first().click();
    await expect(t.getByText("Reflection saved.")).toBeVisible();
    const reflectionUrl = t.url().replace(/\?.*$/, "");

    // Share it: the preview shows exactly what the supervisor will see.
    await t.goto(caseUrl);
    await t.getByRole("link", { name: "Share this case…" }).click();
    await expect(t.getByRole("heading", { level: 1, name: `Share case ${code} with a supervisor` })).toBeVisible();
    await t.getByLabel("Supervisor's email address").fill(supervisor.email);
    await t.getByRole("button", { name: "Preview what they will see" }).click();
    await expect(t.getByText(/^Choose the basis for sharing/)).toBeVisible();
    await expect(t.getByLabel("Supervisor's email address")).toHaveValue(supervisor.email);
    await t.getByLabel("Same-organisation training programme").check();
    await t.getByRole("button", { name: "Preview what they will see" }).click();
    await expect(t.getByRole("heading", { name: "What Dr Sam Okafor will see" })).toBeVisible();
    await t.getByText("Session 1 · week 9").click();
    await expect(t.locator(".share-preview")).toContainText("Linked her lateness to leaving me before I leave her.");
    await expect(t.locator(".share-preview")).not.toContainText(PRIVATE_NOTES);
    await expect(t.locator(".share-preview")).not.toContainText(ORIGIN);
    if (javaScript) await snapshot(t, "share-form");
    if (javaScript) await waitForHydration(t);
    await t.getByRole("button", { name: "Share with Dr Sam Okafor" }).click();
    await expect(t.getByText("The case is shared.")).toBeVisible();
    await expect(t.locator("#sharing")).toContainText("Dr Sam Okafor");
    await expect(t.locator("#sharing")).toContainText("Active");

    // The supervisor finds it in their inbox and reads it: nothing private.
    await s.goto("/");
    await s.getByRole("link", { name: "Supervision" }).click();
    await expect(s.getByRole("heading", { level: 1, name: "Supervision" })).toBeVisible();
    await expect(s.getByRole("heading", { name: "Dr Wren Hale" })).toBeVisible();
    if (javaScript) await snapshot(s, "inbox");
    await s.getByRole("link", { name: code }).click();
    await expect(s.getByRole("heading", { level: 1, name: `Case ${code}` })).toBeVisible();
    await expectNothingPrivate(s);
    await s.getByRole("link", { name: "Session 1 · week 9" }).click();
    await expect(s.getByRole("heading", { level: 1, name: `${code} · session 1 · week 9` })).toBeVisible();
    await expect(s.getByText("Linked her lateness to leaving me before I leave her.")).toBeVisible();
    await expectNothingPrivate(s);
    if (javaScript) await waitForHydration(s);

    // …comments on the transference interpretation and rates its pacing.
    await interpretation(s).getByText("Comment on this intervention").click();
    await interpretation(s).getByLabel("Your comment").fill("What did she do with the link in the next session?");
    await interpretation(s).getByRole("button", { name: "Add comment" }).click();
    await expect(s.getByText("Your comment was added.")).toBeVisible();
    await expect(interpretation(s)).toContainText("What did she do with the link in the next session?");
    if (javaScript) await waitForHydration(s);
    await interpretation(s).getByText("Rate the pacing").click();
    await interpretation(s).getByLabel("Pacing").selectOption("too_early");
    await interpretation(s).getByLabel("Note (optional)").fill("Four sessions in, before the alliance held.");
    await interpretation(s).getByRole("button", { name: "Save rating" }).click();
    await expect(s.getByText("Your pacing rating was saved.")).toBeVisible();
    await expect(interpretation(s).getByText("Pacing: Too early — change")).toBeVisible();

    // The therapist sees it where it belongs, and replies.
    await t.goto(reflectionUrl);
    await expect(interpretation(t)).toContainText("What did she do with the link in the next session?");
    await expect(interpretation(t)).toContainText("Pacing · Dr Sam Okafor: Too early");
    await expect(interpretation(t)).toContainText("Four sessions in, before the alliance held.");
    await expect(interpretation(t).locator(".badge", { hasText: "New" })).toBeVisible();
    if (javaScript) await snapshot(t, "reflection-with-feedback");
    if (javaScript) await waitForHydration(t);
    await interpretation(t).getByText("Reply", { exact: true }).click();
    await interpretation(t).getByLabel("Your reply").fill("She came late again, and was angry about it.");
    await interpretation(t).getByRole("button", { name: "Send reply" }).click();
    await expect(t.getByText("Your reply was added.")).toBeVisible();
    await expect(interpretation(t)).toContainText("She came late again, and was angry about it.");

    // The supervisor sees the reply as new, and marks the reflection reviewed.
    await s.reload();
    await expect(interpretation(s).locator(".message-new")).toContainText("She came late again, and was angry about it.");
    if (javaScript) await snapshot(s, "shared-reflection");
    if (javaScript) await waitForHydration(s);
    await s.getByRole("button", { name: "Mark reviewed" }).click();
    await expect(s.getByText("Marked reviewed.")).toBeVisible();
    await expect(s.getByText(/^You marked it reviewed /)).toBeVisible();

    // The therapist edits the reflection: it shows as changed since review.
    await t.goto(caseUrl);
    await expect(t.locator(".timeline-entry")).toContainText("Dr Sam Okafor: Reviewed");
    if (javaScript) await snapshot(t, "case-with-share");
    await t.goto(`${reflectionUrl}/edit`);
    if (javaScript) await waitForHydration(t);
    await t.getByLabel("Enactment noticed").fill("I ran over, and said so at the start of the next session.");
    await t.getByRole("button", { name: "Save reflection" }).first().click();
    await expect(t.getByText("Reflection saved.")).toBeVisible();
    await expect(t.getByText("Dr Sam Okafor: Changed since review")).toBeVisible();
    await expect(interpretation(t)).toContainText("What did she do with the link in the next session?");

    // The access log says who opened what.
    await t.goto(caseUrl);
    await t.getByRole("link", { name: "Who opened what (access log)" }).click();
    await expect(t.getByRole("cell", { name: "Reflection on session 1" }).first()).toBeVisible();
    await expect(t.getByRole("cell", { name: "Dr Sam Okafor" }).first()).toBeVisible();

    // Revoking takes effect on the supervisor's next click.
    await t.goto(caseUrl);
    if (javaScript) await waitForHydration(t);
    await t.locator("#sharing").getByRole("link", { name: "Change or revoke" }).click();
    if (javaScript) await waitForHydration(t);
    await t.getByRole("button", { name: "Revoke access now" }).click();
    await expect(t.getByText("The share was revoked.")).toBeVisible();
    await expect(t.locator("#sharing")).toContainText("Revoked");

    await s.getByRole("link", { name: `Case ${code}` }).click();
    await expect(s.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
    const response = await s.request.get(s.url());
    expect(response.status()).toBe(404);

    for (const found of errors) expect(found).toEqual([]);
    await therapist.context.close();
    await supervisor.context.close();
  });
}
