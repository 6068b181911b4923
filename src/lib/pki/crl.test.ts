import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../bytes';
import { ErrorKind, isMynaError } from '../errors';
import { parseCrlHeader } from './crl';
import { CrlIndex } from './crl-index';
import { Der, unsignedIntegerContent } from './der-writer';
import { derMutation, mutate } from './fixtures/der-mutations';
import { crlEntry, encodeName, makeCrl, makeLargeCrl, testKey, TestNames, type TestKey } from './fixtures/test-pki';
import { Oid } from './oids';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 25, 3, 0, 0);
let root: TestKey;

beforeAll(async () => {
	root = await testKey('rootA');
});

/** A CRL TBS with the given raw entries and a dummy signature (parsing does not verify). */
function unsignedCrl(entries: readonly Uint8Array[], options: { version?: 1 | 2; extensions?: Uint8Array[] } = {}): Uint8Array {
	const alg = Der.sequence(Der.oid(Oid.sha256WithRsa), Der.null());
	const version = options.version ?? 2;
	const tbs = Der.sequence(
		...(version === 2 ? [Der.integer(1)] : []),
		alg,
		encodeName(TestNames.signCa),
		Der.utcTime(NOW - DAY),
		Der.utcTime(NOW + DAY),
		...(entries.length ? [Der.sequence(...entries)] : []),
		...(options.extensions ? [Der.contextConstructed(0, Der.sequence(...options.extensions))] : [])
	);
	return Der.sequence(tbs, alg, Der.bitString(new Uint8Array(256)));
}

function index(der: Uint8Array) {
	const header = parseCrlHeader(der);
	return { header, ...CrlIndex.build(der, header.entries, { allowEntryExtensions: header.version === 2 }) };
}

function malformedOnly(work: () => unknown): void {
	try {
		work();
	} catch (error) {
		if (!isMynaError(error, ErrorKind.Malformed)) throw error;
	}
}

describe('CRL parsing', () => {
	it('reads the header: version, issuer, dates, CRL number, AKI', async () => {
		const der = await makeCrl({ issuer: TestNames.signCa, signer: root, thisUpdate: NOW - DAY, nextUpdate: NOW + DAY, crlNumber: 4242 });
		const header = parseCrlHeader(der);
		expect(header.version).toBe(2);
		expect(header.thisUpdate).toBe(NOW - DAY);
		expect(header.nextUpdate).toBe(NOW + DAY);
		expect(toHex(header.crlNumber!)).toBe('1092');
		expect(header.authorityKeyId?.keyId).toHaveLength(20);
		expect(header.entries).toBeUndefined();
		expect(header.unsupportedCriticalExtensions).toEqual([]);
		expect(index(der).index.size).toBe(0);
	});

	it('flags delta CRLs and unknown critical extensions, and reads the issuing distribution point', () => {
		const delta = parseCrlHeader(unsignedCrl([], { extensions: [Der.sequence(Der.oid(Oid.deltaCrlIndicator), Der.boolean(true), Der.octetString(Der.integer(3)))] }));
		expect(delta.deltaCrl).toBe(true);
		const unknown = parseCrlHeader(unsignedCrl([], { extensions: [Der.sequence(Der.oid('1.2.3.4'), Der.boolean(true), Der.octetString(Der.null()))] }));
		expect(unknown.unsupportedCriticalExtensions).toEqual(['1.2.3.4']);
		const idp = Der.sequence(Der.contextConstructed(0, Der.contextConstructed(0, Der.contextConstructed(4, encodeName(TestNames.signCa)))), Der.context(1, Uint8Array.of(0xff)));
		const scoped = parseCrlHeader(unsignedCrl([], { extensions: [Der.sequence(Der.oid(Oid.issuingDistributionPoint), Der.boolean(true), Der.octetString(idp))] }));
		expect(scoped.issuingDistributionPoint).toMatchObject({ onlyUserCerts: true, onlyCaCerts: false, indirectCrl: false });
		expect(scoped.issuingDistributionPoint?.name?.fullName?.[0]?.type).toBe('directory');
	});

	it('indexes serials with reasons, revocation and invalidity dates', () => {
		const der = unsignedCrl([
			crlEntry({ serial: 0x1234, revoked: NOW - 3 * DAY, reason: 3 }),
			crlEntry({ serial: 1, revoked: NOW - 2 * DAY }),
			crlEntry({ serial: Uint8Array.of(0x00, 0xff, 0xee), revoked: NOW - DAY, reason: 6, invalidityDate: NOW - 5 * DAY }),
			crlEntry({ serial: Uint8Array.of(0x80), revoked: NOW - DAY, reason: 1 })
		]);
		const { index: idx, problems } = index(der);
		expect(idx.size).toBe(4);
		expect(problems).toEqual({ unsupportedCriticalExtensions: [], certificateIssuer: false, removeFromCrl: false });
		expect(idx.lookup(Uint8Array.of(0x12, 0x34))).toEqual({ reason: 3, revocationDate: NOW - 3 * DAY });
		expect(idx.lookup(Uint8Array.of(0x01))).toEqual({ revocationDate: NOW - 2 * DAY });
		expect(idx.lookup(Uint8Array.of(0x00, 0xff, 0xee))).toEqual({ reason: 6, revocationDate: NOW - DAY, invalidityDate: NOW - 5 * DAY });
		expect(idx.lookup(Uint8Array.of(0x80))).toEqual({ reason: 1, revocationDate: NOW - DAY });
		expect(idx.lookup(Uint8Array.of(0x02))).toBeUndefined();
		expect(idx.lookup(Uint8Array.of(0x12, 0x35))).toBeUndefined();
	});

	it('reports entry extensions it must refuse, and refuses malformed entries', () => {
		expect(index(unsignedCrl([crlEntry({ serial: 5, revoked: NOW, extensions: [{ oid: '1.2.3.4.5', critical: true, value: Der.null() }] })])).problems.unsupportedCriticalExtensions).toEqual(['1.2.3.4.5']);
		const issuer = Der.sequence(Der.contextConstructed(4, encodeName(TestNames.signCa)));
		expect(index(unsignedCrl([crlEntry({ serial: 5, revoked: NOW, extensions: [{ oid: Oid.certificateIssuer, critical: true, value: issuer }] })])).problems.certificateIssuer).toBe(true);
		expect(index(unsignedCrl([crlEntry({ serial: 5, revoked: NOW, reason: 8 })])).problems.removeFromCrl).toBe(true);
		expect(index(unsignedCrl([crlEntry({ serial: 5, revoked: NOW, extensions: [{ oid: '1.2.3.4.6', value: Der.null() }] })])).problems.unsupportedCriticalExtensions).toEqual([]);

		const bad = [
			unsignedCrl([Der.sequence(Der.integerRaw(Uint8Array.of(0x00, 0x01)), Der.utcTime(NOW))]),
			unsignedCrl([Der.sequence(Der.integerRaw(new Uint8Array(33).fill(1)), Der.utcTime(NOW))]),
			unsignedCrl([crlEntry({ serial: 5, revoked: NOW, reason: 7 })]),
			unsignedCrl([crlEntry({ serial: 5, revoked: NOW, reason: 1 })], { version: 1 }),
			unsignedCrl([Der.sequence(Der.integer(5), Der.utcTime(NOW), Der.null())]),
			unsignedCrl([Der.sequence(Der.integer(5))]),
			unsignedCrl([crlEntry({ serial: 5, revoked: NOW, reason: 1, extensions: [{ oid: Oid.reasonCode, value: Der.enumerated(1) }] })])
		];
		for (const der of bad) expect(() => index(der)).toThrow(expect.objectContaining({ kind: ErrorKind.Malformed }));
	});

	it('property: variable-length serials are found exactly (compared with a Set)', () => {
		const serial = fc.uint8Array({ minLength: 1, maxLength: 20 }).map((b) => unsignedIntegerContent(b));
		fc.assert(
			fc.property(fc.array(serial, { maxLength: 300 }), fc.array(serial, { maxLength: 50 }), (present, probes) => {
				const der = unsignedCrl(present.map((s, i) => crlEntry({ serial: s, revoked: NOW - i * 1000, ...(i % 3 ? { reason: i % 7 } : {}) })));
				const { index: idx } = index(der);
				const expected = new Set(present.map((s) => toHex(s)));
				for (const s of present) if (!idx.lookup(s)) return false;
				for (const s of probes) if (Boolean(idx.lookup(s)) !== expected.has(toHex(s))) return false;
				const copy = CrlIndex.fromBuffer(idx.buffer.slice(0));
				return present.every((s) => copy.lookup(s) !== undefined) && [...copy.serials()].length === present.length;
			}),
			{ numRuns: 150 }
		);
	});

	it('property: mutated CRLs never throw anything but Malformed', async () => {
		const der = await makeCrl({
			issuer: TestNames.signCa,
			signer: root,
			thisUpdate: NOW - DAY,
			nextUpdate: NOW + DAY,
			crlNumber: 7,
			entries: [
				{ serial: 1, revoked: NOW - DAY, reason: 1 },
				{ serial: Uint8Array.of(0x01, 0x02, 0x03), revoked: NOW - DAY, invalidityDate: NOW - 2 * DAY }
			]
		});
		fc.assert(
			fc.property(fc.array(derMutation(der.length), { minLength: 1, maxLength: 4 }), (mutations) => {
				malformedOnly(() => index(mutate(der, mutations)));
			}),
			{ numRuns: 2000 }
		);
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
				malformedOnly(() => index(bytes));
				malformedOnly(() => index(unsignedCrl([bytes])));
			}),
			{ numRuns: 1000 }
		);
	});

	it('sorts large groups whose serials share prefixes or repeat', () => {
		const serials: Uint8Array[] = [];
		for (let i = 0; i < 3000; i++) {
			const s = new Uint8Array(12);
			s.set([0x01, 0x02, 0x03, 0x04, i % 3, 0x00, 0x00, 0x00]);
			s[8] = (i * 7919) & 0xff;
			s[9] = (i * 104729) & 0xff;
			s[10] = i % 5;
			s[11] = (i * 31) & 0xff;
			serials.push(s, s);
		}
		const { index: idx } = index(unsignedCrl(serials.map((serial, i) => crlEntry({ serial, revoked: NOW - i * 1000 }))));
		const ordered = [...idx.serials()].map((s) => toHex(s));
		expect(ordered).toEqual(serials.map((s) => toHex(s)).sort());
		for (const s of serials) expect(idx.lookup(s)).toBeDefined();
	});

	it('property: a damaged stored index is refused or answers without throwing', () => {
		const { index: idx } = index(unsignedCrl([1, 2, 3, 300, 70000].map((serial) => crlEntry({ serial, revoked: NOW, reason: 1, invalidityDate: NOW - DAY }))));
		const buffer = new Uint8Array(idx.buffer);
		fc.assert(
			fc.property(fc.array(fc.record({ at: fc.nat(buffer.length - 1), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }), (changes) => {
				const damaged = buffer.slice();
				for (const c of changes) damaged[c.at] = c.value;
				try {
					const copy = CrlIndex.fromBuffer(damaged.buffer);
					for (const serial of [1, 2, 3, 300, 70000]) copy.lookup(unsignedIntegerContent(Uint8Array.of(serial >> 16, serial >> 8, serial & 0xff)));
				} catch (error) {
					if (!isMynaError(error, ErrorKind.Storage)) throw error;
				}
			}),
			{ numRuns: 1000 }
		);
	});

	it('refuses a damaged stored index as a storage error', () => {
		const { index: idx } = index(unsignedCrl([crlEntry({ serial: 9, revoked: NOW })]));
		const damaged = idx.buffer.slice(0);
		new Uint32Array(damaged)[2] = 99;
		expect(() => CrlIndex.fromBuffer(damaged)).toThrow(expect.objectContaining({ kind: ErrorKind.Storage }));
		expect(() => CrlIndex.fromBuffer(new ArrayBuffer(8))).toThrow(expect.objectContaining({ kind: ErrorKind.Storage }));
	});

	it('walks entries in linear time (10k vs 100k entries)', async () => {
		const small = await makeLargeCrl({ issuer: TestNames.signCa, signer: root, count: 10_000, serialBytes: 8, thisUpdate: NOW, nextUpdate: NOW + DAY, crlNumber: 1, withReasons: true });
		const large = await makeLargeCrl({ issuer: TestNames.signCa, signer: root, count: 100_000, serialBytes: 8, thisUpdate: NOW, nextUpdate: NOW + DAY, crlNumber: 1, withReasons: true });
		const time = (der: Uint8Array) => {
			const start = performance.now();
			index(der);
			return performance.now() - start;
		};
		time(small.der);
		const a = time(small.der);
		const b = time(large.der);
		expect(index(large.der).index.lookup(large.serials.subarray(800, 808))).toMatchObject({ reason: 1 });
		expect(b / Math.max(a, 1)).toBeLessThan(40);
	});
});
