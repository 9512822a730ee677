// The one Content-Security-Policy of the UI, sent as a header by both hosts (Electron session,
// browser-mode server) and repeated in index.html's meta tag. Pure data.
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";
