import { concatBytes } from '../../bytes';
import { ErrorKind, MynaError } from '../../errors';
import { TypeBCode } from './sensb';

export interface AttribOptions {
	pupi: Uint8Array;
	/** FSDI: the largest frame the reader receives (8 = 256 bytes). */
	fsdi: number;
	/** Protocol type confirmed from the SENSB_RES. */
	protocolType: number;
	/** CID given to the card (0 when it has none). */
	cid: number;
	/** Param 1 (TR0, TR1, SOF/EOF suppression); 0 keeps the defaults. */
	param1?: number;
	/** DSI/DRI: 0 for 106 kbit/s both ways. */
	dsi?: number;
	dri?: number;
	higherLayerInf?: Uint8Array;
}

function check(name: string, value: number, max: number): void {
	if (!Number.isInteger(value) || value < 0 || value > max) throw new MynaError(ErrorKind.Internal, `ATTRIB ${name} out of range`, { [name]: value });
}

/** ATTRIB: `1D PUPI(4) param1 param2 param3 param4 [higher layer INF]` (readers.md §5.3). */
export function encodeAttrib(options: AttribOptions): Uint8Array {
	if (options.pupi.length !== 4) throw new MynaError(ErrorKind.Internal, 'PUPI must be 4 bytes');
	const { fsdi, protocolType, cid, param1 = 0, dsi = 0, dri = 0 } = options;
	check('fsdi', fsdi, 8);
	check('protocolType', protocolType, 15);
	check('cid', cid, 14);
	check('param1', param1, 0xff);
	check('dsi', dsi, 3);
	check('dri', dri, 3);
	return concatBytes(
		Uint8Array.of(TypeBCode.Attrib),
		options.pupi,
		Uint8Array.of(param1, (dsi << 6) | (dri << 4) | fsdi, protocolType, cid),
		options.higherLayerInf ?? new Uint8Array(0)
	);
}

export interface AttribResponse {
	/** Maximum buffer length index (0: the card gives no information). */
	mbli: number;
	cid: number;
	higherLayerResponse: Uint8Array;
}

/** The card's answer to ATTRIB: `MBLI|CID [higher layer response]`; the CID must be the one assigned. */
export function parseAttribResponse(bytes: Uint8Array, expectedCid: number): AttribResponse {
	if (bytes.length < 1) throw new MynaError(ErrorKind.Protocol, 'Malformed ATTRIB response', { reason: 'empty' });
	const cid = bytes[0]! & 0x0f;
	if (cid !== expectedCid) throw new MynaError(ErrorKind.Protocol, 'Malformed ATTRIB response', { reason: 'CID differs from the one assigned' });
	return { mbli: bytes[0]! >> 4, cid, higherLayerResponse: bytes.slice(1) };
}

/** HLTB: `50 PUPI(4)`, answered `00`. */
export function encodeHltb(pupi: Uint8Array): Uint8Array {
	if (pupi.length !== 4) throw new MynaError(ErrorKind.Internal, 'PUPI must be 4 bytes');
	return concatBytes(Uint8Array.of(TypeBCode.Hltb), pupi);
}

export function isHltbResponse(bytes: Uint8Array): boolean {
	return bytes.length === 1 && bytes[0] === 0x00;
}
