// Stops the local gateway when the process that started it goes away. `npm start` runs the gateway
// under a shell; stopping npm (SIGTERM, SIGHUP) kills that shell, which dies without passing the signal
// on, and the gateway would keep its port open as an orphan. An orphan is re-parented (to init or a
// subreaper), so the gateway checks its parent's pid once a second and stops when it changes. (A
// SIGKILL of npm alone leaves the shell, and so the gateway, running: stop the gateway's own pid, which
// it prints at startup.)

/** How often the parent's pid is checked. */
export const PARENT_CHECK_INTERVAL_MS = 1000;

/** Calls `onGone` once when this process's parent changes; returns a function that stops watching. */
export function watchParent(onGone: () => void, intervalMs = PARENT_CHECK_INTERVAL_MS): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
