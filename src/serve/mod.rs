//! `vtsdraft serve`: a local web questionnaire over the same pipeline as the command line.
//!
//! One process on the paralegal's machine: it binds loopback, prints a URL carrying a random
//! access token, and serves a form generated from the case model ([`form`]), a side panel fed
//! by the same `prepare` that `build` uses, and saves into one cases folder ([`files`]).
//! Every request passes [`guard`]: token, Host, CSRF and security headers. Nothing is logged.

pub mod api;
pub mod files;
pub mod form;
pub mod guard;
pub mod relevance;

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::Toolkit;
use crate::facts::load::MAX_FILE_BYTES;
use crate::facts::model::Representative;

/// What `serve` was asked to do.
pub struct Options {
    /// The folder case files are listed from and saved to.
    pub cases: PathBuf,
    /// Where to listen; loopback unless the user chose otherwise.
    pub listen: SocketAddr,
    /// Firm details for cases that leave out `[representative]`.
    pub firm: Option<Representative>,
}

/// Everything a request handler can reach.
pub struct State {
    pub toolkit: Toolkit,
    pub firm: Option<Representative>,
    /// The cases folder, canonicalised: every file served or written is inside it.
    pub cases: PathBuf,
    /// The access token in the printed URL, then in a cookie.
    pub token: String,
    /// Sent with every state-changing request; a page from another site cannot read it.
    pub csrf: String,
    /// Host headers accepted (DNS-rebinding defence); empty when `--listen` chose the address.
    pub hosts: Vec<String>,
    /// Saves and drafts are written one at a time, so two tabs never interleave a file.
    pub write_lock: Mutex<()>,
    /// Letters typeset at once (the cores), so memory stays bounded however many arrive.
    pub builds: Arc<tokio::sync::Semaphore>,
    /// Downloads waiting for a build slot; past [`MAX_WAITING`] a request is told to retry.
    pub waiting: std::sync::atomic::AtomicUsize,
    /// The page (125 kB): it depends only on the model and the CSRF token, both fixed for the run,
    /// so it is built once when the server binds instead of on every load.
    pub page: String,
}

/// A bound server, ready to run.
pub struct Server {
    listener: TcpListener,
    state: Arc<State>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the cases folder `{0}` cannot be used: {1}")]
    Cases(PathBuf, std::io::Error),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("the operating system gave no random numbers for the access token: {0}")]
    Random(String),
}

/// `127.0.0.2:8080`, `[::1]:8080`: the address as a URL's host and port.
fn host_of(addr: SocketAddr) -> String {
    addr.to_string()
}

/// Downloads that may wait for a build slot before more are told the server is busy.
pub const MAX_WAITING: usize = 8;

/// 32 random bytes as hex.
fn random_token() -> Result<String, StartError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StartError::Random(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Server {
    /// Creates the cases folder if needed, binds the address and makes the tokens.
    pub fn bind(options: Options, toolkit: Toolkit) -> Result<Server, StartError> {
        crate::output::create_private_dir(&options.cases)
            .map_err(|e| StartError::Cases(options.cases.clone(), e))?;
        let cases = options
            .cases
            .canonicalize()
            .map_err(|e| StartError::Cases(options.cases.clone(), e))?;
        files::expire_drafts(&cases);
        let listener =
            TcpListener::bind(options.listen).map_err(|e| StartError::Bind(options.listen, e))?;
        let local = listener
            .local_addr()
            .map_err(|e| StartError::Bind(options.listen, e))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| StartError::Bind(options.listen, e))?;
        // On loopback the Host must name the address actually bound (DNS-rebinding defence):
        // `localhost` and the address itself, which the printed URL uses.
        let hosts = if local.ip().is_loopback() {
            let port = local.port();
            vec![format!("localhost:{port}"), host_of(local)]
        } else {
            Vec::new()
        };
        let csrf = random_token()?;
        let state = State {
            toolkit,
            firm: options.firm,
            cases,
            token: random_token()?,
            page: api::page(&csrf),
            csrf,
            hosts,
            write_lock: Mutex::new(()),
            builds: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )),
            waiting: std::sync::atomic::AtomicUsize::new(0),
        };
        Ok(Server {
            listener,
            state: Arc::new(state),
        })
    }

    /// The address actually bound (the port is chosen by the system for `--port 0`).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The URL to open: it carries the access token once, then a cookie does.
    pub fn url(&self) -> String {
        let addr = self.local_addr();
        let host = if addr.ip().is_unspecified() {
            format!("127.0.0.1:{}", addr.port())
        } else {
            host_of(addr)
        };
        // The token goes in the fragment: browsers never send it to a server (this one or any
        // other) and the page takes it out of the address at once.
        format!("http://{host}/#token={}", self.state.token)
    }

    /// The cases folder in use.
    pub fn cases(&self) -> &std::path::Path {
        &self.state.cases
    }

    /// Serves until Ctrl-C (or until `shutdown` resolves).
    pub fn run(self) -> std::io::Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(self.listener)?;
            axum::serve(listener, router(self.state))
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await
        })
    }
}

/// The routes, every one behind the guard.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(api::index))
        .route("/app.js", get(api::script))
        .route("/app.css", get(api::style))
        .route("/api/check", post(api::check))
        .route("/api/cases", get(api::list))
        .route("/api/open", post(api::open))
        .route("/api/save", post(api::save))
        .route("/api/draft", post(api::draft))
        .route("/api/draft/discard", post(api::discard))
        .route("/api/download", post(api::download))
        .fallback(api::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        // A case file is at most this big on disk; its JSON form in a request may be a little
        // larger, never ten times.
        .layer(DefaultBodyLimit::max(2 * MAX_FILE_BYTES))
        .with_state(state)
}
