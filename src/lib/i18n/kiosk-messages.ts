/**
 * The kiosk's message tables (the kiosk page and its operator side), registered when the kiosk route loads: the
 * resident's pages never download them. Import this module for its effect before anything on the kiosk renders.
 */
import { registerMessages } from './index';
import * as kiosk from './messages/kiosk';
import * as kioskOperator from './messages/kiosk-operator';

registerMessages({ ja: { ...kiosk.ja, ...kioskOperator.ja }, en: { ...kiosk.en, ...kioskOperator.en } });
