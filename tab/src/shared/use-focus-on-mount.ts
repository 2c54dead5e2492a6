import { useEffect, useRef } from 'react';

/**
 * A view's heading takes the focus when the view opens, so keyboard and
 * screen-reader users land on the page they just opened (give it tabIndex -1).
 */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}
