import { MynaCard } from '../../src/lib/card';
import { CountingChannel, derSequenceOfLength, emulatedChannel, FileCard } from '../../src/lib/card/card-test-channels';
import { createVirtualCard, TestPki } from '../../src/lib/emulator/card';
import { median, round, type BenchModule, type Figure } from './figure';

const RUNS = 15;
const READ_BINARY = 0xb0;
const message = new TextEncoder().encode('card bench');

/** Channel profiles: what the reader carries and what the (emulated) card accepts. */
const PROFILES = {
	short: { channel: false, card: false, note: 'short-only channel (maxResponseData 256)' },
	extended: { channel: true, card: true, note: 'extended-capable channel and card (maxResponseData 65536)' },
	mixed: {
		channel: true,
		card: false,
		note: 'extended-capable channel, card without extended length (first read probes, then 256-byte reads)'
	}
} as const;
type Profile = keyof typeof PROFILES;

interface FlowMeasure {
	apdus: number;
	readBinary: number;
	bytes: number;
	ms: number;
	size?: number;
}

const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', message));

/** Each flow on a fresh card and a fresh MynaCard: what a user's first use of that feature costs. */
const FLOWS = {
	'auth-cert-read': async (myna: MynaCard) => (await myna.readCertificate('auth')).der.length,
	'sign-cert-read': async (myna: MynaCard) => (await myna.readCertificate('sign', { pin: 'ABC123' })).der.length,
	'basic-info-read': async (myna: MynaCard) => {
		await myna.readBasicInfo('1234');
		return undefined;
	},
	sign: async (myna: MynaCard) => {
		await myna.sign('sign', digest, 'SHA-256', { pin: 'ABC123' });
		return undefined;
	}
} as const satisfies Record<string, (myna: MynaCard) => Promise<number | undefined>>;
type Flow = keyof typeof FLOWS;

async function measure(flow: Flow, profile: Profile): Promise<FlowMeasure> {
	const { channel: channelExtended, card: cardExtended } = PROFILES[profile];
	const times: number[] = [];
	let last: FlowMeasure | undefined;
	for (let run = 0; run < RUNS; run++) {
		const card = createVirtualCard({ extendedLength: cardExtended });
		const channel = new CountingChannel(emulatedChannel(card, { extendedLength: channelExtended }));
		const myna = new MynaCard(channel);
		const started = performance.now();
		const size = await FLOWS[flow](myna);
		times.push(performance.now() - started);
		last = { apdus: channel.apdus, readBinary: channel.count(READ_BINARY), bytes: channel.bytesSent + channel.bytesReceived, ms: 0, size };
	}
	return { ...last!, ms: median(times) };
}

/** READ BINARY count for a stand-in certificate of exactly `size` bytes. */
async function certificateReads(size: number, profile: Profile): Promise<number> {
	const { channel: channelExtended, card: cardExtended } = PROFILES[profile];
	const card = new FileCard(new Map([[0x000a, derSequenceOfLength(size)]]), { extendedLength: cardExtended });
	const channel = new CountingChannel(emulatedChannel(card, { extendedLength: channelExtended }));
	await new MynaCard(channel).readCertificate('auth');
	return channel.count(READ_BINARY);
}

function readBudget(size: number, profile: Profile): number {
	return profile === 'extended' ? 2 : Math.ceil(size / 256) + 1;
}

/** APDUs, bytes on the wire and time per card-layer flow against the emulated card, short vs extended length. */
const bench: BenchModule = {
	title: 'card layer (MynaCard against the emulated card)',
	async run(): Promise<Figure[]> {
		const figures: Figure[] = [];
		for (const flow of Object.keys(FLOWS) as Flow[]) {
			const results = {} as Record<Profile, FlowMeasure>;
			for (const profile of Object.keys(PROFILES) as Profile[]) results[profile] = await measure(flow, profile);
			for (const profile of Object.keys(PROFILES) as Profile[]) {
				const m = results[profile];
				const base = profile === 'short' ? undefined : results.short;
				const baseline = (name: string, value: number, unit: string) => (base ? { baseline: { name, value, unit } } : {});
				const note = PROFILES[profile].note;
				figures.push({
					name: `card-${flow}-apdus-${profile}`,
					value: m.apdus,
					unit: 'APDUs',
					...baseline(`card-${flow}-apdus-short`, base?.apdus ?? 0, 'APDUs'),
					note
				});
				figures.push({
					name: `card-${flow}-bytes-${profile}`,
					value: m.bytes,
					unit: 'B',
					...baseline(`card-${flow}-bytes-short`, base?.bytes ?? 0, 'B'),
					note: `${note}; sent + received, SW included`
				});
				figures.push({
					name: `card-${flow}-ms-${profile}`,
					value: round(m.ms, 2),
					unit: 'ms',
					...baseline(`card-${flow}-ms-short`, round(base?.ms ?? 0, 2), 'ms'),
					note: `median of ${RUNS}, fresh emulated card each run (includes PIN VERIFY where the flow needs it)`
				});
				if (m.size !== undefined) {
					figures.push({
						name: `card-${flow}-read-binary-${profile}`,
						value: m.readBinary,
						unit: 'APDUs',
						baseline: { name: 'ceil(size/256) (256-byte reads, no header read)', value: Math.ceil(m.size / 256), unit: 'APDUs' },
						budget: { max: readBudget(m.size, profile) },
						note: `${m.size}-byte certificate; budget ${profile === 'extended' ? '≤ 2 (header + body)' : '≤ ceil(size/256) + 1'}`
					});
				}
			}
		}
		for (const profile of Object.keys(PROFILES) as Profile[]) {
			const size = 2048;
			figures.push({
				name: `card-2kb-cert-read-binary-${profile}`,
				value: await certificateReads(size, profile),
				unit: 'APDUs',
				baseline: { name: 'ceil(size/256)', value: Math.ceil(size / 256), unit: 'APDUs' },
				budget: { max: readBudget(size, profile) },
				note: `stand-in 2048-byte DER object; ${PROFILES[profile].note}`
			});
		}
		figures.push({
			name: 'card-test-certificate-sizes',
			value: TestPki.certificateSet('hanako', 'valid')!.auth.certificate.length,
			unit: 'B',
			baseline: { name: 'sign certificate', value: TestPki.certificateSet('hanako', 'valid')!.sign!.certificate.length, unit: 'B' },
			note: 'auth certificate of the emulated card (for reading the figures above)'
		});
		return figures;
	}
};

export default bench;
