import { useState } from 'react';

/** Saving a schedule: whether it is under way, the last refusal, whether it was saved; the answer goes to `onSaved`. */
export function useScheduleSave<A, S>(save: (schedule: S) => Promise<A>, onSaved: (answer: A) => void) {
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const start = (schedule: S) => {
    setSaving(true);
    setFailure(undefined);
    setSaved(false);
    save(schedule).then(
      (answer) => {
        onSaved(answer);
        setSaving(false);
        setSaved(true);
      },
      (error: unknown) => {
        setSaving(false);
        setFailure(error);
      },
    );
  };
  return { saving, failure, saved, save: start };
}
