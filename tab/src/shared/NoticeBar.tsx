import { MessageBar, MessageBarBody } from '@fluentui/react-components';
import { forwardRef } from 'react';

/** What an action did, for the notice above a list. */
export type Notice = { intent: 'success' | 'warning'; text: string };

/** The notice; it can take the focus (after a dialog closed on what it reports). */
export const NoticeBar = forwardRef<HTMLDivElement, { notice: Notice }>(function NoticeBar({ notice }, ref) {
  return (
    // Multiline: a notice of several sentences wraps inside its bar instead of running past it.
    <MessageBar intent={notice.intent} ref={ref} tabIndex={-1} layout="multiline">
      <MessageBarBody>{notice.text}</MessageBarBody>
    </MessageBar>
  );
});
