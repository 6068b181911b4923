import { describe, expect, it } from 'vitest';
import { detectRoutes } from './routes';

describe('detectRoutes', () => {
	it('reports a plain https page in desktop Chrome: WebUSB only, no protected classes', () => {
		const report = detectRoutes({ isSecureContext: true, navigator: { usb: {} }, Worker: class {} });
		expect(report).toEqual({
			secureContext: true,
			isolatedContext: false,
			webUsb: true,
			usbUnrestricted: false,
			smartCard: false,
			webNfc: false,
			workers: true
		});
	});

	it('grants usb-unrestricted only in an isolated context whose policy allows it', () => {
		const allowAll = { allowsFeature: () => true };
		expect(detectRoutes({ navigator: { usb: {} }, policy: allowAll }).usbUnrestricted).toBe(false);
		expect(detectRoutes({ navigator: { usb: {} }, policy: allowAll, isIsolatedContext: true }).usbUnrestricted).toBe(true);
		const denyAll = { allowsFeature: () => false };
		expect(detectRoutes({ navigator: { usb: {} }, policy: denyAll, isIsolatedContext: true }).usbUnrestricted).toBe(false);
	});

	it('sees the Web Smart Card API and Web NFC when present', () => {
		const report = detectRoutes({ navigator: { smartCard: {} }, NDEFReader: class {} });
		expect(report.smartCard).toBe(true);
		expect(report.webNfc).toBe(true);
		expect(report.webUsb).toBe(false);
	});

	it('treats a policy that throws as not allowed', () => {
		const throwing = {
			allowsFeature: () => {
				throw new Error('unknown feature');
			}
		};
		expect(detectRoutes({ navigator: { usb: {} }, policy: throwing, isIsolatedContext: true }).usbUnrestricted).toBe(false);
	});
});
