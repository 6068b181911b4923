/** The trust engine: certificates, the JPKI profile, chain validation with CRLs, the CRL index, CMS. Pure functions over DER. */
export { verifyChain, verifyChainWith, type ChainResult, type ChainStatus, type ChainProblem, type VerifyChainInput, type VerifyOptions, type PathCertificate, type Revocation, type RevocationProblem, type CrlUse } from './chain';
export { parseCertificate, derFromPem, type ParsedCertificate } from './certificate';
export { readCertificate, describeCertificate, type CertificateInfo } from './certificate-info';
export { certificateKind, readJpkiBasicInfo, validityInfo, renewalOpensAt, parseBirthDate, type CertificateKind, type JpkiBasicInfo, type ValidityInfo, type BirthDate, type SubstitutionFlags } from './jpki-profile';
export { describeRevocationReason, RevocationReason, type RevocationReasonInfo, type CertificatePurpose } from './revocation-reasons';
export { parseCrlHeader, type CrlHeader } from './crl';
export { CrlIndex, type RevokedEntry } from './crl-index';
export { prepareCrl, assertNewer, crlFreshness, compareCrlNumbers, type CrlMetadata, type CrlMark, type CrlFreshness, type ImportProgress, type ImportPhase, type PreparedCrl } from './crl-import';
export { inputCrlSource, type RevocationSource, type CrlCandidate, type CrlFacts, type CrlScope } from './revocation';
export { buildDetachedCms, verifyDetachedCms, digestInfo, type BuildCmsInput, type CardSignRequest, type CmsVerification, type VerifyCmsInput } from './cms';
export { jlisAnchorCertificates, JLIS_ANCHORS, type JlisAnchor } from './anchors';
