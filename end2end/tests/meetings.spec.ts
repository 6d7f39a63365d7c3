import { expect, test, type Page } from "@playwright/test";
import { clinicianContext, createCase, fillReflection } from "./casework";
import { collectPageErrors, snapshot, waitForHydration } from "./helpers";

const SESSION_DATE = "2026-03-02"; // week 9 of a case started 2026-01-05
const SUPERVISOR_COMMENT = "What did she do with the link in the next session?";
const OWN_ITEM = "Endings: how to prepare her for the summer break";
const NOTES = "We looked at the lateness as a wish to leave first. Keep the frame; name it when it comes.";
const ACTION_ITEM = "Bring process notes of session 2";
const SUPERVISEE_COMMENT = "I would add that she cried for the first time.";
const ADDENDUM = "Correction: the break starts in July, not August.";

/** Today as the server counts days (UTC), as the date field wants it. */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The list item of the reflection's transference interpretation. */
function interpretation(page: Page) {
  return page.locator("li", { hasText: "Transference interpretation" }).last();
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "without JavaScript";

  test(`record a supervision meeting, respond, sign off, count the hours (${mode})`, async ({ browser }) => {
    // Three people through two dozen pages: longer than the default allows
    // on a loaded machine.
    test.setTimeout(120_000);
    const code = javaScript ? "MT-1" : "MT-2";
    const date = today();
    const therapist = await clinicianContext(browser, javaScript, "Dr Wren Hale");
    const supervisor = await clinicianContext(browser, javaScript, "Dr Sam Okafor");
    const errors = [...(javaScript ? [collectPageErrors(therapist.page), collectPageErrors(supervisor.page)] : [])];
    const t = therapist.page;
    const s = supervisor.page;

    // The therapist writes a reflection and shares the case.
    const caseUrl = await createCase(t, code, javaScript);
    await t.getByRole("link", { name: "Write reflection for session 1" }).click();
    if (javaScript) await waitForHydration(t);
    await fillReflection(t, javaScript);
    await t.getByLabel("Session date").fill(SESSION_DATE);
    await t.getByRole("button", { name: "Save reflection" }).first().click();
    await expect(t.getByText("Reflection saved.")).toBeVisible();
    await t.goto(caseUrl);
    await t.getByRole("link", { name: "Share this case…" }).click();
    if (javaScript) await waitForHydration(t);
    await t.getByLabel("Supervisor's email address").fill(supervisor.email);
    await t.getByLabel("Same-organisation training programme").check();
    await t.getByRole("button", { name: "Preview what they will see" }).click();
    await expect(t.getByRole("heading", { name: "What Dr Sam Okafor will see" })).toBeVisible();
    if (javaScript) await waitForHydration(t);
    await t.getByRole("button", { name: "Share with Dr Sam Okafor" }).click();
    await expect(t.getByText("The case is shared.")).toBeVisible();

    // The supervisor comments on the shared reflection: a flag for the agenda.
    await s.goto("/");
    await s.getByRole("link", { name: "Supervision" }).click();
    await s.getByRole("link", { name: code }).click();
    await s.getByRole("link", { name: "Session 1 · week 9" }).click();
    await expect(s.getByRole("heading", { level: 1, name: `${code} · session 1 · week 9` })).toBeVisible();
    if (javaScript) await waitForHydration(s);
    await interpretation(s).getByText("Comment on this intervention").click();
    await interpretation(s).getByLabel("Your comment").fill(SUPERVISOR_COMMENT);
    await interpretation(s).getByRole("button", { name: "Add comment" }).click();
    await expect(s.getByText("Your comment was added.")).toBeVisible();

    // Step 1: who was in the meeting.
    await s.getByRole("link", { name: "Meetings", exact: true }).click();
    await expect(s.getByRole("heading", { level: 1, name: "Supervision meetings" })).toBeVisible();
    await expect(s.getByText("None yet. Record a meeting with the people who share cases with you.")).toBeVisible();
    await s.getByRole("link", { name: "Record a meeting" }).click();
    await expect(s.getByRole("heading", { level: 1, name: "Record a meeting" })).toBeVisible();
    await expect(s.getByRole("group", { name: "Who was in the meeting?" })).toBeVisible();
    if (javaScript) await waitForHydration(s);
    await s.getByLabel("Dr Wren Hale", { exact: true }).check();
    await s.getByRole("button", { name: "Continue" }).click();

    // Step 2: the record, its agenda pre-filled with the comment.
    await expect(s.getByText("In the meeting: Dr Wren Hale")).toBeVisible();
    const agenda = s.getByRole("group", { name: "Agenda", exact: true });
    await expect(agenda.locator("#agenda-0-line")).toHaveText(`${code} · session 1 (week 9): 1 comment`);
    await expect(agenda.getByPlaceholder("An item of your own")).toHaveCount(3);
    if (javaScript) await waitForHydration(s);

    // A duration out of bounds is refused at its field; the date stays.
    await s.getByLabel("Date of the meeting").fill(date);
    await s.getByLabel("Duration in minutes").fill("3");
    await s.getByLabel(`${code} (Dr Wren Hale)`).check();
    await s.getByLabel("Notes").fill(NOTES);
    await s.getByRole("button", { name: "Record the meeting" }).click();
    await expect(s.locator("#meeting-duration-error")).toHaveText("Enter the duration in minutes, from 5 to 480.");
    await expect(s.getByLabel("Duration in minutes")).toHaveAttribute("aria-invalid", "true");
    await expect(s.getByLabel("Date of the meeting")).toHaveValue(date);
    await expect(s.getByLabel(`${code} (Dr Wren Hale)`)).toBeChecked();
    await expect(agenda.locator("#agenda-0-line")).toHaveText(`${code} · session 1 (week 9): 1 comment`);
    if (javaScript) await waitForHydration(s);

    // Corrected, with the notes (a plain post does not bring clinical text
    // back), an action item for the therapist and an own agenda item, first.
    await s.getByLabel("Duration in minutes").fill("50");
    await s.getByLabel("Notes").fill(NOTES);
    await s.locator("#meeting-item-0-text").fill(ACTION_ITEM);
    await s.locator("#meeting-item-0-assignee").selectOption({ label: "Dr Wren Hale" });
    await agenda.getByLabel("Agenda item 2", { exact: true }).fill(OWN_ITEM);
    await agenda.locator("#agenda-1-position").fill("1");
    // Two rows at place 1 keep the order shown, so the comment item moves down.
    await agenda.locator("#agenda-0-position").fill("2");
    await expect(agenda.locator("#agenda-0-remove")).not.toBeChecked();
    if (javaScript) await snapshot(s, "meeting-form");
    await s.getByRole("button", { name: "Record the meeting" }).click();

    // The meeting's page: the agenda with the supervisor's own item first.
    await expect(s.getByText("The meeting is recorded.")).toBeVisible();
    await expect(s.getByRole("heading", { level: 1, name: `Supervision meeting of ${date}` })).toBeVisible();
    const meetingUrl = s.url().replace(/\?.*$/, "");
    expect(meetingUrl).toMatch(/\/meetings\/\d+$/);
    await expect(s.locator(".meeting-agenda li")).toHaveText([OWN_ITEM, `${code} · session 1 (week 9): 1 comment`]);
    await expect(s.locator(".meeting-facts")).toContainText("50 minutes");
    await expect(s.locator(".meeting-cases")).toContainText(`${code} · Dr Wren Hale`);
    await expect(s.locator(".meeting-notes")).toContainText(NOTES);
    await expect(s.locator(".action-items-list li")).toContainText(`${ACTION_ITEM} — Dr Wren Hale`);
    await expect(s.getByRole("link", { name: "Edit the record" })).toBeVisible();

    // The therapist finds it, reads it, acknowledges, comments, does the item.
    await t.goto("/");
    await t.getByRole("link", { name: "Meetings", exact: true }).click();
    await expect(t.getByRole("heading", { level: 1, name: "Supervision meetings" })).toBeVisible();
    await expect(t.getByRole("row", { name: new RegExp(`${date}.*Dr Sam Okafor`) })).toBeVisible();
    await t.getByRole("link", { name: date }).click();
    await expect(t.getByRole("heading", { level: 1, name: `Supervision meeting of ${date}` })).toBeVisible();
    expect(t.url().replace(/\?.*$/, "")).toBe(meetingUrl);
    await expect(t.locator(".meeting-notes")).toContainText(NOTES);
    await expect(t.locator(".meeting-agenda li")).toHaveText([OWN_ITEM, `${code} · session 1 (week 9): 1 comment`]);
    await expect(t.getByRole("link", { name: "Edit the record" })).toHaveCount(0);
    await expect(t.getByRole("button", { name: "Sign off the record" })).toHaveCount(0);
    if (javaScript) await waitForHydration(t);
    await t.getByRole("button", { name: "Acknowledge the record" }).click();
    await expect(t.getByText("You acknowledged the record.")).toBeVisible();
    await expect(t.locator(".meeting-facts")).toContainText("Acknowledged by");
    await expect(t.getByText("You acknowledged this record as it reads now.")).toBeVisible();
    await expect(t.getByRole("button", { name: "Acknowledge the record" })).toHaveCount(0);
    if (javaScript) await waitForHydration(t);
    await t.getByLabel("Add a comment").fill(SUPERVISEE_COMMENT);
    await t.getByRole("button", { name: "Add comment" }).click();
    await expect(t.getByText("Your comment is added.")).toBeVisible();
    await expect(t.locator("#comments")).toContainText(SUPERVISEE_COMMENT);
    if (javaScript) await waitForHydration(t);
    await t.getByRole("button", { name: "Mark done" }).click();
    await expect(t.getByText("The action item is updated.")).toBeVisible();
    await expect(t.locator(".action-items-list li")).toContainText(`${ACTION_ITEM} — Dr Wren Hale (done)`);
    await expect(t.getByRole("button", { name: "Mark not done" })).toBeVisible();
    if (javaScript) await snapshot(t, "meeting-supervisee");

    // The supervisor sees the response and signs the record off.
    await s.goto(meetingUrl);
    await expect(s.locator(".meeting-facts dt").last()).toHaveText("Acknowledged by");
    await expect(s.locator(".meeting-facts dd").last()).toHaveText("Dr Wren Hale");
    await expect(s.locator("#comments")).toContainText(SUPERVISEE_COMMENT);
    await expect(s.locator(".action-items-list li")).toContainText("(done)");
    if (javaScript) await waitForHydration(s);
    await s.getByRole("button", { name: "Sign off the record" }).click();
    await expect(s.getByText("The record is signed off. From now on, corrections are addenda.")).toBeVisible();
    await expect(s.locator(".meeting-stage")).toHaveText(/^Signed off on \d{4}-\d{2}-\d{2}$/);
    await expect(s.getByRole("link", { name: "Edit the record" })).toHaveCount(0);
    await expect(s.getByRole("button", { name: "Sign off the record" })).toHaveCount(0);
    if (javaScript) await waitForHydration(s);
    await s.getByLabel("Add an addendum").fill(ADDENDUM);
    await s.getByRole("button", { name: "Add addendum" }).click();
    await expect(s.getByText("The addendum is added.")).toBeVisible();
    await expect(s.locator("#addenda")).toContainText(ADDENDUM);
    await expect(s.locator("#addenda .remark-meta")).toContainText("Dr Sam Okafor");
    if (javaScript) await snapshot(s, "meeting-supervisor");

    // Hours: this month by default, the meeting counted as signed off.
    await s.getByRole("link", { name: "Supervision meetings" }).click();
    await expect(s.getByRole("heading", { level: 1, name: "Supervision meetings" })).toBeVisible();
    await expect(s.getByRole("row", { name: new RegExp(`${date}.*Signed off`) })).toBeVisible();
    await s.getByRole("link", { name: "Hours", exact: true }).click();
    await expect(s.getByRole("heading", { level: 1, name: "Supervision hours" })).toBeVisible();
    await expect(s.getByLabel("Period")).toHaveValue("month");
    const row = s.getByRole("row", { name: /Dr Wren Hale/ });
    await expect(row.locator(".hours-total")).toHaveText("50 min = 0.83 h (1 meeting)");
    if (javaScript) await snapshot(s, "meeting-hours");
    await row.getByRole("link", { name: "Statement" }).click();
    await expect(s.getByRole("heading", { level: 1, name: "Supervision hours statement" })).toBeVisible();
    await expect(s.locator(".hours-statement .details")).toContainText("Dr Wren Hale");
    await expect(s.locator(".hours-statement .hours-total")).toHaveText("50 min = 0.83 h (1 meeting)");
    await expect(s.getByRole("row", { name: new RegExp(`${date}\\s+50\\s+Individual`) })).toBeVisible();
    await expect(s.getByText("Supervisor's signature")).toBeVisible();
    if (javaScript) await snapshot(s, "meeting-statement");

    // Anyone else is told there is no such meeting.
    const stranger = await clinicianContext(browser, javaScript, "Dr Ines Marlow");
    await stranger.page.goto(meetingUrl);
    await expect(stranger.page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
    await expect(stranger.page.getByText("There is no such meeting among yours.")).toBeVisible();
    await expect(stranger.page.getByText(NOTES)).toHaveCount(0);
    const response = await stranger.page.request.get(meetingUrl);
    expect(response.status()).toBe(404);

    for (const found of errors) expect(found).toEqual([]);
    await stranger.context.close();
    await therapist.context.close();
    await supervisor.context.close();
  });
}
