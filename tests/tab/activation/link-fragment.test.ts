import { takeLinkFromAddress } from '../../../tab/src/activation/link-fragment';

describe('takeLinkFromAddress', () => {
  it('takes the link and removes the fragment without a new history entry', () => {
    window.history.replaceState({ kept: 1 }, '', '/activate.html?a=b#link=abc_-123');
    const length = window.history.length;
    expect(takeLinkFromAddress()).toBe('abc_-123');
    expect(window.location.href).toBe(`${window.location.origin}/activate.html?a=b`);
    expect(window.history.length).toBe(length);
    expect(window.history.state).toEqual({ kept: 1 });
  });

  it('has nothing to take without a fragment, and leaves the address alone', () => {
    window.history.replaceState(null, '', '/activate.html');
    const replaceState = jest.spyOn(window.history, 'replaceState');
    expect(takeLinkFromAddress()).toBeNull();
    expect(replaceState).not.toHaveBeenCalled();
    replaceState.mockRestore();
  });

  it('clears a fragment without a link', () => {
    window.history.replaceState(null, '', '/activate.html#other=1');
    expect(takeLinkFromAddress()).toBeNull();
    expect(window.location.hash).toBe('');
  });
});
