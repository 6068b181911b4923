import { ErrorKind, MynaError, throwIfAborted } from '../../errors';
import type { ReaderInfo } from '../reader-connection';
import { FRAME_SIZES } from '../iso-dep/iso-dep-parameters';
import { IsoDepProtocol, type IsoDepFrameExchange } from '../iso-dep/iso-dep-protocol';
import { activateTypeB, pollTypeB, type TypeBActivation, type TypeBLinkLimits } from '../type-b/type-b-activation';
import { buildTypeBAtr, parseTypeBAtr } from '../type-b/type-b-atr';
import type { TypeBLink } from '../type-b/type-b-reader-connection';
import { parseProtocolInfo } from '../type-b/sensb';
import { releaseVendorInterface, type UsbTransferCounts, type VendorUsbPipe } from '../type-b/vendor-usb-pipe';
import type { Rcs300Session } from './rcs300-session';

/**
 * Frame limits through the transparent session: Sony's library caps an exchange at 290 bytes of frame either way
 * (rcs300.md §4), so FSD is 256 (FSDI 8).
 */
export const RCS300_LIMITS: TypeBLinkLimits = { maxSendFrame: 290 + 2, maxReceiveFrame: 290 + 2 };
const FSDI = 8;

/** Who activated the card last time: the reader on its switch to layer 4, or this code at layer 3. */
export type Rcs300ActivationPath = 'reader' | 'host';

/**
 * Type B through the RC-S300's transparent session, the host running ISO-DEP inside each transceive.
 *
 * Whether the reader sends ATTRIB itself after a switch to Type B layer 4 is not known (rcs300.md §1.3, §7), so
 * activation handles both: after the layer-4 switch (FSDI 8 and CID 0 stated first) it asks the reader with GET DATA
 * `FF CA 01 00` and takes the card's protocol info from the ATR the switch returned; the card counts as active only
 * if it answers an ISO-DEP presence check. Otherwise: field reset, layer 3, WUPB and ATTRIB from here, CID 0. The
 * path that worked is tried first next time.
 */
export class Rcs300TypeBLink implements TypeBLink {
	readonly info: ReaderInfo;
	readonly #session: Rcs300Session;
	readonly #pipe: VendorUsbPipe;
	readonly #device: USBDevice;
	readonly #interfaceNumber: number;
	#path: Rcs300ActivationPath | undefined;
	#layer3Ready = false;

	constructor(device: USBDevice, interfaceNumber: number, pipe: VendorUsbPipe, session: Rcs300Session, info: ReaderInfo) {
		this.#device = device;
		this.#interfaceNumber = interfaceNumber;
		this.#pipe = pipe;
		this.#session = session;
		this.info = info;
	}

	get transfers(): Readonly<UsbTransferCounts> {
		return this.#pipe.transfers;
	}

	/** The activation path that worked last (undefined before the first card). */
	get activationPath(): Rcs300ActivationPath | undefined {
		return this.#path;
	}

	readonly exchange: IsoDepFrameExchange = (frame, timeoutMs) => this.#session.transceive(frame, timeoutMs);

	async activate(signal?: AbortSignal): Promise<TypeBActivation | undefined> {
		this.#layer3Ready = false;
		if (this.#path !== 'host') {
			const activation = await this.#activateAtLayer4(signal);
			if (activation) return this.#learn(activation);
		}
		return this.#learn(await this.#activateAtLayer3(signal));
	}

	async detect(signal?: AbortSignal, options: { resetField?: boolean } = {}): Promise<boolean> {
		if (options.resetField) this.#layer3Ready = false;
		if (this.#path === 'reader') {
			this.#layer3Ready = false;
			await this.#session.resetField(signal);
			const answer = await this.#session.switchProtocol(4, signal);
			return answer.ok && (await this.#session.getAttribResponse()) !== undefined;
		}
		if (!this.#layer3Ready) {
			await this.#session.resetField(signal);
			await this.#session.switchProtocol(3, signal);
			this.#layer3Ready = true;
		}
		return (await pollTypeB(this.exchange, { signal })) !== undefined;
	}

	async keepAlive(): Promise<void> {
		await this.#session.firmwareVersion();
	}

	async close(): Promise<void> {
		await this.#session.close();
		await releaseVendorInterface(this.#device, this.#interfaceNumber);
	}

	#learn(activation: TypeBActivation | undefined): TypeBActivation | undefined {
		if (activation) this.#path = activation.activatedBy;
		return activation;
	}

	async #activateAtLayer4(signal?: AbortSignal): Promise<TypeBActivation | undefined> {
		await this.#session.resetField(signal);
		const answer = await this.#session.switchProtocol(4, signal);
		if (!answer.ok) return undefined;
		return this.#readerActivated(answer.atr, signal);
	}

	async #activateAtLayer3(signal?: AbortSignal): Promise<TypeBActivation | undefined> {
		await this.#session.resetField(signal);
		const answer = await this.#session.switchProtocol(3, signal);
		this.#layer3Ready = true;
		const activation = await activateTypeB(this.exchange, RCS300_LIMITS, { signal });
		if (activation || !answer.ok) return activation;
		return this.#readerActivated(answer.atr, signal);
	}

	/**
	 * The card the reader says it activated, if its ATR carries the protocol info (FSC, FWT, CID support) and the card
	 * answers an ISO-DEP presence check with the CID the reader reports.
	 */
	async #readerActivated(atr: Uint8Array | undefined, signal?: AbortSignal): Promise<TypeBActivation | undefined> {
		throwIfAborted(signal);
		const attribResponse = await this.#session.getAttribResponse();
		const fields = atr ? parseTypeBAtr(atr) : undefined;
		if (!attribResponse || !fields) return undefined;
		const info = parseProtocolInfo(fields.protocolInfo);
		if (!info.iso14443_4) {
			throw new MynaError(ErrorKind.NotMynaCard, 'The card on the reader does not speak ISO/IEC 14443-4, so it is not a My Number Card.');
		}
		const cid = attribResponse[0]! & 0x0f;
		const mbli = attribResponse[0]! >> 4;
		const activation: TypeBActivation = {
			applicationData: fields.applicationData,
			protocolInfo: fields.protocolInfo,
			mbli,
			isoDep: {
				fsc: Math.min(info.fsc, RCS300_LIMITS.maxSendFrame),
				fsd: FRAME_SIZES[FSDI]!,
				fwtMs: info.fwtMs,
				...(info.cidSupported && cid !== 0 ? { cid } : {})
			},
			activatedBy: 'reader',
			atr: buildTypeBAtr({ applicationData: fields.applicationData, protocolInfo: fields.protocolInfo, mbli })
		};
		const probe = await new IsoDepProtocol(this.exchange, activation.isoDep).presenceCheck({ signal });
		return probe === 'present' ? activation : undefined;
	}
}
