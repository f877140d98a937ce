/**
 * After an action, the page the user is sent to reads the read model, which the projections bring
 * up to date a moment after the append: wait (briefly, bounded) until it shows the change.
 */
export async function readYourWrite(shows: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await shows()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}
