/** The widget's styles, scoped by its shadow root (the host page's CSS cannot reach inside). */
export const STYLES = `
:host{all:initial!important;--c:#2563eb;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif!important;color:#111827!important}
:host([mode=inline]){display:block!important}
*{box-sizing:border-box;font:inherit;color:inherit}
[hidden]{display:none!important}
.user,header,header button,.launcher,form button,.call button{color:#fff}
.launcher{position:fixed;bottom:20px;right:20px;width:56px;height:56px;border-radius:50%;border:0;background:var(--c);color:#fff;cursor:pointer;box-shadow:0 6px 20px rgba(0,0,0,.25);z-index:2147483000;display:grid;place-items:center}
:host([data-position=bottom-left]) .launcher{right:auto;left:20px}
.launcher svg{width:26px;height:26px}
button:focus-visible,textarea:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.panel{display:flex;flex-direction:column;background:#fff;border:1px solid #e5e7eb;border-radius:14px;overflow:hidden;box-shadow:0 12px 40px rgba(0,0,0,.22)}
.floating .panel{position:fixed;bottom:88px;right:20px;width:370px;height:min(560px,calc(100vh - 110px));z-index:2147483001}
:host([data-position=bottom-left]) .floating .panel{right:auto;left:20px}
.inline{height:100%}
.inline .panel{width:100%;height:100%;min-height:380px;box-shadow:none}
.panel[hidden]{display:none}
header{display:flex;align-items:center;gap:10px;padding:12px 14px;background:var(--c);color:#fff}
header img{width:32px;height:32px;border-radius:50%;object-fit:cover;background:#fff}
header h2{flex:1;margin:0;font-size:15px;font-weight:600}
header button{background:rgba(255,255,255,.18);border:0;color:#fff;border-radius:8px;padding:6px 10px;cursor:pointer}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f9fafb}
.msg{max-width:85%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;word-wrap:break-word}
.assistant{align-self:flex-start;background:#fff;border:1px solid #e5e7eb}
.user{align-self:flex-end;background:var(--c);color:#fff}
.caption{font-style:italic;opacity:.85}
.typing{align-self:flex-start;color:#6b7280;font-size:13px}
.status{padding:8px 14px;font-size:13px;color:#991b1b;background:#fef2f2;border-top:1px solid #fecaca}
.status:empty{display:none}
.call{display:flex;align-items:center;gap:10px;padding:10px 14px;background:#ecfdf5;border-top:1px solid #a7f3d0;font-size:13px}
.call[hidden]{display:none}
.call span{flex:1}
.call button{background:#dc2626;color:#fff;border:0;border-radius:8px;padding:6px 12px;cursor:pointer}
form{display:flex;gap:8px;padding:10px;border-top:1px solid #e5e7eb;background:#fff}
textarea{flex:1;resize:none;border:1px solid #d1d5db;border-radius:10px;padding:8px 10px;height:40px;max-height:120px;color:#111827;background:#fff}
form button{border:0;border-radius:10px;background:var(--c);color:#fff;padding:0 14px;cursor:pointer}
form button:disabled{opacity:.5;cursor:default}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:480px){.floating .panel{inset:0;width:100%;height:100%;border-radius:0;bottom:0;right:0}}
`;
