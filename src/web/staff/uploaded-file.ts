/** A file from a staff form (`multipart/form-data`), as it appears in `request.body`. */
export interface UploadedFile {
  filename: string;
  mediaType: string;
  bytes: Buffer;
}
