import { VirtualPcscReader } from './virtual-pcsc-reader';

/**
 * The emulated PC/SC service (pcscd / the Windows smart card service) behind the emulated `navigator.smartCard`:
 * the readers plugged in, and one wake-up signal for any change (a reader added, unplugged, replugged, a card in
 * or out). `running = false` emulates the service being stopped (`no-service`).
 */
export class VirtualPcscService {
	#readers: VirtualPcscReader[] = [];
	#listeners = new Set<() => void>();
	#running = true;
	#pnpCount = 0;
	/** Bumped when the service stops: contexts established before are dead (`no-service`). */
	#generation = 0;
	/** The user's answer to the browser's permission prompt at `connect`. */
	permission: 'granted' | 'denied' = 'granted';

	get running(): boolean {
		return this.#running;
	}

	/** Stops or restarts the service; contexts established before a stop fail with `no-service`. */
	setRunning(running: boolean): void {
		if (!running && this.#running) this.#generation++;
		this.#running = running;
		this.#emit();
	}

	get generation(): number {
		return this.#generation;
	}

	/** The event count of the PnP pseudo-reader: how many times the reader list changed. */
	get pnpCount(): number {
		return this.#pnpCount;
	}

	/** Plugs in a new reader with a unique PC/SC name (a second one of the same name gets " 01", as pcsclite does). */
	addReader(name: string): VirtualPcscReader {
		let unique = name;
		for (let n = 1; this.#readers.some((r) => r.name === unique); n++) unique = `${name} ${String(n).padStart(2, '0')}`;
		const reader = new VirtualPcscReader(unique);
		this.#readers.push(reader);
		reader.onChange((change) => {
			if (change === 'unplugged' || change === 'replugged') this.#pnpCount++;
			this.#emit();
		});
		this.#pnpCount++;
		this.#emit();
		return reader;
	}

	/** The readers listReaders shows: the plugged ones, in order of arrival. */
	get readers(): readonly VirtualPcscReader[] {
		return this.#readers.filter((r) => r.plugged);
	}

	reader(name: string): VirtualPcscReader | undefined {
		return this.readers.find((r) => r.name === name);
	}

	onChange(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	#emit(): void {
		for (const listener of [...this.#listeners]) listener();
	}
}
