import { Button, Field, Input, Select, makeStyles, tokens } from '@fluentui/react-components';
import { useId, useMemo, useState } from 'react';
import { ApiError, type CustomerScheduleChange } from '../api/portal-api';

const useStyles = makeStyles({
  form: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  narrow: { width: '9rem' },
  zone: { width: '16rem' },
  wide: { width: '14rem' },
});

type Kind = CustomerScheduleChange['kind'];

const KIND_TEXT: Record<Kind, string> = {
  default: 'Partner default',
  off: 'Off',
  hourly: 'Every hour',
  daily: 'Every day',
  cron: 'Cron expression',
};

/** The browser's own time zone, the likely one for a daily time. */
function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function timeZones(): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? supported('timeZone') : ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles'];
}

export interface ScheduleEditorProps {
  /** What is set now. */
  value: CustomerScheduleChange;
  /** Offer "Partner default" (a customer's schedule; not the default itself). */
  allowDefault: boolean;
  saving: boolean;
  /** The API's refusal of the last save, shown at the field it names. */
  failure: unknown;
  onSave(schedule: CustomerScheduleChange): void;
  label: string;
}

/** Picks a schedule: off, every hour at a minute, every day at a time in a time zone, or a cron expression. */
export function ScheduleEditor({ value, allowDefault, saving, failure, onSave, label }: ScheduleEditorProps) {
  const styles = useStyles();
  const zonesId = useId();
  const zones = useMemo(timeZones, []);
  const [kind, setKind] = useState<Kind>(value.kind);
  const [minute, setMinute] = useState(value.kind === 'hourly' ? String(value.minute) : '0');
  const [time, setTime] = useState(value.kind === 'daily' ? value.time : '02:00');
  const [expression, setExpression] = useState(value.kind === 'cron' ? value.expression : '0 */6 * * *');
  const [timeZone, setTimeZone] = useState(value.kind === 'daily' || value.kind === 'cron' ? value.timeZone : localTimeZone());
  const problem = (field: string) => (failure instanceof ApiError ? failure.fieldMessage(field) : undefined);

  const chosen = (): CustomerScheduleChange => {
    switch (kind) {
      case 'hourly':
        return { kind, minute: Number(minute) };
      case 'daily':
        return { kind, time, timeZone };
      case 'cron':
        return { kind, expression, timeZone };
      default:
        return { kind } as CustomerScheduleChange;
    }
  };

  return (
    <form
      className={styles.form}
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        onSave(chosen());
      }}
    >
      <Field label="Scheduled sync" validationMessage={problem('kind')}>
        <Select value={kind} onChange={(_, data) => setKind(data.value as Kind)}>
          {(Object.keys(KIND_TEXT) as Kind[])
            .filter((k) => allowDefault || k !== 'default')
            .map((k) => (
              <option key={k} value={k}>
                {KIND_TEXT[k]}
              </option>
            ))}
        </Select>
      </Field>
      {kind === 'hourly' && (
        <Field label="At minute" validationMessage={problem('minute')}>
          <Input className={styles.narrow} type="number" value={minute} onChange={(_, data) => setMinute(data.value)} />
        </Field>
      )}
      {kind === 'daily' && (
        <Field label="At" validationMessage={problem('time')}>
          <Input className={styles.narrow} type="time" value={time} onChange={(_, data) => setTime(data.value)} />
        </Field>
      )}
      {kind === 'cron' && (
        <Field label="Cron expression" hint="minute hour day month weekday" validationMessage={problem('expression')}>
          <Input className={styles.wide} value={expression} onChange={(_, data) => setExpression(data.value)} />
        </Field>
      )}
      {(kind === 'daily' || kind === 'cron') && (
        <Field label="Time zone" validationMessage={problem('timeZone')}>
          <Input className={styles.zone} list={zonesId} value={timeZone} onChange={(_, data) => setTimeZone(data.value)} />
        </Field>
      )}
      <datalist id={zonesId}>
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      <Button type="submit" appearance="primary" disabled={saving}>
        {saving ? 'Saving…' : 'Save schedule'}
      </Button>
    </form>
  );
}
