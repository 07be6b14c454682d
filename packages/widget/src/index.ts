/** Entry of /widget.js: defines `<switchboard-widget>` once (docs/widget.md). */
import { SwitchboardWidget } from './element.ts';

if (!customElements.get('switchboard-widget')) customElements.define('switchboard-widget', SwitchboardWidget);

declare global {
  interface HTMLElementTagNameMap {
    'switchboard-widget': SwitchboardWidget;
  }
}
