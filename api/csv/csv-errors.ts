import { AppError } from '../errors';

/** A file that cannot be read as the CSV asked for: a 400 that says what is wrong and where, before anything is written. */
export class CsvFileError extends AppError {
  constructor(code: string, message: string, line?: number) {
    super(400, code, message, line === undefined ? undefined : { line });
  }
}
