export interface PageContext {
  page: HTMLElement;
  /** Parameters after `?` in the hash route. */
  params: URLSearchParams;
  /** Aborted when the user leaves the page: stop timers and ignore late answers. */
  signal: AbortSignal;
}
