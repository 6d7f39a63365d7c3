import { expect, test } from "@playwright/test";
import { adminEmail, adminPassword, clinicianPassword, collectPageErrors, invite, waitForHydration } from "./helpers";



for (const javaScript of [true, false]) {
  const mode = javaScript ? "with JavaScript" : "without JavaScript";

  test(`invitation, acceptance, sign-in and sign-out ${mode}`, async ({ browser }) => {
    expect(adminPassword, "REVERIE_E2E_ADMIN_PASSWORD must be set").not.toBe("");
    const email = `clinician-${javaScript ? "js" : "nojs"}-${Date.now()}@example.org`;
    const link = await invite(browser, email, javaScript);

    const context = await browser.newContext({ javaScriptEnabled: javaScript });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(link);
    if (javaScript) await waitForHydration(page);
    await expect(page.getByText(`You were invited to Reverie as ${email}`)).toBeVisible();

    // A mistake first: the message appears at the field and the name is kept.
    await page.getByLabel("Your name").fill("Dr Rowan Ash");
    await page.getByLabel("Password", { exact: true }).fill(clinicianPassword);
    await page.getByLabel("Repeat the password").fill("something else entirely");
    await page.getByRole("button", { name: "Create my account" }).click();
    await expect(page.getByText("The two passwords are not the same.")).toBeVisible();
    await expect(page.getByLabel("Your name")).toHaveValue("Dr Rowan Ash");

    await page.getByLabel("Password", { exact: true }).fill(clinicianPassword);
    await page.getByLabel("Repeat the password").fill(clinicianPassword);
    await page.getByRole("button", { name: "Create my account" }).click();

    await expect(page.getByText("Your account is ready. Sign in with your password.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue(email);
    if (javaScript) await waitForHydration(page);
    await page.getByLabel("Password").fill(clinicianPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("link", { name: "Account" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Administration" })).toHaveCount(0);

    await page.getByRole("link", { name: "Account" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
    await expect(page.getByText("This device")).toBeVisible();

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page.getByText("You have signed out.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

    // The account page now asks for a sign-in again.
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
    expect(errors).toEqual([]);
    await context.close();
  });
}

test("a wrong password is refused at the form, keeping the email", async ({ page }) => {
  await page.goto("/login");
  await waitForHydration(page);
  await page.getByLabel("Email").fill(adminEmail);
  await page.getByLabel("Password").fill("not the right password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("The email or password is not right, or there were too many attempts; try again in a moment.");
  await expect(page.getByLabel("Email")).toHaveValue(adminEmail);
});
