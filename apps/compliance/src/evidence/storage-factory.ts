// Picks the evidence storage from configuration: S3-compatible when a bucket is
// set, else the local folder (EVIDENCE_STORAGE_DIR).
import type { ComplianceTuning } from '@packets/config';
import { LocalEvidenceStorage, type EvidenceStorage } from './evidence.storage';
import { S3EvidenceStorage } from './s3.storage';

export function createEvidenceStorage(settings: ComplianceTuning): EvidenceStorage {
  return settings.evidenceS3 ? S3EvidenceStorage.fromConfig(settings.evidenceS3) : new LocalEvidenceStorage(settings.evidenceStorageDir);
}
