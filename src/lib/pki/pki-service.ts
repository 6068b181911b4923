/**
 * What pki.worker.ts should expose (the lead wires it into worker-api.ts): plain data in, `Result` out.
 * Trust anchors are the shipped J-LIS ones plus those the operator added; revocation uses the CRLs passed in
 * and the CRLs cached in the store. The database is opened on first use with the injected IndexedDB factory.
 */
import { asResult, ErrorKind, MynaError, type Result } from '../errors';
import { CrlStore, type CrlImportResult, type CrlStatus } from '../store/crl-store';
import { PkiDatabase, type PkiDatabaseEvents } from '../store/pki-database';
import { normalizeCrlUrl, SettingsLimits, SettingsStore, type ExtraAnchor } from '../store/settings-store';
import { jlisAnchorCertificates, JLIS_ANCHORS } from './anchors';
import { parseCertificate } from './certificate';
import { readCertificate, type CertificateInfo } from './certificate-info';
import { verifyChain, verifyChainWith, type ChainResult } from './chain';
import { createConfiguredCrlFetch, type PlatformFetch } from './configured-crl-fetch';
import { buildDetachedCms, verifyDetachedCms, type BuildCmsInput, type CardSignRequest, type CmsVerification } from './cms';
import type { ImportProgress } from './crl-import';
import { readJpkiBasicInfo, type JpkiBasicInfo } from './jpki-profile';
import { inputCrlSource } from './revocation';

export interface PkiServiceDependencies {
	readonly indexedDB: IDBFactory;
	/** The platform's fetch; it is only ever called for configured CRL URLs (configured-crl-fetch.ts). Absent → URL import is unavailable. */
	readonly fetch?: PlatformFetch;
	readonly databaseName?: string;
	readonly databaseEvents?: PkiDatabaseEvents;
}

export interface AnchorSummary {
	readonly fingerprint: string;
	readonly label: string;
	readonly source: 'shipped' | 'operator';
}

export function createPkiService(deps: PkiServiceDependencies) {
	let opened: Promise<{ crls: CrlStore; settings: SettingsStore }> | undefined;
	const stores = () => {
		opened ??= PkiDatabase.open(deps.indexedDB, {
			...(deps.databaseName ? { name: deps.databaseName } : {}),
			...(deps.databaseEvents ? { events: deps.databaseEvents } : {})
		}).then((db) => {
			const settings = new SettingsStore(db);
			return { crls: new CrlStore(db, settings), settings };
		});
		opened.catch(() => (opened = undefined));
		return opened;
	};
	/** The kiosk configuration's CRL URLs: configured for this session only, in memory, never stored. */
	let kioskCrlUrls: readonly string[] = [];
	const configuredUrls = async () => [...(await (await stores()).settings.crlUrls()), ...kioskCrlUrls];
	const guardedFetch = deps.fetch ? createConfiguredCrlFetch(deps.fetch, configuredUrls) : undefined;
	// Imports that can still be stopped, by the page's operation id (an AbortSignal cannot cross the worker boundary).
	const runningImports = new Map<string, AbortController>();
	const cancellableImport = <T extends object>(operationId: string | undefined, run: (signal: AbortSignal | undefined) => Promise<T>): Promise<Result<T>> =>
		asResult(async () => {
			if (operationId === undefined) return run(undefined);
			const controller = new AbortController();
			runningImports.set(operationId, controller);
			try {
				return await run(controller.signal);
			} finally {
				runningImports.delete(operationId);
			}
		});
	const anchors = async () => [...jlisAnchorCertificates(), ...(await (await stores()).settings.extraAnchorCertificates())];

	return {
		/** Certificate details as plain data (no 4 information). */
		readCertificate(der: Uint8Array, at?: number): Promise<Result<{ certificate: CertificateInfo }>> {
			return asResult(async () => ({ certificate: await readCertificate(der, at === undefined ? undefined : new Date(at)) }));
		},

		/** The 4 information of a signing certificate (personal data: show, never store). */
		readBasicInfo(der: Uint8Array): Promise<Result<{ info: JpkiBasicInfo | null }>> {
			return asResult(async () => ({ info: readJpkiBasicInfo(await parseCertificate(der)) ?? null }));
		},

		/** A card certificate against the configured anchors, with revocation from `crls` and the cached CRLs. */
		verifyCertificate(input: { leaf: Uint8Array; intermediates?: Uint8Array[]; crls?: Uint8Array[]; at?: number }): Promise<Result<{ result: ChainResult }>> {
			return asResult(async () => {
				const { crls } = await stores();
				const result = await verifyChainWith(
					{ leaf: input.leaf, intermediates: input.intermediates ?? [], anchors: await anchors(), ...(input.at === undefined ? {} : { at: new Date(input.at) }) },
					{ revocation: [inputCrlSource(input.crls ?? []), crls.revocationSource()] }
				);
				return { result };
			});
		},

		/** The design seam with explicit anchors and CRLs (no store). */
		verifyChain(input: { leaf: Uint8Array; intermediates?: Uint8Array[]; anchors: Uint8Array[]; crls?: Uint8Array[]; at?: number }): Promise<Result<{ result: ChainResult }>> {
			return asResult(async () => {
				const { at, ...rest } = input;
				return { result: await verifyChain({ ...rest, ...(at === undefined ? {} : { at: new Date(at) }) }) };
			});
		},

		/**
		 * Imports a CRL file. With an `operationId`, `cancelImport(operationId)` stops it until it starts storing (after
		 * that the import completes, atomically); a stopped import leaves the previous CRL in force.
		 */
		importCrlFile(der: Uint8Array, onProgress?: ImportProgress, operationId?: string): Promise<Result<CrlImportResult>> {
			return cancellableImport(operationId, async (signal) =>
				(await stores()).crls.importCrl(der, { issuers: await anchors(), ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) })
			);
		},

		importCrlFromUrl(url: string, onProgress?: ImportProgress, operationId?: string): Promise<Result<CrlImportResult>> {
			return cancellableImport(operationId, async (signal) => {
				if (!guardedFetch) throw new MynaError(ErrorKind.Unsupported, 'CRL download is not available here.');
				return (await stores()).crls.importFromUrl(url, guardedFetch, {
					issuers: await anchors(),
					alsoConfiguredUrls: kioskCrlUrls,
					...(onProgress ? { onProgress } : {}),
					...(signal ? { signal } : {})
				});
			});
		},

		/** Stops the import started with this operation id; `cancelled: false` when none is running (finished, unknown). */
		cancelImport(operationId: string): Promise<Result<{ cancelled: boolean }>> {
			return asResult(async () => {
				const controller = runningImports.get(operationId);
				controller?.abort();
				return { cancelled: controller !== undefined };
			});
		},

		listCrls(at?: number): Promise<Result<{ crls: CrlStatus[] }>> {
			return asResult(async () => ({ crls: await (await stores()).crls.list(at === undefined ? undefined : new Date(at)) }));
		},

		removeCrl(id: string): Promise<Result<object>> {
			return asResult(async () => {
				await (await stores()).crls.remove(id);
				return {};
			});
		},

		crlUrls(): Promise<Result<{ urls: string[] }>> {
			return asResult(async () => ({ urls: await (await stores()).settings.crlUrls() }));
		},

		/** The kiosk configuration's CRL URLs (https only), allowed for download alongside the stored list; replaces the previous set. */
		setKioskCrlUrls(urls: string[]): Promise<Result<{ urls: string[] }>> {
			return asResult(async () => {
				if (urls.length > SettingsLimits.maxCrlUrls) throw new MynaError(ErrorKind.Malformed, 'Too many CRL addresses.', { max: SettingsLimits.maxCrlUrls });
				const normalized = [...new Set(urls.map(normalizeCrlUrl))];
				if (normalized.some((u) => !u.startsWith('https:'))) throw new MynaError(ErrorKind.Malformed, 'A kiosk CRL address must be https.', { reason: 'url' });
				kioskCrlUrls = normalized;
				return { urls: [...normalized] };
			});
		},

		setCrlUrls(urls: string[]): Promise<Result<{ urls: string[] }>> {
			return asResult(async () => ({ urls: await (await stores()).settings.setCrlUrls(urls) }));
		},

		listAnchors(): Promise<Result<{ anchors: AnchorSummary[] }>> {
			return asResult(async () => {
				const extra = await (await stores()).settings.extraAnchors();
				return {
					anchors: [
						...JLIS_ANCHORS.map((a) => ({ fingerprint: a.fingerprint, label: a.label, source: 'shipped' as const })),
						...extra.map((a) => ({ fingerprint: a.fingerprint, label: a.label, source: 'operator' as const }))
					]
				};
			});
		},

		addAnchor(der: Uint8Array, options: { label?: string; expectedFingerprint?: string } = {}): Promise<Result<{ anchor: ExtraAnchor }>> {
			return asResult(async () => ({ anchor: await (await stores()).settings.addAnchor(der, options) }));
		},

		removeAnchor(fingerprint: string): Promise<Result<object>> {
			return asResult(async () => {
				await (await stores()).settings.removeAnchor(fingerprint);
				return {};
			});
		},

		/**
		 * Builds a detached .p7s from the file or its digest. `sign` is a separate argument so the page can pass the card's
		 * signer as a comlink `proxy()` (a function nested in the input object could not cross the worker boundary).
		 */
		buildSignature(
			input: Omit<BuildCmsInput, 'sign'>,
			sign: (request: CardSignRequest) => Promise<Uint8Array>
		): Promise<Result<{ p7s: Uint8Array }>> {
			return asResult(async () => ({ p7s: await buildDetachedCms({ ...input, sign }) }));
		},

		/** Verifies a .p7s against its file with the configured anchors, the given CRLs and the cached ones. */
		verifySignature(input: { signature: Uint8Array; content: Uint8Array; intermediates?: Uint8Array[]; crls?: Uint8Array[]; at?: number }): Promise<Result<{ verification: CmsVerification }>> {
			return asResult(async () => {
				const { crls } = await stores();
				const verification = await verifyDetachedCms(
					{
						signature: input.signature,
						content: input.content,
						anchors: await anchors(),
						...(input.intermediates ? { intermediates: input.intermediates } : {}),
						...(input.crls ? { crls: input.crls } : {}),
						...(input.at === undefined ? {} : { at: new Date(input.at) })
					},
					{ revocation: [crls.revocationSource()] }
				);
				return { verification };
			});
		}
	};
}

export type PkiService = ReturnType<typeof createPkiService>;
