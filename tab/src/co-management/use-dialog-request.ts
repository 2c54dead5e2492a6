import { useEffect, useRef, useState } from 'react';
import type { CustomerView, PortalApi, TeamsUserView } from '../api/portal-api';
import { isCoManagementOff } from './co-management';

/** What every co-management dialog is given; each adds what its success hands back. */
export interface CoManagementDialogProps {
  api: PortalApi;
  customer: CustomerView;
  /** The user the dialog is about, fixed when it opens. */
  user: TeamsUserView | undefined;
  open: boolean;
  onCancel(): void;
  /** The customer switched co-management off. */
  onRevoked(error: unknown): void;
}

export interface DialogRequestOptions<C> {
  open: boolean;
  onCancel(): void;
  /** The customer switched co-management off: the refusal goes here, not to the dialog. */
  onRevoked(error: unknown): void;
  /** Reads what the dialog offers to pick from, each time it opens (and on Try again). */
  loadChoices?(): Promise<C>;
}

/**
 * What the co-management dialogs (Assign number, Unassign number, Voice
 * routing policy) share, so each does it the same way: every opening is a new
 * session, and an answer to an earlier one (the dialog was cancelled or
 * opened again meanwhile) is ignored; a co_management_off refusal goes to
 * onRevoked, any other failure is shown in the dialog; Cancel is refused
 * while the request is under way.
 */
export function useDialogRequest<C = never>({ open, onCancel, onRevoked, loadChoices }: DialogRequestOptions<C>) {
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
      (error: unknown) => {
        if (mine !== session.current) return;
        if (isCoManagementOff(error)) onRevoked(error);
        else setChoicesFailure(error);
      },
    );
  };

  useEffect(() => {
    if (!open) return;
    session.current += 1;
    setFailure(undefined);
    setSending(false);
    reloadChoices();
    // Only a new opening starts a session (the callbacks may change identity).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  /** Sends the dialog's request; its answer goes to onAnswer unless this session is over. */
  const send = async <T>(request: () => Promise<T>, onAnswer: (answer: T) => void) => {
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
      if (isCoManagementOff(error)) onRevoked(error);
      else setFailure(error);
    }
  };

  const cancel = () => {
    if (sending) return;
    session.current += 1;
    onCancel();
  };

  const clearFailure = () => setFailure(undefined);

  return { sending, failure, clearFailure, send, cancel, choices, choicesFailure, reloadChoices };
}
