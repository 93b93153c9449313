//! The checks every request passes before a handler sees it, and the headers every response gets.
//!
//! - Host: on loopback only the address bound and `localhost`, at our port, so a web page
//!   that rebinds its own name to 127.0.0.1 cannot talk to us.
//! - Token: every `/api/` request carries the access token in the `X-Vtsdraft-Token` header.
//!   The printed address holds it in its `#fragment`, which browsers never send; the page keeps
//!   it for the tab (`sessionStorage`, scoped to this origin and port) and removes it from the
//!   address and its history entry. No cookie: a cookie for 127.0.0.1 would go to every program
//!   listening on any port there. No token: 401. A wrong one: 403. The page and its script and
//!   style hold no case data and are served without it.
//! - CSRF: state-changing requests must carry the page's `X-CSRF-Token` header and a JSON body
//!   (a cross-site form can send neither), and an `Origin`, if sent, must be ours.
//! - Headers: a strict Content-Security-Policy (no inline script, nothing from elsewhere),
//!   no caching, no referrer, no framing.

use std::sync::Arc;

use axum::extract::{Request, State as Extract};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::State;

/// The header that carries the access token.
pub const TOKEN_HEADER: &str = "x-vtsdraft-token";
/// The header that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Compares secrets in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A short plain page for refusals: the browser shows it, a script reads the status.
pub fn refusal(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>vtsdraft</title></head>\
         <body><h1>{}</h1><p>{}</p></body></html>",
        status.canonical_reason().unwrap_or("Refused"),
        super::form::esc(message)
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// The middleware: refuses what fails a check, then adds the security headers.
pub async fn guard(Extract(state): Extract<Arc<State>>, request: Request, next: Next) -> Response {
    let mut response = check(&state, request, next).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

async fn check(state: &State, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !state.hosts.is_empty() && !state.hosts.contains(&host) {
        return refusal(
            StatusCode::FORBIDDEN,
            "This server answers only to the address vtsdraft printed when it started.",
        );
    }

    // The page and its assets hold no case data; everything else needs the token.
    let public = matches!(request.uri().path(), "/" | "/app.js" | "/app.css");
    if !public {
        let token = request
            .headers()
            .get(TOKEN_HEADER)
            .and_then(|v| v.to_str().ok());
        match token {
            None => {
                return refusal(
                    StatusCode::UNAUTHORIZED,
                    "Open the address vtsdraft printed when it started (it ends with #token=…).",
                );
            }
            Some(token) if !same(token, &state.token) => {
                return refusal(
                    StatusCode::FORBIDDEN,
                    "This page holds the token of an earlier run. Open the address vtsdraft printed this time.",
                );
            }
            Some(_) => {}
        }
    }

    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let headers = request.headers();
        let csrf_ok = headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| same(v, &state.csrf));
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let origin_ok = match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            None => true,
            Some(origin) => origin.eq_ignore_ascii_case(&format!("http://{host}")),
        };
        if !(csrf_ok && json && origin_ok) {
            return refusal(
                StatusCode::FORBIDDEN,
                "This request did not come from the vtsdraft page. Reload the page and try again.",
            );
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_by_value() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
        assert!(!same("", "a"));
    }
}
