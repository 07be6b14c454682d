/** Why a document could not be turned into text; `message` is shown on the document as is. */
export type ExtractionErrorCode =
  | 'not_text'
  | 'empty'
  | 'corrupt'
  | 'encrypted'
  | 'too_large'
  | 'too_many_pages'
  | 'timeout'
  | 'unsupported';

export class ExtractionError extends Error {
  readonly code: ExtractionErrorCode;
  constructor(code: ExtractionErrorCode, message: string) {
    super(message);
    this.name = 'ExtractionError';
    this.code = code;
  }
}
