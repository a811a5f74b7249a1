import type { FastifyRequest } from 'fastify';
import '@fastify/multipart';
import { DomainError } from '../../../common/domain-error';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../../../common/storable-text';
import { ZodValidationPipe } from '../../../common/zod-validation.pipe';
import { type DocumentUploadFields, documentUploadFieldsSchema } from '../dto/document.dto';
import { DocumentTooLargeError, InvalidUploadError } from '../venues.errors';
import type { UploadedFile } from './documents.service';

const fieldsPipe = new ZodValidationPipe(documentUploadFieldsSchema);

/**
 * Reads a multipart upload: its form fields (validated like any DTO: unknown fields refused) and
 * exactly one file, buffered up to `maxBytes` (@fastify/multipart stops reading past its limit).
 */
export async function readDocumentUpload(request: FastifyRequest, maxBytes: number): Promise<{ fields: DocumentUploadFields; file: UploadedFile }> {
  if (!request.isMultipart()) throw new InvalidUploadError('Send the document as multipart/form-data with the fields "kind" (and "ownerId") and one "file"');
  const fields: Record<string, string> = {};
  let file: UploadedFile | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 1, fields: 5 } })) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname !== 'file') throw new InvalidUploadError(`The file must be sent in the field "file", not "${part.fieldname}"`);
      file = { fileName: fileNameOf(part.filename), content: await part.toBuffer() };
    }
  } catch (error) {
    throw translateMultipartError(error, maxBytes);
  }
  if (file === undefined || file.content.length === 0) throw new InvalidUploadError('The upload has no file (or an empty one) in the field "file"');
  return { fields: fieldsPipe.transform(fields), file };
}

/** At most 255 characters, cut between code points (half a surrogate pair is not storable text). */
function fileNameOf(sent: string): string | null {
  if (sent === '') return null;
  const name = Array.from(sent).slice(0, 255).join('');
  if (!isStorableText(name)) throw new InvalidUploadError(`The file name ${UNSTORABLE_TEXT_MESSAGE}`);
  return name;
}

/**
 * @fastify/multipart's errors carry a code and a status; give them ours. Its parser (busboy)
 * throws plain errors for bytes that are not multipart ("Multipart: Boundary not found", "Unexpected
 * end of multipart data"): whatever else fails while reading the parts is the body's fault too.
 */
function translateMultipartError(error: unknown, maxBytes: number): unknown {
  if (error instanceof DomainError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new DocumentTooLargeError(maxBytes);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') return new InvalidUploadError('Send one file and at most the fields "kind" and "ownerId"');
  return new InvalidUploadError('The multipart body is malformed');
}
