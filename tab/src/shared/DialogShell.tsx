import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { FormEvent, ReactNode } from 'react';
import { ErrorBar } from './ErrorBar';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export interface DialogShellProps {
  open: boolean;
  /** The title, also the dialog's accessible name. */
  title: string;
  /** 'alert' for a confirmation (an alertdialog). */
  modalType?: 'modal' | 'alert';
  /** Escape, a click outside, or Cancel. */
  onDismiss(): void;
  /** The dialog is a form: Enter or the confirm button submits it. Without it, only `actions`. */
  onSubmit?(event: FormEvent): void;
  /** The dialog checks the form itself (no browser bubbles). */
  noValidate?: boolean;
  confirmLabel?: string;
  confirmDisabled?: boolean;
  /** The request is under way: a spinner says so, and both buttons wait. */
  busy?: boolean;
  busyLabel?: string;
  /** What went wrong, above the content. */
  error?: unknown;
  /** Other buttons instead of confirm and Cancel (Done after a result, a sync's Preview and Sync). */
  actions?: ReactNode;
  /** False: the content is not laid out as a column. */
  stacked?: boolean;
  surfaceClassName?: string;
  /** The dialog has closed and left the page (its closing motion is over): focus can move. */
  onClosed?(): void;
  children: ReactNode;
}

/**
 * The portal's dialog: title, the error of the last attempt, the content,
 * a spinner while busy, and the confirm and Cancel buttons (Cancel, Escape
 * and a click outside all go to onDismiss). Fluent moves the focus into the
 * dialog when it opens and back to the button that opened it when it closes.
 */
export function DialogShell({
  open,
  title,
  modalType = 'modal',
  onDismiss,
  onSubmit,
  noValidate,
  confirmLabel,
  confirmDisabled,
  busy = false,
  busyLabel,
  error,
  actions,
  stacked = true,
  surfaceClassName,
  onClosed,
  children,
}: DialogShellProps) {
  const styles = useStyles();
  const body = (
    <DialogBody>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent className={stacked ? styles.content : undefined}>
        {error !== undefined && <ErrorBar error={error} />}
        {children}
        {busy && busyLabel && <Spinner size="tiny" label={busyLabel} />}
      </DialogContent>
      <DialogActions>
        {actions ?? (
          <>
            <Button appearance="primary" type="submit" disabled={busy || confirmDisabled}>
              {confirmLabel}
            </Button>
            <Button disabled={busy} onClick={onDismiss}>
              Cancel
            </Button>
          </>
        )}
      </DialogActions>
    </DialogBody>
  );
  return (
    <Dialog
      open={open}
      modalType={modalType}
      onOpenChange={(_, data) => !data.open && onDismiss()}
      surfaceMotion={onClosed ? { onMotionFinish: (_, data) => data.direction === 'exit' && onClosed() } : undefined}
    >
      <DialogSurface className={surfaceClassName} aria-label={title}>
        {onSubmit ? (
          <form onSubmit={onSubmit} noValidate={noValidate}>
            {body}
          </form>
        ) : (
          body
        )}
      </DialogSurface>
    </Dialog>
  );
}
