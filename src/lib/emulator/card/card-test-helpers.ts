import { asciiBytes, concatBytes, fromHex } from '../../bytes';
import { MynaApplicationAid, type MynaApplicationName } from './card-file-system';
import type { ApduCard } from './apdu-card';

/** Byte-level helpers shared by the virtual card's tests (not used by production code). */

export interface CardReply {
	readonly data: Uint8Array;
	readonly sw: number;
}

export async function send(card: ApduCard, apdu: Uint8Array | string): Promise<CardReply> {
	const bytes = typeof apdu === 'string' ? fromHex(apdu) : apdu;
	const response = await card.transmit(bytes);
	if (response.length < 2) throw new Error('response without status word');
	return { data: response.slice(0, -2), sw: (response[response.length - 2]! << 8) | response[response.length - 1]! };
}

export function selectAidApdu(name: MynaApplicationName): Uint8Array {
	return concatBytes(fromHex('00A4040C0A'), fromHex(MynaApplicationAid[name]));
}

export function selectEfApdu(fid: number): Uint8Array {
	return Uint8Array.of(0x00, 0xa4, 0x02, 0x0c, 0x02, fid >>> 8, fid & 0xff);
}

export function verifyApdu(pin: string): Uint8Array {
	const data = asciiBytes(pin);
	return concatBytes(Uint8Array.of(0x00, 0x20, 0x00, 0x80, data.length), data);
}

export function changeApdu(pin: string): Uint8Array {
	const data = asciiBytes(pin);
	return concatBytes(Uint8Array.of(0x00, 0x24, 0x01, 0x80, data.length), data);
}

export function readBinaryApdu(offset: number, le: number): Uint8Array {
	return Uint8Array.of(0x00, 0xb0, (offset >>> 8) & 0x7f, offset & 0xff, le & 0xff);
}

export async function selectAid(card: ApduCard, name: MynaApplicationName): Promise<number> {
	return (await send(card, selectAidApdu(name))).sw;
}

export async function selectEf(card: ApduCard, fid: number): Promise<number> {
	return (await send(card, selectEfApdu(fid))).sw;
}

export async function verify(card: ApduCard, pin: string): Promise<number> {
	return (await send(card, verifyApdu(pin))).sw;
}

/** The status of an empty VERIFY (case 1): 63Cx or 9000. */
export async function pinStatus(card: ApduCard): Promise<number> {
	return (await send(card, '00200080')).sw;
}

/** Reads the whole current EF the way the hosts do: short READ BINARY with Le 00, advancing by what came back. */
export async function readWholeEf(card: ApduCard, maxLength = 0x7fff): Promise<Uint8Array> {
	const parts: Uint8Array[] = [];
	let offset = 0;
	while (offset < maxLength) {
		const reply = await send(card, readBinaryApdu(offset, 0));
		if (reply.sw === 0x6b00) break;
		if (reply.sw !== 0x9000) throw new Error(`READ BINARY at ${offset}: ${reply.sw.toString(16)}`);
		parts.push(reply.data);
		offset += reply.data.length;
		if (reply.data.length < 256) break;
	}
	return concatBytes(...parts);
}

/** DER DigestInfo for SHA-256 (RFC 8017 §9.2 note 1) over `message`. */
export async function sha256DigestInfo(message: Uint8Array): Promise<Uint8Array> {
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', message.slice()));
	return concatBytes(fromHex('3031300d060960864801650304020105000420'), digest);
}

export function signApdu(digestInfo: Uint8Array): Uint8Array {
	return concatBytes(Uint8Array.of(0x80, 0x2a, 0x00, 0x80, digestInfo.length), digestInfo, Uint8Array.of(0x00));
}

/** Walks one BER TLV at `offset` (tags up to 2 bytes, lengths up to 82 xx xx): tag bytes, value, next offset. */
export function readTlv(bytes: Uint8Array, offset: number): { tag: number[]; value: Uint8Array; next: number } {
	let i = offset;
	const tag = [bytes[i++]!];
	if ((tag[0]! & 0x1f) === 0x1f) tag.push(bytes[i++]!);
	let length = bytes[i++]!;
	if (length === 0x81) length = bytes[i++]!;
	else if (length === 0x82) {
		length = (bytes[i]! << 8) | bytes[i + 1]!;
		i += 2;
	} else if (length > 0x80) throw new Error('unsupported length form');
	if (i + length > bytes.length) throw new Error('TLV overruns');
	return { tag, value: bytes.slice(i, i + length), next: i + length };
}

export function readTlvChildren(value: Uint8Array): { tag: number[]; value: Uint8Array }[] {
	const out: { tag: number[]; value: Uint8Array }[] = [];
	let offset = 0;
	while (offset < value.length) {
		const tlv = readTlv(value, offset);
		out.push({ tag: tlv.tag, value: tlv.value });
		offset = tlv.next;
	}
	return out;
}
