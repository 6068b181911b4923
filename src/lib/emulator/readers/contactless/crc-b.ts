/**
 * CRC_B of ISO/IEC 14443-3 Annex B (the CRC-16 of ISO/IEC 13239: polynomial x^16 + x^12 + x^5 + 1, preset FFFF,
 * reflected, inverted at the end). It travels least significant byte first after the frame. The check value of
 * "123456789" is 0x906E.
 */

const REFLECTED_POLYNOMIAL = 0x8408;

export function crcB(data: Uint8Array): number {
	let crc = 0xffff;
	for (let i = 0; i < data.length; i++) {
		crc ^= data[i]!;
		for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ REFLECTED_POLYNOMIAL : crc >>> 1;
	}
	return ~crc & 0xffff;
}

/** The frame as it goes on air: data, then CRC_B low byte, high byte. */
export function appendCrcB(data: Uint8Array): Uint8Array {
	const crc = crcB(data);
	const out = new Uint8Array(data.length + 2);
	out.set(data);
	out[data.length] = crc & 0xff;
	out[data.length + 1] = crc >>> 8;
	return out;
}

/** True when the last two bytes are the CRC_B of the others (a frame needs at least one data byte). */
export function hasValidCrcB(frame: Uint8Array): boolean {
	if (frame.length < 3) return false;
	const crc = crcB(frame.subarray(0, frame.length - 2));
	return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >>> 8;
}
