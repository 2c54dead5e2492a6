import { makeStyles, tokens } from '@fluentui/react-components';

/** Rows picked by a click: the pointer says so, and the selected row stands out. */
export const useSelectableRowStyles = makeStyles({
  row: { cursor: 'pointer' },
  selected: { backgroundColor: tokens.colorSubtleBackgroundSelected },
});
