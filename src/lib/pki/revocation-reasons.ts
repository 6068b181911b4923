/**
 * RFC 5280 CRLReason codes in the words residents meet (J-LIS usage per pki.md §2, glossary.md), in Japanese and
 * English, with what to do next. certificateHold is shown as revoked: J-LIS never releases a hold.
 */
export const RevocationReason = {
	unspecified: 0,
	keyCompromise: 1,
	cACompromise: 2,
	affiliationChanged: 3,
	superseded: 4,
	cessationOfOperation: 5,
	certificateHold: 6,
	removeFromCRL: 8,
	privilegeWithdrawn: 9,
	aACompromise: 10
} as const;

export type RevocationReasonName = keyof typeof RevocationReason | 'notGiven';

/** Which certificate a message talks about. */
export type CertificatePurpose = 'sign' | 'auth' | 'other';

export interface RevocationReasonInfo {
	/** The CRLReason code, or null when the CRL entry gives none. */
	readonly code: number | null;
	readonly name: RevocationReasonName;
	readonly ja: string;
	readonly en: string;
	readonly nextStepJa: string;
	readonly nextStepEn: string;
}

const CERT_WORDS = {
	sign: { ja: '署名用電子証明書', en: 'signing certificate' },
	auth: { ja: '利用者証明用電子証明書', en: 'user authentication certificate' },
	other: { ja: '電子証明書', en: 'certificate' }
} as const;

const NEW_CERT = {
	ja: 'お住まいの市区町村の窓口で、新しい電子証明書の発行を受けてください。',
	en: 'Get a new certificate at your municipal office.'
} as const;

const ASK = {
	ja: '心当たりがない場合は、マイナンバー総合フリーダイヤル（0120-95-0178）にお問い合わせください。',
	en: 'If you did not expect this, call the My Number general toll-free line (0120-95-0178).'
} as const;

type Words = (typeof CERT_WORDS)[CertificatePurpose];

const TEXT: Readonly<Record<RevocationReasonName, (c: Words, purpose: CertificatePurpose) => { ja: string; en: string; nextJa: string; nextEn: string }>> = {
	unspecified: (c) => ({ ja: `${c.ja}は失効しています（理由の指定なし）`, en: `The ${c.en} has been revoked (no specific reason given)`, nextJa: NEW_CERT.ja, nextEn: NEW_CERT.en }),
	keyCompromise: (c) => ({
		ja: `カードの紛失や秘密鍵の漏えいのおそれにより、${c.ja}が失効しました`,
		en: `The ${c.en} was revoked because its key may have been exposed, for example after the card was lost`,
		nextJa: NEW_CERT.ja + ASK.ja,
		nextEn: `${NEW_CERT.en} ${ASK.en}`
	}),
	cACompromise: (c) => ({
		ja: `認証局の鍵の安全性が損なわれたため、${c.ja}が失効しました`,
		en: `The ${c.en} was revoked because the certification authority's key was compromised`,
		nextJa: NEW_CERT.ja,
		nextEn: NEW_CERT.en
	}),
	affiliationChanged: (c, purpose) =>
		purpose === 'auth'
			? { ja: `記載内容の変更により、${c.ja}が失効しました`, en: `The ${c.en} was revoked because its contents changed`, nextJa: NEW_CERT.ja, nextEn: NEW_CERT.en }
			: {
					ja: `住所・氏名などの変更により、${c.ja}が失効しました`,
					en: `The ${c.en} was revoked because your name or address changed`,
					nextJa: 'お住まいの市区町村の窓口で、新しい署名用電子証明書の発行を受けてください。',
					nextEn: 'Get a new signing certificate at your municipal office.'
				},
	superseded: (c) => ({
		ja: `更新（新しい電子証明書の発行）により、${c.ja}が失効しました`,
		en: `The ${c.en} was revoked because a newer certificate replaced it (renewal)`,
		nextJa: '新しい電子証明書をお使いください。',
		nextEn: 'Use the new certificate on your card.'
	}),
	cessationOfOperation: (c) => ({
		ja: `本人の申請などにより利用が終了したため、${c.ja}が失効しました`,
		en: `The ${c.en} was revoked because it is no longer in use (for example, at your request)`,
		nextJa: NEW_CERT.ja,
		nextEn: NEW_CERT.en
	}),
	certificateHold: (c) => ({
		ja: `${c.ja}は一時停止されています。一時停止は解除されないため、失効として扱います`,
		en: `The ${c.en} is on hold; J-LIS never releases a hold, so it is treated as revoked`,
		nextJa: NEW_CERT.ja + ASK.ja,
		nextEn: `${NEW_CERT.en} ${ASK.en}`
	}),
	removeFromCRL: (c) => ({ ja: `${c.ja}の失効情報が不正です`, en: `The revocation data for the ${c.en} is not valid`, nextJa: '', nextEn: '' }),
	privilegeWithdrawn: (c) => ({
		ja: `利用資格の取消しにより、${c.ja}が失効しました`,
		en: `The ${c.en} was revoked because the right to use it was withdrawn`,
		nextJa: NEW_CERT.ja,
		nextEn: NEW_CERT.en
	}),
	aACompromise: (c) => ({
		ja: `属性認証局の鍵の安全性が損なわれたため、${c.ja}が失効しました`,
		en: `The ${c.en} was revoked because an attribute authority was compromised`,
		nextJa: NEW_CERT.ja,
		nextEn: NEW_CERT.en
	}),
	notGiven: (c) => ({ ja: `${c.ja}は失効しています（理由の記載なし）`, en: `The ${c.en} has been revoked (the list gives no reason)`, nextJa: NEW_CERT.ja, nextEn: NEW_CERT.en })
};

export function reasonName(code: number | undefined): RevocationReasonName {
	if (code === undefined) return 'notGiven';
	const entry = Object.entries(RevocationReason).find(([, value]) => value === code);
	return (entry?.[0] as RevocationReasonName | undefined) ?? 'unspecified';
}

export function describeRevocationReason(code: number | undefined, purpose: CertificatePurpose = 'other'): RevocationReasonInfo {
	const name = reasonName(code);
	const text = TEXT[name](CERT_WORDS[purpose], purpose);
	return { code: code ?? null, name, ja: text.ja, en: text.en, nextStepJa: text.nextJa, nextStepEn: text.nextEn };
}
