import { expect, test, type Page } from "@playwright/test";
import { clinicianContext, createCase } from "./casework";
import { adminEmail, adminPassword, collectPageErrors, copyKeyHandedOver, signIn, snapshot, waitForHydration } from "./helpers";

/** Today as the server dates a new reflection (UTC). */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** From the home page, one click to the editor of session `session`, then save it. */
async function writeFromHome(page: Page, code: string, session: number, javaScript: boolean): Promise<void> {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: /^Welcome, / })).toBeVisible();
  if (javaScript) await waitForHydration(page);
  await page.getByRole("link", { name: `Write session ${session} of ${code}` }).click();
  await expect(page.getByLabel("Session number")).toHaveValue(String(session));
  await expect(page.getByLabel("Session date")).toHaveValue(today());
  if (javaScript) await waitForHydration(page);
  await page.locator("#reaction-0-dimension").selectOption("helpless");
  await page.locator("#reaction-0-intensity").selectOption("3");
  await page.locator("#reaction-0-text").fill(`Tired after session ${session}.`);
  await page.getByRole("button", { name: "Save reflection" }).first().click();
  await expect(page).toHaveURL(/\/reflections\/\d+\?saved=1$/);
  await expect(page.getByText("Reflection saved.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(`^Session ${session} · `) })).toBeVisible();
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "without JavaScript";

  test(`write tonight's reflection in one click from the home page (${mode})`, async ({ browser }) => {
    test.setTimeout(60_000);
    const { context, page } = await clinicianContext(browser, javaScript);
    const errors = javaScript ? collectPageErrors(page) : [];
    const code = javaScript ? "HM-1" : "HM-2";

    // A new account's home says how to start.
    await page.goto("/");
    await expect(page.getByText("No active cases yet.")).toBeVisible();
    await createCase(page, code, javaScript);

    // A new case is due its first session; once written, its second.
    await writeFromHome(page, code, 1, javaScript);
    await writeFromHome(page, code, 2, javaScript);
    await page.goto("/");
    await expect(page.getByText("Last: session 2, " + today())).toBeVisible();
    await expect(page.getByRole("link", { name: `Write session 3 of ${code}` })).toBeVisible();
    // The one failed request is the keep-draft this test cut off.
    expect(errors.filter((error) => error !== "Failed to load resource: net::ERR_FAILED")).toEqual([]);
    await context.close();
  });
}

/** Where the pages come from, as a browser's form posts say (the server checks it). */
const origin = `http://${process.env.REVERIE_ADDR ?? "127.0.0.1:3000"}`;

/** Posts a form as the page's script does; answers where the server sends the browser. */
async function post(page: Page, path: string, fields: [string, string][]): Promise<string> {
  const response = await page.request.post(path, {
    headers: { origin, "content-type": "application/x-www-form-urlencoded" },
    data: new URLSearchParams(fields).toString(),
  });
  expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
  return response.headers()["location"] ?? "";
}

function idAfter(prefix: string, location: string): string {
  const match = location.match(new RegExp(`${prefix}(\\d+)`));
  expect(match, `${prefix} in ${location}`).not.toBeNull();
  return match![1];
}

async function newCase(page: Page, code: string): Promise<string> {
  const location = await post(page, "/api/cases/create", [
    ["case[code]", code],
    ["case[modality]", "psychodynamic"],
    ["case[frequency]", "weekly"],
    ["case[start_date]", "2026-01-05"],
    ["case[planned_sessions]", "40"],
    ["case[names_to_watch]", ""],
  ]);
  return idAfter("/cases/", location);
}

/** Saves session `session`, `days` from today, with these interventions (kind, depth, response). */
async function newReflection(
  page: Page,
  caseId: string,
  session: number,
  days: number,
  interventions: [string, number, string][],
): Promise<string> {
  const fields: [string, string][] = [
    ["case_id", caseId],
    ["reflection[session_number]", String(session)],
    ["reflection[session_date]", daysFromToday(days)],
    ["reflection[reactions][0][id]", ""],
    ["reflection[reactions][0][dimension]", "helpless"],
    ["reflection[reactions][0][intensity]", "3"],
    ["reflection[reactions][0][text]", "Heavy silence at the start."],
  ];
  for (const name of ["trigger_note", "manifestation_note", "management_note", "origin_note", "racker", "racker_object", "racker_note", "enactment", "private_notes"]) {
    fields.push([`reflection[${name}]`, ""]);
  }
  interventions.forEach(([kind, depth, response], index) => {
    const row = `reflection[interventions][${index}]`;
    fields.push([`${row}[id]`, ""], [`${row}[kind]`, kind], [`${row}[minute]`, "20"], [`${row}[phase]`, ""]);
    fields.push([`${row}[depth]`, String(depth)], [`${row}[target]`, ""], [`${row}[response]`, response], [`${row}[text]`, ""]);
  });
  fields.push(["intent", "save"]);
  const location = await post(page, "/api/reflections/save", fields);
  return idAfter(`/cases/${caseId}/reflections/`, location);
}

test("each person's home: a new account, a busy therapist, a supervisor, an administrator", async ({ browser }) => {
  test.setTimeout(120_000);
  const fresh = await clinicianContext(browser, true, "Dr Ada Newman");
  await fresh.page.goto("/");
  await expect(fresh.page.getByText("No active cases yet.")).toBeVisible();
  await expect(fresh.page.getByRole("heading", { level: 2, name: "Your cases" })).toBeVisible();
  await snapshot(fresh.page, "home-new-therapist");
  await fresh.context.close();

  const supervisor = await clinicianContext(browser, true, "Dr Sam Okafor");
  const therapist = await clinicianContext(browser, true, "Dr Wren Hale");
  const t = therapist.page;
  const deep = "transference_interpretation";
  // BZ-1: a premature interpretation (depth 5 against 1) and a session
  // with four transference interpretations, shared, commented and reviewed.
  const flagged = await newCase(t, "BZ-1");
  await newReflection(t, flagged, 1, -24, [["question", 1, ""]]);
  await newReflection(t, flagged, 2, -17, [["clarification", 1, "new_material"]]);
  const premature = await newReflection(t, flagged, 3, -10, [[deep, 5, "withdrawal"]]);
  const busy = await newReflection(t, flagged, 4, -3, [[deep, 2, ""], [deep, 2, ""], [deep, 3, "agreement"], [deep, 2, ""]]);
  await post(t, "/api/shares/create", [
    ["case_id", flagged],
    ["share[supervisor_email]", supervisor.email],
    ["share[basis]", "training"],
    ["share[expires_on]", ""],
  ]);
  // BZ-2 is due; BZ-3 was written two days ago; BZ-4 has an unsaved draft.
  await newReflection(t, await newCase(t, "BZ-2"), 1, -9, [["question", 2, ""]]);
  await newReflection(t, await newCase(t, "BZ-3"), 6, -2, [["clarification", 2, ""]]);
  const drafted = await newCase(t, "BZ-4");
  await post(t, "/api/reflections/keep-draft", [
    ["case_id", drafted],
    ["reflection[session_number]", "1"],
    ["reflection[session_date]", today()],
  ]);

  const s = supervisor.page;
  await post(s, "/api/feedback/comment", [["case_id", flagged], ["reflection_id", premature], ["anchor", "reflection"], ["body", "What made this the moment?"]]);
  await post(s, "/api/feedback/comment", [["case_id", flagged], ["reflection_id", busy], ["anchor", "reflection"], ["body", "Four in one session: what was happening?"]]);
  await post(s, "/api/supervision/review", [["case_id", flagged], ["reflection_id", busy], ["version", "1"]]);

  await t.goto("/");
  await waitForHydration(t);
  await expect(t.getByRole("heading", { level: 3, name: "Flags worth a look" })).toBeVisible();
  await expect(t.getByRole("link", { name: "BZ-1, session 3" }).first()).toHaveAttribute("href", `/cases/${flagged}/reflections/${premature}`);
  await expect(t.getByText("4 transference interpretations (threshold 3)")).toBeVisible();
  await expect(t.getByRole("heading", { level: 3, name: "Unsaved reflections" })).toBeVisible();
  await expect(t.getByRole("heading", { level: 3, name: "New feedback" })).toBeVisible();
  await snapshot(t, "home-busy-therapist");

  await s.goto("/");
  await waitForHydration(s);
  await expect(s.getByRole("heading", { level: 2, name: "Your supervision" })).toBeVisible();
  await expect(s.locator("#next-heading")).toHaveText("Next meetings");
  await expect(s.getByRole("link", { name: "With Dr Wren Hale" })).toBeVisible();
  await snapshot(s, "home-supervisor");
  await supervisor.context.close();
  await therapist.context.close();

  const admin = await browser.newContext();
  const a = await admin.newPage();
  await signIn(a, adminEmail, adminPassword, true);
  await a.goto("/");
  await expect(a.getByRole("heading", { level: 2, name: "Administration" })).toBeVisible();
  await snapshot(a, "home-administrator");
  await admin.close();
});

/** Everything in the page's local storage, as one string. */
async function storedInBrowser(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify(Object.entries(window.localStorage)));
}

/** Opens the editor of the case's first session, keyed for the browser's copy when JavaScript runs. */
async function openNewReflection(page: Page, caseId: string, javaScript: boolean): Promise<void> {
  const keyed = javaScript ? copyKeyHandedOver(page) : null;
  await page.goto(`/cases/${caseId}/reflections/new`);
  await expect(page.getByRole("heading", { level: 1, name: /: new reflection$/ })).toBeVisible();
  if (javaScript) {
    await waitForHydration(page);
    await keyed;
  }
}

for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "without JavaScript";

  test(`an unsaved draft is discarded from the home page, and the editor does not bring it back (${mode})`, async ({
    browser,
  }) => {
    test.setTimeout(90_000);
    const { context, page } = await clinicianContext(browser, javaScript);
    const errors = javaScript ? collectPageErrors(page) : [];
    const suffix = javaScript ? "J" : "N";
    // A draft that stays, and the one thrown away.
    const kept = await newCase(page, `HD-${suffix}1`);
    await post(page, "/api/reflections/keep-draft", [
      ["case_id", kept],
      ["reflection[session_number]", "1"],
      ["reflection[session_date]", today()],
    ]);
    const discarded = await newCase(page, `HD-${suffix}2`);
    await openNewReflection(page, discarded, javaScript);
    await page.locator("#reaction-0-text").fill("Sleepy and far away.");
    if (javaScript) {
      await expect(page.getByText(/^Draft kept /)).toBeVisible();
      // Typing the server never got stays in this browser, sealed.
      await page.route("**/api/reflections/keep-draft", (route) => route.abort());
      await page.locator("#reaction-0-text").fill("Sleepy and far away, then the lighthouse dream.");
      await expect(page.getByText("The server cannot be reached: your changes are kept in this browser for now.")).toBeVisible();
      expect(await storedInBrowser(page)).toMatch(new RegExp(`reverie-draft:\\d+:${discarded}:new`));
      await page.unroute("**/api/reflections/keep-draft");
    } else {
      await page.getByRole("button", { name: "Keep as draft" }).click();
      await expect(page.getByText("Your reflection was kept as a draft")).toBeVisible();
    }

    await page.goto("/");
    await expect(page.getByRole("heading", { level: 3, name: "Unsaved reflections" })).toBeVisible();
    if (javaScript) await waitForHydration(page);
    await expect(page.getByRole("link", { name: `HD-${suffix}2: session 1` })).toBeVisible();
    await snapshot(page, `home-drafts-${javaScript ? "js" : "nojs"}`);
    // Two steps: "Discard…" shows the button that does it, and what it costs.
    await page.locator("summary", { hasText: `Discard… HD-${suffix}2: session 1` }).click();
    // (Each role's part of the home page is an open <details> too.)
    await expect(page.locator("details.discard-draft[open]").getByText("What was typed in it will be lost.")).toBeVisible();
    await snapshot(page, `home-discard-open-${javaScript ? "js" : "nojs"}`);
    await page.getByRole("button", { name: `Discard this draft of HD-${suffix}2: session 1` }).click();
    await expect(page).toHaveURL(/\/\?discarded=1$/);
    await expect(page.getByText("The draft was discarded.")).toBeVisible();
    await expect(page.getByRole("link", { name: `HD-${suffix}2: session 1` })).toHaveCount(0);
    await expect(page.getByRole("link", { name: `HD-${suffix}1: session 1` })).toBeVisible();
    if (javaScript) expect(await storedInBrowser(page)).not.toMatch(new RegExp(`reverie-draft:\\d+:${discarded}:`));

    // The editor starts blank: no draft offered, nothing recovered.
    await openNewReflection(page, discarded, javaScript);
    if (javaScript) await page.waitForTimeout(1_000);
    await expect(page).not.toHaveURL(/recovered=1/);
    await expect(page.getByRole("heading", { name: "You have unsaved changes" })).toHaveCount(0);
    await expect(page.locator("#reaction-0-text")).toHaveValue("");
    // The one failed request is the keep-draft this test cut off.
    expect(errors.filter((error) => error !== "Failed to load resource: net::ERR_FAILED")).toEqual([]);
    await context.close();
  });
}
