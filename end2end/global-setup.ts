import { baseURL } from "./playwright.config";

// `cargo leptos end-to-end` starts the server and the tests together; wait
// until the server is ready (database included) before any test runs.
export default async function globalSetup(): Promise<void> {
  const deadline = Date.now() + 120_000;
  let lastError = "";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${baseURL}/readyz`);
      if (response.ok) return;
      lastError = `status ${response.status}`;
    } catch (error) {
      lastError = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Reverie did not become ready at ${baseURL}: ${lastError}`);
}
