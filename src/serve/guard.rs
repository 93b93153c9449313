//! The checks every request passes before a handler sees it, and the headers every response gets.
//!
//! - Host: on loopback only the address bound and `localhost`, at our port, so a web page
//!   that rebinds its own name to 127.0.0.1 cannot talk to us.
//! - Token: the URL's `?token=` is swapped for an HttpOnly, SameSite=Strict cookie and a
//!   redirect, so the token leaves the address bar and history at once. No token: 401.
//!   A wrong one: 403.
//! - CSRF: state-changing requests must carry the page's `X-CSRF-Token` header and a JSON body
//!   (a cross-site form can send neither), and an `Origin`, if sent, must be ours.
//! - Headers: a strict Content-Security-Policy (no inline script, nothing from elsewhere),
//!   no caching, no referrer, no framing.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State as Extract};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::State;

/// The cookie that carries the access token after the first visit.
pub const COOKIE: &str = "vtsdraft_token";
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

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

fn query_token(request: &Request) -> Option<String> {
    request
        .uri()
        .query()?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "token")
        .map(|(_, v)| v.to_string())
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

    // First visit: the token in the URL becomes a cookie, and the URL loses it.
    if let Some(token) = query_token(&request) {
        if !same(&token, &state.token) {
            return refusal(
                StatusCode::FORBIDDEN,
                "This access token is not the one vtsdraft printed. Copy the whole address from the terminal.",
            );
        }
        let cookie = format!(
            "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
            state.token
        );
        return Response::builder()
            .status(StatusCode::SEE_OTHER)
            // Only ever a path on this server: `//host/` would send the browser elsewhere.
            .header(header::LOCATION, local_path(request.uri().path()))
            .header(header::SET_COOKIE, cookie)
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    match cookie_token(request.headers()) {
        None => {
            return refusal(
                StatusCode::UNAUTHORIZED,
                "Open the address vtsdraft printed when it started (it ends with ?token=…).",
            );
        }
        Some(token) if !same(&token, &state.token) => {
            return refusal(
                StatusCode::FORBIDDEN,
                "This browser holds the token of an earlier run. Open the address vtsdraft printed this time.",
            );
        }
        Some(_) => {}
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

/// `path` if it is a path on this server, else `/`.
fn local_path(path: &str) -> &str {
    if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') {
        path
    } else {
        "/"
    }
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

    #[test]
    fn cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; vtsdraft_token=xyz; b=2"),
        );
        assert_eq!(cookie_token(&headers).as_deref(), Some("xyz"));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("vtsdraft_tokenx=1"),
        );
        assert_eq!(cookie_token(&headers), None);
    }
}
