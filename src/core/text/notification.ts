/**
 * Text for a VS Code notification (information, warning, error message).
 * A notification is plain text except for one piece of syntax: VS Code
 * turns `[label](https://…)`, `[label](command:…)` and `[label](file:…)`
 * into links, and a click on a command link runs the command. A database
 * error message or a name quoted in a notification must not become one, so
 * a label directly followed by a parenthesis gets a space between them
 * (VS Code's pattern needs them adjacent); bidirectional controls are
 * spelled out as everywhere else.
 */
import { showBidiControls } from './bidi';

/** `](` followed by what VS Code's link pattern accepts as a target. */
const LINK_TARGET = /\]\((?=\s*[a-z][a-z0-9+.-]*:)/gi;

export function notificationText(text: string): string {
  return showBidiControls(text).replace(LINK_TARGET, '] (');
}
