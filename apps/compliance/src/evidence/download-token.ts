// Evidence download links, valid for EVIDENCE_LINK_TTL_SECONDS: the evidenceLink token
// of @packets/context (compliance signs it with its service key; the gateway checks it
// before forwarding, this subgraph again before serving), under the names this feature uses.
import { evidenceLink } from '@packets/context';

export {
  signEvidenceLink as signDownloadToken, verifyEvidenceLink as verifyDownloadToken, type EvidenceLinkClaims as DownloadClaims,
} from '@packets/context';

/** where the gateway serves a link: GET <path>?token= */
export const evidenceLinkPath = evidenceLink.path;
