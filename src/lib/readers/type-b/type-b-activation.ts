import { ErrorKind, MynaError, throwIfAborted } from '../../errors';
import { sleep } from '../iso-dep/abortable-wait';
import { FRAME_SIZES, frameSizeIndexFor, IsoDepTiming } from '../iso-dep/iso-dep-parameters';
import type { IsoDepFrameExchange, IsoDepOptions } from '../iso-dep/iso-dep-protocol';
import { RfFailure, rfFailureOf } from '../iso-dep/rf-link-error';
import { encodeAttrib, parseAttribResponse } from './attrib';
import { encodeSensbReq, parseSensbRes, type SensbRes } from './sensb';
import { buildTypeBAtr } from './type-b-atr';

export const TypeBTiming = {
	/** The wait for SENSB_RES, as nfcpy gives it on the RC-S380 (readers.md §5.3). */
	sensbResponseMs: 30
} as const;

/** What a reader needs to talk ISO-DEP to an activated Type B card. */
export interface TypeBActivation {
	applicationData: Uint8Array;
	/** The first three protocol info bytes. */
	protocolInfo: Uint8Array;
	mbli: number;
	/** FSC (clamped to what the reader sends), FSD, FWT and the CID to carry, for `IsoDepProtocol`. */
	isoDep: IsoDepOptions;
	/** Who sent ATTRIB: this code, or the reader itself (RC-S300 at layer 4). */
	activatedBy: 'host' | 'reader';
	/** The PC/SC Part 3 ATR built from the above. */
	atr: Uint8Array;
}

export interface TypeBLinkLimits {
	/** The largest frame the reader can send to the card, PCB to EDC. */
	maxSendFrame: number;
	/** The largest frame the reader can take from the card, PCB to EDC: FSD is the largest table size within it. */
	maxReceiveFrame: number;
}

/**
 * SENSB_REQ (WUPB by default) in one slot. `undefined` when no card answers; a damaged answer is asked for once
 * more, then reported as a Protocol error (two cards in the field answer over each other).
 */
export async function pollTypeB(
	exchange: IsoDepFrameExchange,
	options: { wakeUp?: boolean; afi?: number; signal?: AbortSignal } = {}
): Promise<SensbRes | undefined> {
	const request = encodeSensbReq({ wakeUp: options.wakeUp ?? true, afi: options.afi ?? 0 });
	for (let attempt = 0; attempt < 2; attempt++) {
		throwIfAborted(options.signal);
		let answer: Uint8Array;
		try {
			answer = await exchange(request, TypeBTiming.sensbResponseMs, options.signal);
		} catch (error) {
			const failure = rfFailureOf(error);
			if (failure === RfFailure.Timeout) return undefined;
			if (failure === undefined) throw error;
			continue;
		}
		try {
			return parseSensbRes(answer);
		} catch {
			continue;
		}
	}
	throw new MynaError(ErrorKind.Protocol, 'The answer to the card poll was damaged; there may be more than one card on the reader.');
}

export function activationFromSensbRes(sensb: SensbRes, mbli: number, fsd: number, maxSendFrame: number, activatedBy: 'host' | 'reader', cid = 0): TypeBActivation {
	const useCid = sensb.cidSupported && cid !== 0;
	return {
		applicationData: sensb.applicationData,
		protocolInfo: sensb.protocolInfo.slice(0, 3),
		mbli,
		isoDep: { fsc: Math.min(sensb.fsc, maxSendFrame), fsd, fwtMs: sensb.fwtMs, ...(useCid ? { cid } : {}) },
		activatedBy,
		atr: buildTypeBAtr({ applicationData: sensb.applicationData, protocolInfo: sensb.protocolInfo, mbli })
	};
}

/**
 * Host-side activation (readers.md §5.3): WUPB, then ATTRIB `1D PUPI 00 <FSDI> <protocol type> 00` giving CID 0,
 * waiting FWT + ΔFWT for the answer, then the card's SFGT. `undefined` when no card answers the poll.
 */
export async function activateTypeB(
	exchange: IsoDepFrameExchange,
	limits: TypeBLinkLimits,
	options: { wakeUp?: boolean; signal?: AbortSignal } = {}
): Promise<TypeBActivation | undefined> {
	const sensb = await pollTypeB(exchange, options);
	if (!sensb) return undefined;
	if (!sensb.iso14443_4) {
		throw new MynaError(ErrorKind.NotMynaCard, 'The card on the reader does not speak ISO/IEC 14443-4, so it is not a My Number Card.');
	}
	const fsdi = frameSizeIndexFor(limits.maxReceiveFrame);
	const attrib = encodeAttrib({ pupi: sensb.pupi, fsdi, protocolType: sensb.protocolType, cid: 0 });
	throwIfAborted(options.signal);
	let answer: Uint8Array;
	try {
		answer = await exchange(attrib, sensb.fwtMs + IsoDepTiming.deltaFwtMs, options.signal);
	} catch (error) {
		const failure = rfFailureOf(error);
		if (failure === undefined) throw error;
		throw new MynaError(ErrorKind.CardMute, 'The card answered the poll but not the activation. Hold it still on the reader and try again.', {
			rfFailure: failure
		});
	}
	const response = parseAttribResponse(answer, 0);
	if (sensb.sfgtMs > 0) await sleep(sensb.sfgtMs, options.signal);
	return activationFromSensbRes(sensb, response.mbli, FRAME_SIZES[fsdi]!, limits.maxSendFrame, 'host');
}
