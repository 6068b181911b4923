/**
 * RFC 5280 name constraints (§4.2.1.10, §6.1.3 (b)(c)) for directory names, rfc822 names (including emailAddress
 * attributes of the subject), DNS names, URIs and IP addresses. A name of a form this engine cannot compare is
 * refused when a constraint of that form applies to it.
 */
import type { GeneralName, NameConstraints } from './extensions';
import { attributeValues, nameWithin, type Name } from './name';
import { Oid } from './oids';

type FormKey = 'directory' | 'rfc822' | 'dns' | 'uri' | 'ip' | 'unsupported';

function formOf(name: GeneralName): FormKey {
	switch (name.type) {
		case 'directory':
		case 'rfc822':
		case 'dns':
		case 'uri':
		case 'ip':
			return name.type;
		default:
			return 'unsupported';
	}
}

function hostMatches(host: string, constraint: string): boolean {
	const h = host.toLowerCase();
	const c = constraint.toLowerCase();
	if (c.startsWith('.')) return h.endsWith(c);
	return h === c;
}

function dnsMatches(name: string, constraint: string): boolean {
	const n = name.toLowerCase().replace(/\.$/, '');
	const c = constraint.toLowerCase().replace(/\.$/, '');
	if (c === '') return true;
	if (c.startsWith('.')) return n.endsWith(c);
	return n === c || n.endsWith('.' + c);
}

function mailboxMatches(mailbox: string, constraint: string): boolean {
	const at = mailbox.lastIndexOf('@');
	if (at <= 0) return false;
	if (constraint.includes('@')) {
		const cAt = constraint.lastIndexOf('@');
		return mailbox.slice(0, at) === constraint.slice(0, cAt) && mailbox.slice(at + 1).toLowerCase() === constraint.slice(cAt + 1).toLowerCase();
	}
	return hostMatches(mailbox.slice(at + 1), constraint);
}

function uriHost(uri: string): string | undefined {
	const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/.exec(uri);
	return match && match[1] ? match[1] : undefined;
}

function ipMatches(address: Uint8Array, constraint: Uint8Array): boolean {
	if (constraint.length !== address.length * 2) return false;
	for (let i = 0; i < address.length; i++) {
		const mask = constraint[address.length + i]!;
		if ((address[i]! & mask) !== (constraint[i]! & mask)) return false;
	}
	return true;
}

/** Whether `name` lies within the subtree `base` (both of the same form). */
function within(name: GeneralName, base: GeneralName): boolean {
	if (name.type === 'directory' && base.type === 'directory') return nameWithin(name.name, base.name);
	if (name.type === 'rfc822' && base.type === 'rfc822') return mailboxMatches(name.value, base.value);
	if (name.type === 'dns' && base.type === 'dns') return dnsMatches(name.value, base.value);
	if (name.type === 'uri' && base.type === 'uri') {
		const host = uriHost(name.value);
		return host !== undefined && hostMatches(host, base.value);
	}
	if (name.type === 'ip' && base.type === 'ip') return ipMatches(name.value, base.value);
	return false;
}

/** The names of a certificate that constraints apply to: subject DN, its emailAddress values, and the SAN. */
export function constrainedNames(subject: Name, subjectAltNames: readonly GeneralName[] | undefined): GeneralName[] {
	const names: GeneralName[] = [];
	if (subject.rdns.length > 0) names.push({ type: 'directory', name: subject });
	for (const email of attributeValues(subject, Oid.emailAddress)) names.push({ type: 'rfc822', value: email });
	for (const name of subjectAltNames ?? []) names.push(name);
	return names;
}

/**
 * Checks `names` against the constraints of every CA above (outermost first). Returns a reason when a name is
 * outside a permitted set or inside an excluded subtree, undefined when all names pass.
 */
export function nameConstraintViolation(names: readonly GeneralName[], constraints: readonly NameConstraints[]): string | undefined {
	for (const constraint of constraints) {
		for (const name of names) {
			const form = formOf(name);
			const permitted = constraint.permitted.filter((base) => formOf(base) === form);
			const excluded = constraint.excluded.filter((base) => formOf(base) === form);
			if (form === 'unsupported') {
				if (permitted.length > 0 || excluded.length > 0) return `a ${name.type} name meets a constraint of a form this verifier cannot check`;
				continue;
			}
			if (permitted.length > 0 && !permitted.some((base) => within(name, base))) return `${form} name outside the permitted subtrees`;
			if (excluded.some((base) => within(name, base))) return `${form} name inside an excluded subtree`;
		}
	}
	return undefined;
}
