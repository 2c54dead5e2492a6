import '@testing-library/jest-dom';

// jsdom has no ResizeObserver; Fluent's MessageBar (reflow) and others observe sizes.
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class ResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

// jsdom does no layout: offsetParent is always null and <body> measures 0 x 0, so
// Fluent's focus manager (tabster) takes every element for hidden. Dialogs then
// cannot focus their first control and, a moment later, hide themselves with
// aria-hidden. Report elements in the document as laid out.
Object.defineProperty(HTMLElement.prototype, 'offsetParent', {
  configurable: true,
  get(this: HTMLElement) {
    return this.isConnected ? this.parentElement : null;
  },
});
HTMLBodyElement.prototype.getBoundingClientRect = function getBoundingClientRect() {
  return { x: 0, y: 0, top: 0, left: 0, right: 1024, bottom: 768, width: 1024, height: 768, toJSON: () => ({}) };
};
