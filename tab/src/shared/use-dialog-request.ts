import { useEffect, useRef, useState } from 'react';

export interface DialogRequestOptions<C> {
  open: boolean;
  onCancel(): void;
  /** Each opening, after the request's own state is cleared: the dialog sets its fields back. */
  onOpen?(): void;
  /** Sees a failure first; true when it handled it (a co-management refusal), so the dialog shows nothing. */
  report?(error: unknown): boolean;
  /** Reads what the dialog offers to pick from, each time it opens (and on Try again). */
  loadChoices?(): Promise<C>;
}

/**
 * What the dialogs that send one request share, so each does it the same
 * way: every opening is a new session, and an answer to an earlier one (the
 * dialog was cancelled or opened again meanwhile) is ignored; a failure is
 * shown in the dialog unless `report` takes it; Cancel is refused while the
 * request is under way.
 */
export function useDialogRequest<C = never>({ open, onCancel, onOpen, report, loadChoices }: DialogRequestOptions<C>) {
  const session = useRef(0);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [choices, setChoices] = useState<C>();
  const [choicesFailure, setChoicesFailure] = useState<unknown>();

  /** Reads the choices again; a failure is shown with Try again. */
  const reloadChoices = () => {
    if (!loadChoices) return;
    const mine = session.current;
    setChoices(undefined);
    setChoicesFailure(undefined);
    loadChoices().then(
      (answer) => mine === session.current && setChoices(answer),
      (error: unknown) => mine === session.current && !report?.(error) && setChoicesFailure(error),
    );
  };

  useEffect(() => {
    if (!open) return;
    session.current += 1;
    setFailure(undefined);
    setSending(false);
    onOpen?.();
    reloadChoices();
    // Only a new opening starts a session (the callbacks may change identity).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  /**
   * Sends the dialog's request; its answer goes to onAnswer unless this session is over.
   * A failure goes to onFailure when given (it decides where to show it), else above the form.
   */
  const send = async <T>(request: () => Promise<T>, onAnswer: (answer: T) => void, onFailure = setFailure) => {
    const mine = session.current;
    setFailure(undefined);
    setSending(true);
    try {
      const answer = await request();
      if (mine !== session.current) return;
      setSending(false);
      onAnswer(answer);
    } catch (error) {
      if (mine !== session.current) return;
      setSending(false);
      if (!report?.(error)) onFailure(error);
    }
  };

  const cancel = () => {
    if (sending) return;
    session.current += 1;
    onCancel();
  };

  const clearFailure = () => setFailure(undefined);

  return { sending, failure, showFailure: setFailure, clearFailure, send, cancel, choices, choicesFailure, reloadChoices };
}
