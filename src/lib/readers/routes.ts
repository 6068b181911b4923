/**
 * Which routes to the card this browser offers (design §2). Pure: the platform objects are passed in.
 */
export interface RouteReport {
	secureContext: boolean;
	isolatedContext: boolean;
	webUsb: boolean;
	/** The page may claim protected interfaces (class 0x0B CCID readers): Isolated Web Apps only. */
	usbUnrestricted: boolean;
	smartCard: boolean;
	webNfc: boolean;
	workers: boolean;
}

export interface RoutePlatform {
	isSecureContext?: boolean;
	isIsolatedContext?: boolean;
	navigator?: object;
	/** `document.featurePolicy` / `document.permissionsPolicy` where the browser has it. */
	policy?: { allowsFeature(feature: string): boolean };
	NDEFReader?: unknown;
	Worker?: unknown;
}

function policyAllows(platform: RoutePlatform, feature: string): boolean {
	try {
		return platform.policy?.allowsFeature(feature) ?? false;
	} catch {
		return false;
	}
}

export function detectRoutes(platform: RoutePlatform): RouteReport {
	const nav = platform.navigator ?? {};
	const webUsb = 'usb' in nav && Boolean((nav as { usb?: unknown }).usb);
	const isolatedContext = platform.isIsolatedContext === true;
	return {
		secureContext: platform.isSecureContext === true,
		isolatedContext,
		webUsb,
		usbUnrestricted: webUsb && isolatedContext && policyAllows(platform, 'usb-unrestricted'),
		smartCard: 'smartCard' in nav && Boolean((nav as { smartCard?: unknown }).smartCard),
		webNfc: typeof platform.NDEFReader === 'function',
		workers: typeof platform.Worker === 'function'
	};
}

/** The platform of the current window or worker global scope. */
export function currentRoutePlatform(): RoutePlatform {
	const scope = globalThis as typeof globalThis & {
		isIsolatedContext?: boolean;
		NDEFReader?: unknown;
		document?: { featurePolicy?: RoutePlatform['policy']; permissionsPolicy?: RoutePlatform['policy'] };
	};
	return {
		isSecureContext: scope.isSecureContext,
		isIsolatedContext: scope.isIsolatedContext,
		navigator: scope.navigator,
		policy: scope.document?.permissionsPolicy ?? scope.document?.featurePolicy,
		NDEFReader: scope.NDEFReader,
		Worker: scope.Worker
	};
}
