import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmulatedSmartCardError } from '../../emulator/smart-card';
import { ErrorKind, MynaError } from '../../errors';
import { SmartCardResponseCode } from './smart-card-api';
import { smartCardError, smartCardErrorFields } from './smart-card-errors';

describe('smartCardError', () => {
	it.each([
		['no-smartcard', ErrorKind.CardAbsent],
		['removed-card', ErrorKind.CardRemoved],
		['reset-card', ErrorKind.CardRemoved],
		['unresponsive-card', ErrorKind.CardMute],
		['unpowered-card', ErrorKind.CardMute],
		['reader-unavailable', ErrorKind.ReaderUnplugged],
		['unknown-reader', ErrorKind.ReaderUnplugged],
		['sharing-violation', ErrorKind.ReaderBusy],
		['server-too-busy', ErrorKind.ReaderBusy],
		['no-service', ErrorKind.NoReader],
		['not-ready', ErrorKind.Transport],
		['proto-mismatch', ErrorKind.Protocol],
		['not-transacted', ErrorKind.Protocol],
		['system-cancelled', ErrorKind.Aborted],
		['unsupported-card', ErrorKind.NotMynaCard],
		['unsupported-feature', ErrorKind.Unsupported]
	])('SmartCardError %s → %s, with the code and operation in the details', (code, kind) => {
		const error = smartCardError(new EmulatedSmartCardError(code, 'reader "Secret Name" said no'), 'transmit');
		expect(error).toBeInstanceOf(MynaError);
		expect(error.kind).toBe(kind);
		expect(error.details).toEqual({ operation: 'transmit', responseCode: code });
		expect(error.message).not.toContain('Secret Name');
	});

	it('covers every response code of the spec', () => {
		for (const code of Object.values(SmartCardResponseCode)) expect(smartCardError({ name: 'SmartCardError', responseCode: code }, 'x').kind).not.toBe(ErrorKind.Internal);
	});

	it.each([
		['SecurityError', ErrorKind.PermissionDenied],
		['NotAllowedError', ErrorKind.PermissionDenied],
		['AbortError', ErrorKind.Aborted],
		['InvalidStateError', ErrorKind.Transport],
		['NotSupportedError', ErrorKind.Unsupported],
		['TypeError', ErrorKind.Internal]
	])('DOMException %s → %s', (name, kind) => {
		expect(smartCardError(new DOMException('m', name), 'connect').kind).toBe(kind);
	});

	it('takes the plain {name, message, responseCode} the page sends across, and keeps a MynaError as it is', () => {
		expect(smartCardError({ name: 'SmartCardError', message: 'm', responseCode: 'removed-card' }, 'transmit').kind).toBe(ErrorKind.CardRemoved);
		const own = new MynaError(ErrorKind.Aborted, 'x');
		expect(smartCardError(own, 'transmit')).toBe(own);
	});

	it('property: anything thrown maps to a MynaError without throwing; unknown codes and long names are not trusted', () => {
		fc.assert(
			fc.property(fc.anything(), fc.string(), fc.string({ maxLength: 200 }), (thrown, responseCode, name) => {
				expect(smartCardError(thrown, 'transmit')).toBeInstanceOf(MynaError);
				const fields = smartCardErrorFields({ name, responseCode });
				expect(fields.name.length).toBeLessThanOrEqual(64);
				if (fields.responseCode !== undefined) expect(Object.values(SmartCardResponseCode)).toContain(responseCode);
			})
		);
	});
});
