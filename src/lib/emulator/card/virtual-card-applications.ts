import { asciiBytes } from '../../bytes';
import { JukiApFile, cardApplication, type CardApplication } from './card-file-system';
import { buildJpkiApplication } from './jpki-application';
import { buildTextApplication } from './text-application';
import { VirtualCardVariant, VisualPinBFormat, type ResolvedVirtualCardOptions } from './virtual-card-options';
import { PinFormats, VirtualCardPin, VirtualCardPinId, type VirtualCardPinSpec } from './virtual-card-pin';
import { buildVisualApplication } from './visual-application';

/** Retry limits and formats (facts/jpki.md §3; glossary). The A/B counters of 3 come from emulator data (UNSURE). */
export function pinSpecs(visualPinBFormat: VisualPinBFormat): Readonly<Record<VirtualCardPinId, VirtualCardPinSpec>> {
	const collationB = visualPinBFormat === VisualPinBFormat.yyyymmdd ? PinFormats.collationB16 : PinFormats.collationB14;
	return {
		auth: { maxTries: 3, format: PinFormats.fourDigits, changeable: true },
		sign: { maxTries: 5, format: PinFormats.signPassword, changeable: true },
		text: { maxTries: 3, format: PinFormats.fourDigits, changeable: true },
		'text-a': { maxTries: 3, format: PinFormats.myNumber, changeable: false },
		'text-b': { maxTries: 3, format: collationB, changeable: false },
		'visual-a': { maxTries: 3, format: PinFormats.myNumber, changeable: false },
		'visual-b': { maxTries: 3, format: collationB, changeable: false },
		juki: { maxTries: 3, format: PinFormats.fourDigits, changeable: true }
	};
}

export interface VirtualCardContents {
	readonly applications: readonly CardApplication[];
	readonly pins: ReadonlyMap<VirtualCardPinId, VirtualCardPin>;
}

/**
 * The applications a variant carries: a My Number Card (adult or child) has JPKI-AP, the text AP, the visual AP and
 * a minimal 住基AP (PIN only); a 住基カード or a phone token answers only the JPKI-AP here.
 */
export function buildVirtualCardContents(options: ResolvedVirtualCardOptions): VirtualCardContents {
	const specs = pinSpecs(options.visualPinBFormat);
	const pins = new Map<VirtualCardPinId, VirtualCardPin>();
	for (const id of Object.values(VirtualCardPinId)) {
		const spec = specs[id];
		pins.set(id, new VirtualCardPin(id, spec, asciiBytes(options.pins[id]), options.triesLeft[id] ?? spec.maxTries));
	}
	const applications: CardApplication[] = [buildJpkiApplication(options)];
	if (options.variant === VirtualCardVariant.myna || options.variant === VirtualCardVariant.child) {
		applications.push(
			buildTextApplication(options.persona),
			buildVisualApplication(options.persona),
			cardApplication('juki', [{ type: 'pin', fid: JukiApFile.pin, pin: VirtualCardPinId.juki }])
		);
	}
	return { applications, pins };
}
