import { Injectable } from '@nestjs/common';
import { fileTypeFromBuffer } from 'file-type';
import { createHash } from 'node:crypto';
import { ResourceNotFoundError } from '../../../common/not-found.error';
import type { RequestPrincipal } from '../../../common/request-principal';
import { type TenantTransaction, TenantTransactions } from '../../../database/tenant-transaction';
import { AuditService } from '../../audit/audit.service';
import type { DocumentDecisionRequest, DocumentUploadFields, DocumentView } from '../dto/document.dto';
import { assertVenueAccess, canAccessVenue } from '../venue-access';
import { DocumentTypeNotAllowedError, UnknownOwnerError } from '../venues.errors';
import { VerificationChecklist } from '../verifications/verification-checklist';
import { VerificationRepository } from '../verifications/verification.repository';
import { DocumentStorage } from './document-storage';
import { DocumentRepository, type DocumentRow } from './document.repository';

const ACCEPTED_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg']);

export interface UploadedFile {
  fileName: string | null;
  content: Buffer;
}

/** Venue documents: upload (type by magic bytes), metadata, content, per-document decisions. */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly documents: DocumentRepository,
    private readonly storage: DocumentStorage,
    private readonly verifications: VerificationRepository,
    private readonly checklist: VerificationChecklist,
    private readonly audit: AuditService,
  ) {}

  /** The declared content type is ignored: what the bytes are decides (an EXE named .pdf is refused). */
  async upload(principal: RequestPrincipal, venueId: string, fields: DocumentUploadFields, file: UploadedFile): Promise<{ document: DocumentView; created: boolean }> {
    assertVenueAccess(principal, venueId);
    const detected = await fileTypeFromBuffer(file.content);
    if (detected === undefined || !ACCEPTED_TYPES.has(detected.mime)) throw new DocumentTypeNotAllowedError(detected?.mime ?? 'not a recognised file type');
    const sha256 = createHash('sha256').update(file.content).digest();
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      if (fields.ownerId !== undefined) await this.assertOwnerOfVenue(tx, principal.tenantId, venueId, fields.ownerId);
      const { row, created } = await this.documents.insertOnce(tx, {
        tenantId: principal.tenantId,
        venueId,
        ownerId: fields.ownerId ?? null,
        kind: fields.kind,
        contentType: detected.mime,
        sizeBytes: file.content.length,
        sha256,
        fileName: file.fileName,
        uploadedBy: principal.userId,
      });
      if (created) {
        await this.storage.put(tx, principal.tenantId, row.id, file.content);
        await this.refreshVenueChecklist(tx, principal.tenantId, venueId);
        await this.audit.record(tx, {
          action: 'document.uploaded',
          resourceType: 'document',
          resourceId: row.id,
          after: { venueId, kind: row.kind, contentType: row.content_type, sizeBytes: row.size_bytes },
          subjectId: venueId,
          // A file name often carries a person's name ("passport-jane-doe.pdf").
          personal: { fileName: row.file_name },
        });
      }
      return { document: toDocumentView(row), created };
    });
  }

  get(principal: RequestPrincipal, id: string): Promise<DocumentView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => toDocumentView(await this.findAccessible(tx, principal, id)));
  }

  content(principal: RequestPrincipal, id: string): Promise<{ document: DocumentView; content: Buffer }> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const row = await this.findAccessible(tx, principal, id);
      const content = await this.storage.get(tx, principal.tenantId, id);
      if (content === undefined) throw new ResourceNotFoundError('document content', id);
      return { document: toDocumentView(row), content };
    });
  }

  listForVenue(principal: RequestPrincipal, venueId: string): Promise<DocumentView[]> {
    assertVenueAccess(principal, venueId);
    return this.transactions.withTenantTransaction(principal, async (tx) => (await this.documents.listForVenue(tx, principal.tenantId, venueId)).map(toDocumentView));
  }

  decide(principal: RequestPrincipal, id: string, request: DocumentDecisionRequest): Promise<DocumentView> {
    return this.transactions.withTenantTransaction(principal, async (tx) => {
      const before = await this.findAccessible(tx, principal, id, true);
      await this.documents.decide(tx, principal.tenantId, id, request.decision, request.reason ?? null, principal.userId);
      await this.refreshVenueChecklist(tx, principal.tenantId, before.venue_id);
      const after = (await this.documents.find(tx, principal.tenantId, id)) as DocumentRow;
      await this.audit.record(tx, {
        action: `document.${request.decision}`,
        resourceType: 'document',
        resourceId: id,
        before: { status: before.status },
        after: { status: after.status },
        subjectId: before.venue_id,
        // An officer's reason is free text about the venue's people ("ID of J. Doe expired").
        personal: { reason: after.decision_reason },
      });
      return toDocumentView(after);
    });
  }

  private async findAccessible(tx: TenantTransaction, principal: RequestPrincipal, id: string, forUpdate = false): Promise<DocumentRow> {
    const row = await this.documents.find(tx, principal.tenantId, id, forUpdate);
    if (row === undefined || !canAccessVenue(principal, row.venue_id)) throw new ResourceNotFoundError('document', id);
    return row;
  }

  private async assertOwnerOfVenue(tx: TenantTransaction, tenantId: string, venueId: string, ownerId: string): Promise<void> {
    if (!(await this.verifications.ownerBelongsToVenue(tx, tenantId, venueId, ownerId))) throw new UnknownOwnerError(ownerId);
  }

  /** A document changes the checklist (and the stored payout answer) of the venue's open verification. */
  private async refreshVenueChecklist(tx: TenantTransaction, tenantId: string, venueId: string): Promise<void> {
    for (const row of await this.verifications.listForVenue(tx, tenantId, venueId)) {
      if (row.state === 'pending' || row.state === 'in_review' || row.state === 'action_required') await this.checklist.refresh(tx, row);
    }
  }
}

export function toDocumentView(row: DocumentRow): DocumentView {
  return {
    id: row.id,
    venueId: row.venue_id,
    ownerId: row.owner_id,
    kind: row.kind,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256.toString('hex'),
    fileName: row.file_name,
    status: row.status,
    decisionReason: row.decision_reason,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at?.toISOString() ?? null,
    uploadedBy: row.uploaded_by,
    uploadedAt: row.uploaded_at.toISOString(),
  };
}
