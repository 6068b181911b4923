import { describe, expect, it } from 'vitest';
import { buildPlaceholderJp2, Jp2Magic } from './jp2-placeholder';
import { TestPki } from './test-pki';

interface Box {
	type: string;
	content: Uint8Array;
}

function boxes(bytes: Uint8Array): Box[] {
	const out: Box[] = [];
	let offset = 0;
	while (offset < bytes.length) {
		const view = new DataView(bytes.buffer, bytes.byteOffset + offset);
		const length = view.getUint32(0);
		expect(length).toBeGreaterThanOrEqual(8);
		expect(offset + length).toBeLessThanOrEqual(bytes.length);
		out.push({ type: new TextDecoder().decode(bytes.subarray(offset + 4, offset + 8)), content: bytes.subarray(offset + 8, offset + length) });
		offset += length;
	}
	return out;
}

describe('buildPlaceholderJp2', () => {
	it('lays out jP / ftyp / jp2h (ihdr, colr) / jp2c with a J2K codestream SOC SIZ … EOC', () => {
		const jp2 = buildPlaceholderJp2({ width: 96, height: 120, components: 3 });
		expect(jp2.subarray(0, 12)).toEqual(Jp2Magic.signatureBox);
		const top = boxes(jp2);
		expect(top.map((b) => b.type)).toEqual(['jP  ', 'ftyp', 'jp2h', 'jp2c']);
		expect(new TextDecoder().decode(top[1]!.content.subarray(0, 4))).toBe('jp2 ');
		const header = boxes(top[2]!.content);
		expect(header.map((b) => b.type)).toEqual(['ihdr', 'colr']);
		const ihdr = new DataView(header[0]!.content.buffer, header[0]!.content.byteOffset);
		expect([ihdr.getUint32(0), ihdr.getUint32(4), ihdr.getUint16(8)]).toEqual([120, 96, 3]);
		expect(new DataView(header[1]!.content.buffer, header[1]!.content.byteOffset).getUint32(3)).toBe(16); // sRGB
		const codestream = top[3]!.content;
		expect(codestream.subarray(0, 4)).toEqual(Jp2Magic.codestreamStart);
		expect([...codestream.subarray(-2)]).toEqual([0xff, 0xd9]);
	});

	it('pads with a COM segment up to the minimum size, greyscale for 1 component', () => {
		const jp2 = buildPlaceholderJp2({ width: 8, height: 8, components: 1, comment: 'test', minimumSize: 1000 });
		expect(jp2.length).toBe(1000);
		const header = boxes(boxes(jp2)[2]!.content);
		expect(new DataView(header[1]!.content.buffer, header[1]!.content.byteOffset).getUint32(3)).toBe(17);
		expect(() => buildPlaceholderJp2({ width: 0, height: 1, components: 1 })).toThrow(RangeError);
	});

	it('the fixture images are exactly what the builder makes', () => {
		const images = TestPki.images();
		expect(images.photo).toEqual(
			buildPlaceholderJp2({ width: 96, height: 120, components: 3, comment: 'JPKI TEST placeholder face photo - not a real person', minimumSize: 3000 })
		);
		for (const image of [images.nameImage, images.addressImage]) expect(boxes(image).map((b) => b.type)).toEqual(['jP  ', 'ftyp', 'jp2h', 'jp2c']);
	});
});
