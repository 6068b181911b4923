import type { Page } from '@playwright/test';
import { expectNoPersonalText, KIOSK_TEXT_PIN as TEXT_PIN, kioskScreen as screen } from './fixtures/kiosk';
import { expect, test, type LabHandle } from './fixtures/lab';

/**
 * The kiosk fault matrix (issue 9): for each route a kiosk uses (a CCID reader over WebUSB with usb-unrestricted, and
 * a PC/SC reader through the Web Smart Card API) and every kiosk flow, the command APDUs of a clean run are counted;
 * then, for every one of those steps and both faults (card taken away, reader unplugged), the fault is injected at
 * exactly that command. Each time the kiosk must show a clear message, keep nothing personal in the DOM, and be ready
 * again after the card is put back (or the reader plugged back in) — without a reload.
 */
// One worker, in order, so that the total below covers every flow.
test.describe.configure({ mode: 'serial', timeout: 300_000 });

const FLOWS = ['certificate', 'pin-status', 'basic-info'] as const;
type Flow = (typeof FLOWS)[number];
const ACTIONS = ['remove-card', 'unplug'] as const;
/** What each fault may be reported as. */
const EXPECTED_KIND = { 'remove-card': 'card-removed', unplug: 'reader-unplugged' } as const;

async function step(page: Page): Promise<string> {
	return (await screen(page).getAttribute('data-step')) ?? '';
}

/** Runs one flow from the choice screen until it ends (result, or an error screen). */
async function runFlow(page: Page, flow: Flow): Promise<string> {
	await page.getByTestId(`kiosk-flow-${flow}`).click();
	await expect(screen(page)).toHaveAttribute('data-step', /^(pin|result|error|insert-card)$/, { timeout: 15_000 });
	if (flow === 'basic-info' && (await step(page)) === 'pin') {
		for (const digit of TEXT_PIN) await page.getByTestId(`pin-key-${digit}`).click();
		await page.getByTestId('kiosk-pin-submit').click();
		await expect(screen(page)).toHaveAttribute('data-step', /^(result|error|insert-card)$/, { timeout: 15_000 });
	}
	return step(page);
}

const ROUTES = [
	{ name: 'CCID reader over WebUSB', smartCard: false, add: (lab: LabHandle) => lab.addReader('acr39u', { granted: true }) },
	{ name: 'Web Smart Card API', smartCard: true, add: (lab: LabHandle) => lab.addSmartCardReader('SCM Microsystems SCR3310 00 00') }
] as const;

let injected = 0;
test.afterAll(() => console.log(`fault matrix: ${injected} injected faults`));

for (const route of ROUTES) {
	test.describe(route.name, () => {
		test.use({ isolated: true, smartCard: route.smartCard, serviceWorkers: 'block' });
		for (const flow of FLOWS) faultMatrix(route.name, route.add, flow);
	});
}

function faultMatrix(routeName: string, addReader: (lab: LabHandle) => Promise<string>, flow: Flow) {
	test(`fault matrix, ${flow}: card removal and reader unplug at every command`, async ({ page, lab }) => {
		await page.goto('/kiosk');
		const readerId = await addReader(lab);
		const cardId = await lab.insertCard(readerId);
		await expect(screen(page)).toHaveAttribute('data-step', 'choose', { timeout: 20_000 });

		await lab.resetCommandCount(readerId);
		expect(await runFlow(page, flow)).toBe('result');
		const commands = await lab.commandCount(readerId);
		expect(commands).toBeGreaterThan(1);
		await page.getByTestId('kiosk-finish').click();
		await lab.removeCard(readerId);
		await expect(screen(page)).toHaveAttribute('data-step', 'insert-card');
		await lab.reinsertCard(readerId, cardId);
		await expect(screen(page)).toHaveAttribute('data-step', 'choose', { timeout: 20_000 });

		console.log(`fault matrix: ${routeName}, ${flow} sends ${commands} command APDUs on a clean run`);
		for (let n = 1; n <= commands; n++) {
			for (const action of ACTIONS) {
				const where = `${routeName}, ${flow}, command ${n}/${commands}, ${action}`;
				await lab.armFault(readerId, { atCommand: n, action });
				injected++;
				const ended = await runFlow(page, flow);
				expect(ended, where).toBe('error');
				const error = page.getByTestId('kiosk-error');
				await expect(error, where).toHaveAttribute('data-error-kind', EXPECTED_KIND[action]);
				expect((await error.innerText()).length, where).toBeGreaterThan(20);
				await expectNoPersonalText(page);
				await recover(page, lab, readerId, cardId, action);
				await expect(screen(page), where).toHaveAttribute('data-step', 'choose', { timeout: 20_000 });
			}
		}
	});
}

async function recover(page: Page, lab: LabHandle, readerId: string, cardId: string, action: (typeof ACTIONS)[number]) {
	if (action === 'unplug') await lab.replug(readerId);
	else await lab.reinsertCard(readerId, cardId);
}
