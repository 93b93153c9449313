//! `vtsdraft serve` in a real headless Chromium, driven through chromedriver: a paralegal fills
//! in a child's case from empty, meets a validation error and fixes it, watches the side panel
//! pick a child best-interests clause, saves, and downloads the letter, the reviewer's copy and
//! the Word document.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Screenshots of
//! each screen, desktop and narrow, go to `target/screenshots/` for people to look at.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::serve::Served;
use crate::support::{pdf_text, root, run};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_driver() -> (Driver, u16) {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (Driver(child), port)
}

fn screenshots() -> PathBuf {
    let dir = root().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(screenshots().join(format!("{name}.png")), png).unwrap();
}

/// Waits until `script` (a JS expression) is truthy, or fails with `what`.
async fn wait_for(c: &Client, script: &str, what: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let v = c
            .execute(&format!("return ({script});"), vec![])
            .await
            .unwrap();
        if !(v.is_null() || v == json!(false) || v == json!("")) {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn type_into(c: &Client, id: &str, text: &str) {
    let e = c.find(Locator::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

/// Date pickers take keyboard input in the browser's locale; set the value the way a picker
/// does and fire the same events.
async fn pick_date(c: &Client, id: &str, date: &str) {
    c.execute(
        "const e = document.getElementById(arguments[0]); e.value = arguments[1];\
         e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![json!(id), json!(date)],
    )
    .await
    .unwrap();
}

async fn choose(c: &Client, group: &str, value: &str) {
    c.find(Locator::Css(&format!(
        "input[name=\"{group}\"][value=\"{value}\"]"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
}

async fn click(c: &Client, id: &str) {
    c.find(Locator::Id(id))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// The downloaded file `name` in `dir`, once Chromium has finished writing it (it renames a
/// partial download into place).
fn wait_for_download(dir: &Path, name: &str) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(30);
    let path = dir.join(name);
    while !path.exists() {
        assert!(Instant::now() < deadline, "{name} was not downloaded");
        std::thread::sleep(Duration::from_millis(100));
    }
    path
}

#[test]
#[allow(clippy::print_stderr, reason = "a knowingly skipped test says so")]
fn a_paralegal_fills_in_a_child_case_in_chromium() {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        if std::env::var_os("VTSDRAFT_SKIP_BROWSER").is_some() {
            eprintln!("skipped: VTSDRAFT_SKIP_BROWSER is set and Chromium is not installed");
            return;
        }
        panic!(
            "this test needs Chromium: `apt-get install chromium chromium-driver` (`.ci/run` does), \
             or set VTSDRAFT_SKIP_BROWSER=1 to skip it knowingly"
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(session());
}

async fn session() {
    let (_driver, port) = start_driver();
    let served = Served::start();
    let profile = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--lang=en-GB", "--window-size=1400,1000",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": {
                "download.default_directory": downloads.path().display().to_string(),
                "download.prompt_for_download": false,
            },
        },
    });
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(capabilities.as_object().unwrap().clone());
    let c = builder
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session");

    // The printed address logs in and drops the token from the address bar.
    c.goto(&format!("{}/#token={}", served.base, served.token))
        .await
        .unwrap();
    let url = c.current_url().await.unwrap();
    assert!(!url.as_str().contains("token"), "{url}");
    wait_for(
        &c,
        "document.querySelector('#panel-body li')",
        "the first check",
    )
    .await;
    shot(&c, "1-empty-desktop").await;

    // "Check all answers" on an empty case: a summary of what is missing, linked to fields.
    click(&c, "check-all").await;
    let summary = wait_for(&c, "!document.getElementById('summary').hidden && document.getElementById('summary').innerText", "the error summary").await;
    assert!(summary.as_str().unwrap().contains("to fix"), "{summary}");
    shot(&c, "2-missing-answers-desktop").await;

    // A child's case, from empty.
    type_into(&c, "f-matter-reference", "VTS-E2E-0001").await;
    choose(&c, "f-matter-letter_mode", "pre_decision").await;
    pick_date(&c, "f-matter-letter_date", "2026-11-16").await;
    type_into(&c, "f-client-full_name", "Mirela Testova").await;
    pick_date(&c, "f-client-dob_claimed", "2010-04-02").await;
    choose(&c, "f-client-pronouns", "she").await;
    type_into(&c, "f-client-nationality", "Albania").await;
    choose(&c, "f-nrm-cg_decision-outcome", "positive").await;
    pick_date(&c, "f-nrm-cg_decision-date", "2026-06-30").await;

    // A partial date with a month that does not exist: the error appears beside the field.
    type_into(&c, "f-nrm-referral_date", "2025-13").await;
    let error = wait_for(
        &c,
        "(() => { const f = document.getElementById('f-nrm-referral_date').closest('.field'); const e = f && f.querySelector('.error'); return e && e.innerText; })()",
        "the referral date error",
    )
    .await;
    assert!(error.as_str().unwrap().contains("month"), "{error}");
    let invalid = c
        .find(Locator::Id("f-nrm-referral_date"))
        .await
        .unwrap()
        .attr("aria-invalid")
        .await
        .unwrap();
    assert_eq!(invalid.as_deref(), Some("true"));
    shot(&c, "3-field-error-desktop").await;
    // Nothing typed is lost on an error.
    let kept = c
        .find(Locator::Id("f-client-full_name"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("Mirela Testova"));

    // Fixed: the error goes, and the panel shows the case as a child's.
    type_into(&c, "f-nrm-referral_date", "2025-03").await;
    wait_for(
        &c,
        "!document.getElementById('f-nrm-referral_date').closest('.field').querySelector('.error')",
        "the error to clear",
    )
    .await;
    let clause = wait_for(
        &c,
        "(() => { const li = document.querySelector('#panel-body li[data-clause^=\"ch.\"]'); return li && li.dataset.clause; })()",
        "a child best-interests clause in the side panel",
    )
    .await;
    assert!(clause.as_str().unwrap().starts_with("ch."), "{clause}");
    // Child-care questions appear once the dates show a child, with the reason.
    let why = wait_for(
        &c,
        "(() => { const f = document.getElementById('f-family-looked_after'); return f && !f.closest('.is-hidden') && f.querySelector('.why-shown') && f.querySelector('.why-shown').innerText; })()",
        "the child-care questions",
    )
    .await;
    assert!(why.as_str().unwrap().contains("child"), "{why}");
    shot(&c, "4-child-case-panel-desktop").await;

    // Case text is never HTML: markup typed into an answer stays text everywhere on the page.
    type_into(&c, "f-health-clinician_status_evidence", "<b id=pwn>x</b>").await;
    wait_for(
        &c,
        "document.querySelector('#panel-body') && document.body.innerText.includes('<b id=pwn>')",
        "the hostile value echoed as text",
    )
    .await;
    let injected = c
        .execute("return document.getElementById('pwn') !== null;", vec![])
        .await
        .unwrap();
    assert_eq!(injected, json!(false));
    type_into(&c, "f-health-clinician_status_evidence", "").await;

    // Save into the cases folder.
    type_into(&c, "file-name", "e2e-child").await;
    click(&c, "save").await;
    let status = wait_for(&c, "document.getElementById('status').innerText.includes('Saved as') && document.getElementById('status').innerText", "the save").await;
    assert!(
        status.as_str().unwrap().contains("e2e-child.toml"),
        "{status}"
    );
    let saved = served.cases.join("e2e-child.toml");
    let out = run(
        root().as_path(),
        &[
            "check",
            saved.to_str().unwrap(),
            "--firm",
            "examples/firm.toml",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);

    // Download the letter.
    click(&c, "download").await;
    let pdf = wait_for_download(downloads.path(), "VTS-E2E-0001.pdf");
    let text = pdf_text(&std::fs::read(&pdf).unwrap());
    assert!(text.contains("Mirela Testova"), "{text}");

    // And the reviewer's copy: the same letter with each paragraph's clause beside it.
    click(&c, "download-review").await;
    let review = wait_for_download(downloads.path(), "VTS-E2E-0001.review.pdf");
    let text = pdf_text(&std::fs::read(&review).unwrap());
    assert!(
        text.contains("REVIEWER") && text.contains("Mirela Testova"),
        "{text}"
    );

    // And the Word document, through the same output path as `build --emit docx`.
    click(&c, "download-docx").await;
    let docx = wait_for_download(downloads.path(), "VTS-E2E-0001.docx");
    let text = crate::docx::docx_text(&std::fs::read(&docx).unwrap());
    assert!(text.contains("Mirela Testova"), "{text}");

    // The open list, then the narrow window (a laptop split screen or a phone).
    click(&c, "open").await;
    wait_for(
        &c,
        "document.querySelector('#case-list button')",
        "the case list",
    )
    .await;
    shot(&c, "5-open-desktop").await;
    click(&c, "open-close").await;
    c.set_window_size(420, 900).await.unwrap();
    c.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
    shot(&c, "6-top-narrow").await;
    c.execute(
        "document.getElementById('f-nrm-referral_date').scrollIntoView()",
        vec![],
    )
    .await
    .unwrap();
    shot(&c, "7-form-narrow").await;
    c.execute("document.getElementById('panel').scrollIntoView()", vec![])
        .await
        .unwrap();
    shot(&c, "8-panel-narrow").await;
    c.close().await.unwrap();
}
