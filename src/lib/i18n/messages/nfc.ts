/** UI text: nfc. Japanese first; English mirrors every key (the type enforces it). */
export const ja = {
	'nfc.title': 'スマートフォンのNFCで確認する',
	'nfc.intro':
		'このブラウザーにはNFC（かざして読み取る機能）があります。ただし、ブラウザーのNFCで読めるのは簡単なタグだけで、マイナンバーカードの中身は読み取れません。カードをかざすと、この端末で使える方法をご案内します。',
	'nfc.start': 'NFCでカードを確認',
	'nfc.stop': '確認をやめる',
	'nfc.scanning': 'スマートフォンの背面（NFCの読み取り位置）にカードを近づけてください。',
	'nfc.tapped.title': 'カードがかざされました',
	'nfc.tapped.card':
		'カードがかざされたことは分かりましたが、このスマートフォンのブラウザーでは、NFCでマイナンバーカードを読み取れません。ブラウザーのNFC機能は簡単なタグ専用で、マイナンバーカードとはやり取りできないためです。',
	'nfc.tapped.tag': 'かざされたのはNFCタグで、マイナンバーカードではないようです。なお、このブラウザーでは、NFCでマイナンバーカードを読み取ることはできません。',
	'nfc.instead.title': '代わりに使える方法',
	'nfc.instead.usb':
		'USB接続のカードリーダー（例：ソニーのPaSoRi RC-S300）を、USB OTG対応の変換アダプターでスマートフォンにつなぎ、Chromeでこのページを開いてください。パソコンと同じように使えます（上の「カードリーダーを接続」から始めます）。',
	'nfc.instead.app': 'マイナポータルでの手続きなら、公式の「マイナポータル」アプリで、スマートフォンにカードをかざして使えます。',
	'nfc.error.not-allowed':
		'NFCの利用が許可されませんでした。もう一度「NFCでカードを確認」を押し、許可を求められたら「許可」を選んでください。許可を求められない場合は、ブラウザーのサイトの設定でNFCを「許可」に変えてください。',
	'nfc.error.not-supported': 'この端末では、ブラウザーからNFCを使えません。USB接続のカードリーダーをお使いください。',
	'nfc.error.not-readable': 'NFCを始められませんでした。スマートフォンの設定でNFCがオンになっているか確かめてから、もう一度お試しください。',
	'nfc.error.other': 'NFCを始められませんでした。ページを読み込み直してから、もう一度お試しください。'
} as const;

export const en: Record<keyof typeof ja, string> = {
	'nfc.title': 'Checking with this phone’s NFC',
	'nfc.intro':
		'This browser has NFC (tap to read), but browser NFC can only read simple tags, not what is on a My Number Card. Tap your card and the app will tell you which way of reading it works on this device.',
	'nfc.start': 'Check a card with NFC',
	'nfc.stop': 'Stop checking',
	'nfc.scanning': 'Hold your card against the back of the phone, where its NFC reader is.',
	'nfc.tapped.title': 'A card was tapped',
	'nfc.tapped.card':
		'The phone noticed your card, but this phone’s browser cannot read a My Number Card over NFC: browser NFC only works with simple tags and cannot talk to the card.',
	'nfc.tapped.tag': 'What you tapped looks like an NFC tag, not a My Number Card. Either way, this browser cannot read a My Number Card over NFC.',
	'nfc.instead.title': 'What works instead',
	'nfc.instead.usb':
		'Connect a USB card reader (for example a Sony PaSoRi RC-S300) to the phone with a USB OTG adapter and open this page in Chrome. It works as it does on a computer (start with “Connect a card reader” above).',
	'nfc.instead.app': 'For Mynaportal procedures, the official Mynaportal app reads the card when you tap it on the phone.',
	'nfc.error.not-allowed':
		'NFC was not allowed. Press “Check a card with NFC” again and choose “Allow” when asked. If you are not asked, allow NFC for this site in the browser’s site settings.',
	'nfc.error.not-supported': 'The browser cannot use NFC on this device. Please use a USB card reader.',
	'nfc.error.not-readable': 'NFC could not start. Check that NFC is turned on in the phone’s settings, then try again.',
	'nfc.error.other': 'NFC could not start. Reload the page and try again.'
};
