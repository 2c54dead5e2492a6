import { Button, Field, Input, Radio, RadioGroup, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { SeatType } from '../api/portal-api';
import type { Suggestion } from './new-customer-form';

const useStyles = makeStyles({
  helper: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    margin: 0,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  legend: { padding: `0 ${tokens.spacingHorizontalXS}` },
  suggestion: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

export interface MaxChannelsHelperProps {
  seatType: SeatType | '';
  seats: string;
  onSeatType(seatType: SeatType): void;
  onSeats(seats: string): void;
  /** The API's suggestion for the seats given, or why there is none. */
  suggestion: { value?: Suggestion; error?: string; loading: boolean };
  /** "Use 12": the suggestion goes into Max Channels. */
  onUse(maxChannels: number): void;
}

/** Suggest Max Channels from the seats: seat type and count in, the API's suggestion out. */
export function MaxChannelsHelper({ seatType, seats, onSeatType, onSeats, suggestion, onUse }: MaxChannelsHelperProps) {
  const styles = useStyles();
  const { value } = suggestion;
  return (
    <fieldset className={styles.helper}>
      <legend className={styles.legend}>
        <Text weight="semibold">Suggest Max Channels from the seats</Text>
      </legend>
      <Field label="Seat type">
        <RadioGroup layout="horizontal" value={seatType} onChange={(_, data) => onSeatType(data.value as SeatType)}>
          <Radio value="unbundled" label="MS Teams unbundled" />
          <Radio value="bundled" label="MS Teams bundled" />
        </RadioGroup>
      </Field>
      <Field label="Seat count" validationMessage={suggestion.error} validationState={suggestion.error ? 'error' : 'none'}>
        <Input type="number" min={1} step={1} value={seats} onChange={(_, data) => onSeats(data.value)} />
      </Field>
      {suggestion.loading && <Spinner size="extra-tiny" label="Working out the suggestion" />}
      {value && (
        <div className={styles.suggestion} aria-live="polite">
          <Text>
            Suggested Max Channels: <strong>{value.maxChannels}</strong> ({value.rule})
          </Text>
          <Button size="small" onClick={() => onUse(value.maxChannels)}>
            Use {value.maxChannels}
          </Button>
        </div>
      )}
    </fieldset>
  );
}
