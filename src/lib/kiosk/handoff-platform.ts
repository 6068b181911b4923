// The window as the kiosk hand-off sees it; kept apart from handoff.ts so the composition root does not load the QR encoder.

/** What the hand-off needs from the page (the window's, passed in at the composition root; fakes in unit tests). */
export interface KioskHandoffPlatform {
	/** The embedding parent window, or undefined when the kiosk is the top-level page. */
	parent(): { postMessage(message: unknown, targetOrigin: string): void } | undefined;
	/** `location.ancestorOrigins` (Chromium): the parent's origin first; undefined where the browser lacks it. */
	ancestorOrigins(): readonly string[] | undefined;
	/** `document.referrer`: the parent page's URL (or origin) for a framed page. */
	referrer(): string;
	print(): void;
	now(): number;
}

/** The window's hand-off platform (called at the composition root only). */
export function windowHandoffPlatform(win: Window): KioskHandoffPlatform {
	return {
		parent: () => (win.parent && win.parent !== win ? win.parent : undefined),
		ancestorOrigins: () => (win.location.ancestorOrigins ? Array.from(win.location.ancestorOrigins) : undefined),
		referrer: () => win.document.referrer,
		print: () => win.print(),
		now: () => Date.now()
	};
}
