import { Button, Spinner } from '@fluentui/react-components';
import { useState } from 'react';
import type { DownloadedFile } from '../api/portal-api';
import { saveFile } from './save-file';

export interface ExportButtonProps {
  /** Reads the file from the API. */
  download(): Promise<DownloadedFile>;
  /** The download failed (or undefined: a new one started). */
  onFailure(error: unknown): void;
  children?: string;
}

/** Export: downloads a CSV file from the API and saves it; a spinner while the file comes. */
export function ExportButton({ download, onFailure, children = 'Export' }: ExportButtonProps) {
  const [busy, setBusy] = useState(false);
  const run = () => {
    setBusy(true);
    onFailure(undefined);
    download().then(
      (file) => {
        setBusy(false);
        saveFile(file);
      },
      (error: unknown) => {
        setBusy(false);
        onFailure(error);
      },
    );
  };
  return (
    <Button onClick={run} disabled={busy} icon={busy ? <Spinner size="tiny" aria-label="Exporting" /> : undefined}>
      {children}
    </Button>
  );
}
