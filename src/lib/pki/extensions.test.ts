import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorKind, isMynaError } from '../errors';
import { readRoot, Tag } from './der';
import { Der } from './der-writer';
import {
	decodeAuthorityKeyIdentifier,
	decodeBasicConstraints,
	decodeCrlDistributionPoints,
	decodeCrlNumber,
	decodeExtKeyUsage,
	decodeGeneralNames,
	decodeIssuingDistributionPoint,
	decodeKeyUsage,
	decodeNameConstraints,
	decodePolicyConstraints,
	KeyUsage
} from './extensions';
import { derMutation, mutate } from './fixtures/der-mutations';
import { encodeName, jpkiSubjectAltName, keyUsageValue, TEST_PERSON, TestNames } from './fixtures/test-pki';
import { nameConstraintViolation } from './name-constraints';
import { nameToString, nameWithin, parseName } from './name';

const name = (der: Uint8Array) => parseName(der, readRoot(der, Tag.Sequence, 'Name'));

const DECODERS = [
	decodeAuthorityKeyIdentifier,
	decodeBasicConstraints,
	decodeCrlDistributionPoints,
	decodeCrlNumber,
	decodeExtKeyUsage,
	decodeGeneralNames,
	decodeIssuingDistributionPoint,
	decodeKeyUsage,
	decodeNameConstraints,
	decodePolicyConstraints,
	name
] as const;

const dirName = Der.contextConstructed(4, encodeName(TestNames.signCa));
const SAMPLES = [
	Der.sequence(Der.boolean(true), Der.integer(3)),
	keyUsageValue(['digitalSignature', 'nonRepudiation', 'keyCertSign']),
	jpkiSubjectAltName(TEST_PERSON),
	Der.sequence(Der.sequence(Der.contextConstructed(0, Der.contextConstructed(0, dirName)))),
	Der.sequence(Der.contextConstructed(0, Der.sequence(dirName)), Der.contextConstructed(1, Der.sequence(Der.context(2, Uint8Array.from('.example', (c) => c.charCodeAt(0)))))),
	Der.sequence(Der.contextConstructed(0, Der.contextConstructed(1, Der.sequence(Der.oid('2.5.4.3'), Der.utf8('CRL1')))), Der.context(2, Uint8Array.of(0xff))),
	encodeName(TestNames.signLeaf)
];

describe('extension decoders and names', () => {
	it('decode the fields path validation relies on', () => {
		expect(decodeBasicConstraints(SAMPLES[0]!)).toEqual({ ca: true, pathLen: 3 });
		expect(decodeKeyUsage(SAMPLES[1]!)).toBe(KeyUsage.digitalSignature | KeyUsage.nonRepudiation | KeyUsage.keyCertSign);
		expect(decodeGeneralNames(SAMPLES[2]!).map((n) => n.type)).toEqual(new Array(6).fill('otherName'));
		expect(decodeCrlDistributionPoints(SAMPLES[3]!)[0]?.name?.fullName?.[0]?.type).toBe('directory');
		const nc = decodeNameConstraints(SAMPLES[4]!);
		expect([nc.permitted.length, nc.excluded[0]?.type]).toEqual([1, 'dns']);
		expect(decodeIssuingDistributionPoint(SAMPLES[5]!)).toMatchObject({ onlyCaCerts: true, name: { relativeName: [{ type: '2.5.4.3' }] } });
		expect(() => decodeCrlNumber(Der.integerRaw(new Uint8Array(22).fill(1)))).toThrow();
	});

	it('compare names as RFC 5280 asks: case, spaces and string type do not matter, order does', () => {
		const a = name(Der.sequence(Der.set(Der.sequence(Der.oid('2.5.4.6'), Der.printable('JP'))), Der.set(Der.sequence(Der.oid('2.5.4.10'), Der.printable('Test  CA')))));
		const b = name(Der.sequence(Der.set(Der.sequence(Der.oid('2.5.4.6'), Der.utf8('jp'))), Der.set(Der.sequence(Der.oid('2.5.4.10'), Der.utf8(' test ca ')))));
		const swapped = name(Der.sequence(Der.set(Der.sequence(Der.oid('2.5.4.10'), Der.printable('Test CA'))), Der.set(Der.sequence(Der.oid('2.5.4.6'), Der.printable('JP')))));
		expect(a.key).toBe(b.key);
		expect(a.key).not.toBe(swapped.key);
		expect(nameWithin(name(encodeName(TestNames.signLeaf)), name(encodeName([['C', 'JP']])))).toBe(true);
		expect(nameToString(name(encodeName(TestNames.signCa)))).toBe('C=JP, O=Myna Web Test PKI, OU=JPKI for digital signature, OU=Fake Agency for Tests (not J-LIS)');
		const multi = name(Der.sequence(Der.set(Der.sequence(Der.oid('2.5.4.3'), Der.utf8('x')), Der.sequence(Der.oid('2.5.4.5'), Der.utf8('1')))));
		const multiSwapped = name(Der.sequence(Der.set(Der.sequence(Der.oid('2.5.4.5'), Der.utf8('1')), Der.sequence(Der.oid('2.5.4.3'), Der.utf8('x')))));
		expect(multi.key).toBe(multiSwapped.key);
	});

	it('apply DNS, mailbox and URI name constraints by label', () => {
		const constraints = [decodeNameConstraints(Der.sequence(Der.contextConstructed(0, Der.sequence(Der.context(2, Uint8Array.from('example.jp', (c) => c.charCodeAt(0)))))))];
		expect(nameConstraintViolation([{ type: 'dns', value: 'www.example.jp' }], constraints)).toBeUndefined();
		expect(nameConstraintViolation([{ type: 'dns', value: 'example.jp' }], constraints)).toBeUndefined();
		expect(nameConstraintViolation([{ type: 'dns', value: 'badexample.jp' }], constraints)).toContain('outside');
		expect(nameConstraintViolation([{ type: 'otherName', oid: '1.2.3', value: new Uint8Array(0) }], constraints)).toBeUndefined();
	});

	it('property: random and mutated values never throw anything but Malformed', () => {
		const malformedOnly = (work: () => unknown) => {
			try {
				work();
			} catch (error) {
				if (!isMynaError(error, ErrorKind.Malformed)) throw error;
			}
		};
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
				for (const decode of DECODERS) malformedOnly(() => decode(bytes));
			}),
			{ numRuns: 1000 }
		);
		fc.assert(
			fc.property(fc.nat(SAMPLES.length - 1), fc.array(derMutation(300), { minLength: 1, maxLength: 3 }), (which, mutations) => {
				const bytes = mutate(SAMPLES[which]!, mutations);
				for (const decode of DECODERS) malformedOnly(() => decode(bytes));
			}),
			{ numRuns: 1500 }
		);
	});
});
