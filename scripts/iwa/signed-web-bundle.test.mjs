// node --test scripts/iwa/signed-web-bundle.test.mjs — the strict .swbn reader against bundles wbn-sign signs.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { IntegrityBlockSigner, NodeCryptoSigningStrategy, WebBundleId } from 'wbn-sign';
import { readSignedWebBundle, SignedWebBundleError, verifySignedWebBundle, webBundleIdOf } from './signed-web-bundle.mjs';

const KEYS = [generateKeyPairSync('ed25519').privateKey, generateKeyPairSync('ed25519').privateKey];

/** Bytes shaped like a web bundle for the signer: the last 8 bytes are the total length, big-endian. */
function fakeWebBundle(body) {
	const out = new Uint8Array(body.length + 8);
	out.set(body);
	new DataView(out.buffer).setBigUint64(body.length, BigInt(out.length));
	return out;
}

async function sign(body, keys = [KEYS[0]]) {
	const id = new WebBundleId(keys[0]).serialize();
	const { signedWebBundle } = await new IntegrityBlockSigner(fakeWebBundle(body), id, keys.map((k) => new NodeCryptoSigningStrategy(k))).sign();
	return { bytes: signedWebBundle, id };
}

const expectRejected = (fn) =>
	assert.throws(fn, (e) => {
		assert.ok(e instanceof SignedWebBundleError, `expected SignedWebBundleError, got ${e}`);
		return true;
	});

test('a bundle wbn-sign signed reads back: its ID, its key, the signature verifies, the web bundle is the same bytes', async () => {
	const body = Uint8Array.from([1, 2, 3, 4, 5]);
	const { bytes, id } = await sign(body);
	const parsed = readSignedWebBundle(bytes);
	assert.equal(parsed.webBundleId, id);
	assert.equal(parsed.webBundleId.length, 56);
	assert.match(parsed.webBundleId, /^[a-z2-7]{52}aaic$/, 'Ed25519 IDs end in the 00 01 02 type suffix (the last 20 bits: "aaic")');
	assert.deepEqual([...parsed.webBundle.subarray(0, 5)], [1, 2, 3, 4, 5]);
	const [key] = verifySignedWebBundle(parsed);
	assert.equal(webBundleIdOf(key), id);
});

test('two signers: both signatures verify', async () => {
	const parsed = readSignedWebBundle((await sign(Uint8Array.from([9]), KEYS)).bytes);
	assert.equal(verifySignedWebBundle(parsed).length, 2);
});

test('property: any signed body round-trips and verifies', async () => {
	await fc.assert(
		fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (body) => {
			const parsed = readSignedWebBundle((await sign(body)).bytes);
			verifySignedWebBundle(parsed);
			assert.deepEqual([...parsed.webBundle.subarray(0, body.length)], [...body]);
		}),
		{ numRuns: 40 }
	);
});

test('property: flipping any one bit is caught (a parse error or a failed signature), never accepted', async () => {
	const { bytes } = await sign(Uint8Array.from({ length: 64 }, (_, i) => i));
	await fc.assert(
		fc.property(fc.nat({ max: bytes.length * 8 - 1 }), (bit) => {
			const copy = Uint8Array.from(bytes);
			copy[bit >> 3] ^= 1 << (bit & 7);
			expectRejected(() => verifySignedWebBundle(readSignedWebBundle(copy)));
		}),
		{ numRuns: 300 }
	);
});

test('property: every truncation is rejected with a typed error', async () => {
	const { bytes } = await sign(Uint8Array.from([7, 7, 7]));
	for (let n = 0; n < bytes.length; n++) expectRejected(() => verifySignedWebBundle(readSignedWebBundle(bytes.subarray(0, n))));
});

test('property: arbitrary bytes only ever give a SignedWebBundleError', () => {
	fc.assert(
		fc.property(fc.uint8Array({ maxLength: 512 }), (junk) => {
			expectRejected(() => verifySignedWebBundle(readSignedWebBundle(junk)));
		}),
		{ numRuns: 500 }
	);
});

test('property: arbitrary bytes after a valid CBOR prefix of the magic are rejected quickly (bounded)', () => {
	// A CBOR array header claiming 2^32 items must not make the reader allocate or loop.
	const huge = Uint8Array.from([0x9a, 0xff, 0xff, 0xff, 0xff, 0x48, ...new Uint8Array(8)]);
	expectRejected(() => readSignedWebBundle(huge));
	fc.assert(
		fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (tail) => {
			expectRejected(() => readSignedWebBundle(Uint8Array.from([0x84, 0x48, 0xf0, 0x9f, 0x96, 0x8b, 0xf0, 0x9f, 0x93, 0xa6, ...tail])));
		}),
		{ numRuns: 300 }
	);
});

test('a bundle whose ID is not its signer’s key is refused', async () => {
	const other = new WebBundleId(KEYS[1]).serialize();
	const { signedWebBundle } = await new IntegrityBlockSigner(fakeWebBundle(Uint8Array.of(1)), other, [new NodeCryptoSigningStrategy(KEYS[0])]).sign();
	assert.throws(() => verifySignedWebBundle(readSignedWebBundle(signedWebBundle)), (e) => e instanceof SignedWebBundleError && e.code === 'web-bundle-id');
});

test('non-minimal CBOR lengths are refused (deterministic encoding only)', () => {
	// array(4) written with a 1-byte length (0x98 0x04) instead of 0x84
	assert.throws(() => readSignedWebBundle(Uint8Array.from([0x98, 0x04, 0x48, ...new Uint8Array(20)])), (e) => e instanceof SignedWebBundleError && e.code === 'cbor-not-minimal');
});
