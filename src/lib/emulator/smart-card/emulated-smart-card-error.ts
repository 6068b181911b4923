/** `SmartCardError` as the API throws it: a DOMException named SmartCardError with a `responseCode`. */
export class EmulatedSmartCardError extends DOMException {
	readonly responseCode: string;

	constructor(responseCode: string, message = `PC/SC: ${responseCode}`) {
		super(message, 'SmartCardError');
		this.responseCode = responseCode;
	}
}

export const domException = (name: string, message: string): DOMException => new DOMException(message, name);
