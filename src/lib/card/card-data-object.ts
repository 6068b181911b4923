import { readTlv, TagClass, type Tlv } from '../apdu';
import { ErrorKind, MynaError } from '../errors';

/** Where a field sits in a card data object: its private tag number, or its place among the children. */
export interface FieldPlace {
	readonly tagNumber: number;
	readonly position: number;
}

export const DataObjectLimit = { Children: 32 } as const;

function malformed(what: string, message: string): MynaError {
	return new MynaError(ErrorKind.Malformed, `${what}: ${message}`);
}

/**
 * The children of the constructed object at the start of `bytes` (a wrapper such as `FF 20`), walked with the strict
 * BER reader, at most `DataObjectLimit.Children` of them, then each field found by its private tag number. The tag
 * bytes are inferred from the sources, not confirmed (facts/jpki.md §5), so when none of the expected private tag
 * numbers occur, the fields are taken by their documented order instead, as myna and jpki-rs do. A mix of the two
 * (some tags found, some not) or a repeated tag is Malformed: better no answer than a field taken from the wrong place.
 */
export function locateFields<F extends string>(bytes: Uint8Array, layout: Readonly<Record<F, FieldPlace>>, what: string): Record<F, Tlv> {
	const wrapper = readTlv(bytes, 0);
	if (!wrapper.constructed) throw malformed(what, 'not a constructed object');
	const children: Tlv[] = [];
	for (let pos = wrapper.valueOffset; pos < wrapper.end; ) {
		if (children.length >= DataObjectLimit.Children) throw malformed(what, 'too many fields');
		const child = readTlv(bytes, pos, wrapper.end);
		children.push(child);
		pos = child.end;
	}
	const fields = Object.keys(layout) as F[];
	const byTag = new Map<number, Tlv>();
	for (const child of children) {
		if (child.tagClass !== TagClass.Private) continue;
		if (byTag.has(child.tagNumber)) throw malformed(what, 'a field occurs twice');
		byTag.set(child.tagNumber, child);
	}
	const found = fields.filter((field) => byTag.has(layout[field].tagNumber));
	const out = {} as Record<F, Tlv>;
	if (found.length === fields.length) {
		for (const field of fields) out[field] = byTag.get(layout[field].tagNumber)!;
		return out;
	}
	if (found.length > 0) throw malformed(what, 'some fields are missing');
	for (const field of fields) {
		const child = children[layout[field].position];
		if (!child) throw malformed(what, 'fewer fields than expected');
		out[field] = child;
	}
	return out;
}

export function fieldValue(bytes: Uint8Array, tlv: Tlv): Uint8Array {
	return bytes.subarray(tlv.valueOffset, tlv.end);
}
