import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../bytes';
import { ErrorKind } from '../../errors';
import { buildPpsRequest, checkPpsResponse } from './pps';

describe('PPS', () => {
	it('builds FF PPS0 [PPS1] PCK', () => {
		expect(toHex(buildPpsRequest(1, 0x13))).toBe('ff1113fd');
		expect(toHex(buildPpsRequest(1))).toBe('ff01fe');
		expect(toHex(buildPpsRequest(0, 0x96))).toBe('ff109679');
	});

	it('accepts an echo, or a response without PPS1 (default Fi/Di)', () => {
		expect(checkPpsResponse(fromHex('ff1113fd'), fromHex('ff1113fd'))).toEqual({ fiDi: 0x13 });
		expect(checkPpsResponse(fromHex('ff1113fd'), fromHex('ff01fe'))).toEqual({ fiDi: 0x11 });
	});

	it.each([
		['another protocol', 'ff00ff'],
		['another Fi/Di', 'ff1112fc'],
		['a bad PCK', 'ff1113fe'],
		['a wrong PPSS', 'fe1113fc'],
		['a length that does not match PPS0', 'ff1113'],
		['a parameter that was not requested', 'ff2101df'],
		['nothing', '']
	])('rejects %s', (_name, response) => {
		expect(() => checkPpsResponse(fromHex('ff1113fd'), fromHex(response))).toThrow(expect.objectContaining({ kind: ErrorKind.Protocol }));
	});
});
