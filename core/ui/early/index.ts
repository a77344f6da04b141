// What the interactive UI does before Ink is loaded: the resume picker's screen as plain lines
// (drawn by Ink's Picker too) and the painting of its first page. Nothing here loads Ink or React.
export { paintFirstPage, colorOn, type FirstPage } from './paint.js';
export { FIRST_PAGE_LIMIT, ansiOf, localTime, pageSizeFor, pageTop, pickerScreen, rowOfSummary, type PickerRow, type PickerState, type ScreenLine, type Span } from './view.js';
export { charWidth, fitWidth } from './width.js';
