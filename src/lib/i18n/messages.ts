/** UI text. Japanese is the default; English mirrors every key (the type enforces it). */
export const ja = {
	'app.name': 'マイナンバーカード Web',
	'app.tagline': 'インストール不要。ブラウザーとカードリーダーだけで、マイナンバーカードの電子証明書を確認できます。',
	'lang.switch': 'English',
	'lang.label': '表示言語',
	'routes.title': 'このブラウザーで使える接続方法',
	'routes.intro': 'カードリーダーへの接続方法は、ブラウザーと起動のしかたで決まります。',
	'routes.yes': '使えます',
	'routes.no': '使えません',
	'routes.secureContext': '安全な接続（HTTPS または localhost）',
	'routes.webUsb': 'WebUSB（ソニー PaSoRi RC-S300／RC-S380、NTTコミュニケーションズ版 SCR3310 など）',
	'routes.usbUnrestricted': '一般的なICカードリーダー（CCID）への直接接続（Isolated Web App のみ）',
	'routes.smartCard': 'Web Smart Card API（Isolated Web App のみ）',
	'routes.webNfc': 'Web NFC（Android。カードがかざされたことの検知のみ）',
	'routes.isolatedContext': 'Isolated Web App として起動',
	'workers.title': 'アプリ内部の動作確認',
	'workers.card': 'カード通信ワーカー',
	'workers.pki': '証明書検証ワーカー',
	'workers.waiting': '確認中…',
	'workers.ready': '応答あり（バージョン {version}、{ms} ミリ秒）',
	'workers.failed': '応答がありません。ページを再読み込みしてください。'
} as const;

export type MessageKey = keyof typeof ja;

export const en: Record<MessageKey, string> = {
	'app.name': 'My Number Card Web',
	'app.tagline': 'Nothing to install. Check the certificates on your My Number Card with just a browser and a card reader.',
	'lang.switch': '日本語',
	'lang.label': 'Language',
	'routes.title': 'Ways to reach a card reader in this browser',
	'routes.intro': 'Which readers can be used depends on the browser and on how the app was opened.',
	'routes.yes': 'Available',
	'routes.no': 'Not available',
	'routes.secureContext': 'Secure context (HTTPS or localhost)',
	'routes.webUsb': 'WebUSB (Sony PaSoRi RC-S300 / RC-S380, NTT Communications SCR3310, …)',
	'routes.usbUnrestricted': 'Standard smart-card readers (CCID) directly (Isolated Web App only)',
	'routes.smartCard': 'Web Smart Card API (Isolated Web App only)',
	'routes.webNfc': 'Web NFC (Android; only notices that a card was tapped)',
	'routes.isolatedContext': 'Running as an Isolated Web App',
	'workers.title': 'Internal self-check',
	'workers.card': 'Card worker',
	'workers.pki': 'Certificate worker',
	'workers.waiting': 'Checking…',
	'workers.ready': 'Answered (version {version}, {ms} ms)',
	'workers.failed': 'No answer. Please reload the page.'
};
