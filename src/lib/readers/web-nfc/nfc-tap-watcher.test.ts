import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ErrorKind, MynaError } from '../../errors';
import { NfcStartFailure, NfcTapKind, NfcTapWatcher, nfcStartError, type NdefReaderLike } from './nfc-tap-watcher';

/** A stand-in for Chrome's NDEFReader: `scan()` succeeds or fails as told; `tap()` fires what a tapped card fires. */
function fakeNdef(scanResult: () => Promise<void> = () => Promise.resolve()) {
	const readers: FakeReader[] = [];
	class FakeReader extends EventTarget implements NdefReaderLike {
		signal: AbortSignal | undefined;
		constructor() {
			super();
			readers.push(this);
		}
		scan(options?: { signal?: AbortSignal }): Promise<void> {
			this.signal = options?.signal;
			return scanResult();
		}
		/** A My Number Card: no NDEF, so Chrome fires `readingerror` only. */
		tapMynaCard() {
			this.dispatchEvent(new Event('readingerror'));
		}
		tapNdefTag() {
			this.dispatchEvent(new Event('reading'));
		}
	}
	return { FakeReader, readers };
}

const domError = (name: string) => Object.assign(new Error(`browser text for ${name}`), { name });

describe('NfcTapWatcher', () => {
	it('starts one scan with the caller’s signal and reports a My Number Card tap (readingerror) and an NDEF tag (reading)', async () => {
		const { FakeReader, readers } = fakeNdef();
		const taps: string[] = [];
		const controller = new AbortController();
		await new NfcTapWatcher(FakeReader).watch((k) => taps.push(k), controller.signal);
		expect(readers).toHaveLength(1);
		expect(readers[0]!.signal).toBe(controller.signal);
		readers[0]!.tapMynaCard();
		readers[0]!.tapNdefTag();
		expect(taps).toEqual([NfcTapKind.NonNdefCard, NfcTapKind.NdefTag]);
	});

	it('reports nothing after the signal aborts', async () => {
		const { FakeReader, readers } = fakeNdef();
		const onTap = vi.fn();
		const controller = new AbortController();
		await new NfcTapWatcher(FakeReader).watch(onTap, controller.signal);
		controller.abort();
		readers[0]!.tapMynaCard();
		expect(onTap).not.toHaveBeenCalled();
	});

	it('does not start a scan for an already aborted signal', async () => {
		const { FakeReader, readers } = fakeNdef();
		const controller = new AbortController();
		controller.abort();
		await expect(new NfcTapWatcher(FakeReader).watch(() => {}, controller.signal)).rejects.toMatchObject({ kind: ErrorKind.Aborted });
		expect(readers).toHaveLength(0);
	});

	it.each([
		['NotAllowedError', ErrorKind.PermissionDenied, NfcStartFailure.NotAllowed],
		['NotSupportedError', ErrorKind.Unsupported, NfcStartFailure.NotSupported],
		['NotReadableError', ErrorKind.Unsupported, NfcStartFailure.NotReadable]
	])('a scan refused with %s is a %s error (reason %s), and no tap is reported afterwards', async (name, kind, reason) => {
		const { FakeReader, readers } = fakeNdef(() => Promise.reject(domError(name)));
		const onTap = vi.fn();
		const error = await new NfcTapWatcher(FakeReader).watch(onTap, new AbortController().signal).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(MynaError);
		expect(error).toMatchObject({ kind, details: { reason } });
		expect((error as Error).message).not.toContain('browser text');
		readers[0]!.tapMynaCard();
		expect(onTap).not.toHaveBeenCalled();
	});

	it('a constructor that throws (no NFC in this browser) is a typed error too', async () => {
		class Broken extends EventTarget implements NdefReaderLike {
			constructor() {
				super();
				throw domError('NotSupportedError');
			}
			scan(): Promise<void> {
				return Promise.resolve();
			}
		}
		await expect(new NfcTapWatcher(Broken).watch(() => {}, new AbortController().signal)).rejects.toMatchObject({ kind: ErrorKind.Unsupported });
	});
});

describe('nfcStartError', () => {
	it('maps AbortError to aborted and anything else to internal, keeping only a bounded error name', () => {
		expect(nfcStartError(domError('AbortError')).kind).toBe(ErrorKind.Aborted);
		expect(nfcStartError(domError('NetworkError')).toData()).toEqual({ kind: ErrorKind.Internal, message: 'Web NFC: scan failed', details: { error: 'NetworkError' } });
		expect(nfcStartError('a string').toData()).toEqual({ kind: ErrorKind.Internal, message: 'Web NFC: scan failed' });
	});

	it('property: whatever scan() throws becomes a MynaError of a known kind whose message is the app’s own', () => {
		const known = new Set<string>(Object.values(ErrorKind));
		fc.assert(
			fc.property(fc.oneof(fc.string().map(domError), fc.anything()), (thrown) => {
				const error = nfcStartError(thrown);
				expect(error).toBeInstanceOf(MynaError);
				expect(known.has(error.kind)).toBe(true);
				expect(error.message.startsWith('Web NFC: ')).toBe(true);
				expect(String(error.details.error ?? '').length).toBeLessThanOrEqual(40);
			})
		);
	});
});
