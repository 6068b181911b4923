// A single-page app: everything runs in the browser; adapter-static serves the fallback page.
export const ssr = false;
export const prerender = false;
