// Isolated Web App build only (copied into the bundle by scripts/build-iwa.mjs as /_app/iwa/trusted-types.js, and
// loaded before anything else). An IWA runs under `require-trusted-types-for 'script'`: a string may no longer become a
// script URL. The app starts its two module workers with `new Worker(url)`, which is such a sink, so this default
// policy lets script URLs of the app's own origin through and throws for every other origin. It defines no
// createHTML and no createScript: HTML and inline script stay blocked (Svelte uses its own 'svelte-trusted-html'
// policy for its compiled templates).
(function () {
	'use strict';
	const factory = self.trustedTypes;
	if (!factory || typeof factory.createPolicy !== 'function') return;
	factory.createPolicy('default', {
		createScriptURL: function (input) {
			const url = new URL(String(input), document.baseURI);
			if (url.origin !== self.location.origin) throw new TypeError('Only this app’s own scripts may run.');
			return url.href;
		}
	});
})();
