//! `vtsdraft serve` in a real headless Chromium, driven through chromedriver: a paralegal fills
//! in a child's case from empty, meets a validation error and fixes it, watches the side panel
//! pick a child best-interests clause, saves, and downloads the letter, the reviewer's copy and
//! the Word document. Then the questionnaire's details, each in a session of its own: dates typed
//! day first in a US-English browser, error links that keep the field clear of the sticky
//! header at every width, unsaved changes offered back after a reload, and evidence references
//! picked from the case's own evidence list.
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

/// chromedriver, and so the Chromium it starts, with the locale environment of `lang`
/// (`en_GB.UTF-8`): the language the browser reports and formats with.
fn start_driver(lang: &str) -> (Driver, u16) {
    let port = free_port();
    let locale = format!("{}.UTF-8", lang.replace('-', "_"));
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .env("LANG", &locale)
        .env("LC_ALL", &locale)
        .env("LANGUAGE", lang.replace('-', "_"))
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
    e.clear()
        .await
        .unwrap_or_else(|e| panic!("clearing {id}: {e}"));
    e.send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {id}: {e}"));
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

/// A browser test: skipped, with a note, only when Chromium is missing and
/// `VTSDRAFT_SKIP_BROWSER` says so.
#[allow(clippy::print_stderr, reason = "a knowingly skipped test says so")]
fn in_chromium<F: std::future::Future<Output = ()>>(test: impl FnOnce() -> F) {
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
    runtime.block_on(test());
}

/// A Chromium session whose browser language is `lang` (`en-GB`, `en-US`).
struct Browser {
    c: Client,
    downloads: tempfile::TempDir,
    _profile: tempfile::TempDir,
    _driver: Driver,
}

async fn browser(lang: &str, (width, height): (u32, u32)) -> Browser {
    let (driver, port) = start_driver(lang);
    let profile = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                format!("--lang={lang}"), format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": {
                "intl.accept_languages": lang,
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
    Browser {
        c,
        downloads,
        _profile: profile,
        _driver: driver,
    }
}

/// Opens the printed address and waits for the page's first check.
async fn log_in(c: &Client, served: &Served) {
    c.goto(&format!("{}/#token={}", served.base, served.token))
        .await
        .unwrap();
    wait_for(
        c,
        "document.querySelector('#panel-body li')",
        "the first check",
    )
    .await;
}

#[test]
fn a_paralegal_fills_in_a_child_case_in_chromium() {
    in_chromium(session);
}

async fn session() {
    let served = Served::start();
    let browser = browser("en-GB", (1400, 1000)).await;
    let c = browser.c.clone();
    let downloads = &browser.downloads;

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
    type_into(&c, "f-matter-letter_date", "16/11/2026").await;
    type_into(&c, "f-client-full_name", "Mirela Testova").await;
    type_into(&c, "f-client-dob_claimed", "02/04/2010").await;
    choose(&c, "f-client-pronouns", "she").await;
    type_into(&c, "f-client-nationality", "Albania").await;
    choose(&c, "f-nrm-cg_decision-outcome", "positive").await;
    type_into(&c, "f-nrm-cg_decision-date", "30/06/2026").await;

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

    // A CG decision known only as the month of the 18th birthday: the panel says that whether
    // the client was a child then is not decided, rather than guessing a day.
    type_into(&c, "f-client-dob_claimed", "15/06/2008").await;
    type_into(&c, "f-nrm-cg_decision-date", "06/2026").await;
    // The panel's line for child status at the CG, once `holds` (JavaScript on `text`) is true.
    let cg_status = |holds: &str| {
        format!(
            "(() => {{ const li = Array.from(document.querySelectorAll('#panel-body li')).find(l => l.innerText.startsWith('Child at the conclusive grounds decision')); const text = li && li.innerText; return text && ({holds}) && text; }})()"
        )
    };
    let undecided = wait_for(
        &c,
        &cg_status("text.includes('not decided')"),
        "child status at the CG shown as not decided in the side panel",
    )
    .await;
    assert!(
        undecided
            .as_str()
            .unwrap()
            .contains("not decided: the day is needed"),
        "{undecided}"
    );
    type_into(&c, "f-client-dob_claimed", "02/04/2010").await;
    type_into(&c, "f-nrm-cg_decision-date", "30/06/2026").await;
    wait_for(
        &c,
        &cg_status("text.endsWith('yes')"),
        "child status at the CG decided again",
    )
    .await;

    // Case text is never HTML: markup typed into an answer stays text everywhere on the page
    // (here a document's description, which every evidence question then offers).
    click_add(&c, "f-evidence").await;
    let item = wait_for(
        &c,
        "(() => { const i = document.querySelector('#f-evidence > .items > li [data-key=id]'); return i && i.id; })()",
        "an evidence item",
    )
    .await;
    let item = item.as_str().unwrap().trim_end_matches("-id").to_string();
    type_into(&c, &format!("{item}-id"), "hostile").await;
    type_into(&c, &format!("{item}-description"), "<b id=pwn>x</b>").await;
    wait_for(
        &c,
        "Array.from(document.querySelectorAll('#f-health-clinician_status_evidence option')).some(o => o.text.includes('<b id=pwn>x</b> (hostile)'))",
        "the hostile value offered as text",
    )
    .await;
    let injected = c
        .execute("return document.getElementById('pwn') !== null;", vec![])
        .await
        .unwrap();
    assert_eq!(injected, json!(false));
    c.find(Locator::Css("#f-evidence > .items > li button.remove"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

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

/// The problem shown beside the field `id`, once there is one.
async fn field_error(c: &Client, id: &str) -> String {
    let script = format!(
        "(() => {{ const f = document.getElementById('{id}').closest('.field'); const e = f && f.querySelector('.error'); return e && e.innerText; }})()"
    );
    let text = wait_for(c, &script, &format!("the error beside {id}")).await;
    text.as_str().unwrap().to_string()
}

/// The date in words beside the date box `id`, once it reads `expected`.
async fn date_in_words(c: &Client, id: &str, expected: &str) {
    let script = format!("document.getElementById('{id}-words').textContent === {expected:?}");
    wait_for(c, &script, &format!("{id} to read {expected:?}")).await;
}

/// Saves under `name` and returns the file as written.
async fn save_as(c: &Client, served: &Served, name: &str) -> String {
    type_into(c, "file-name", name).await;
    click(c, "save").await;
    wait_for(
        c,
        "document.getElementById('status').innerText.includes('Saved as')",
        "the save",
    )
    .await;
    std::fs::read_to_string(served.cases.join(format!("{name}.toml"))).unwrap()
}

#[test]
fn dates_are_typed_day_first_in_a_us_english_browser() {
    in_chromium(us_dates);
}

async fn us_dates() {
    let served = Served::start();
    let browser = browser("en-US", (1400, 1000)).await;
    let c = browser.c.clone();
    log_in(&c, &served).await;
    // The browser really is a US-English one: a native date box here would read 01/03 as 3 January.
    let language = c
        .execute(
            "return [navigator.language, new Date(2026, 2, 1).toLocaleDateString()];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(language, json!(["en-US", "3/1/2026"]), "{language}");

    type_into(&c, "f-matter-letter_date", "01/03/2026").await;
    date_in_words(&c, "f-matter-letter_date", "1 March 2026").await;
    // The words are announced, and read with the box.
    let words = c
        .execute(
            "const box = document.getElementById('f-matter-letter_date'); const words = document.getElementById('f-matter-letter_date-words');\
             return [words.getAttribute('aria-live'), box.getAttribute('aria-describedby').split(' ').includes(words.id), box.type];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(words, json!(["polite", true, "text"]));
    // The model takes a month and year, or a year, where that is all that is known.
    type_into(&c, "f-nrm-referral_date", "02/2021").await;
    date_in_words(&c, "f-nrm-referral_date", "February 2021").await;
    type_into(&c, "f-client-dob_claimed", "31/12/2008").await;
    date_in_words(&c, "f-client-dob_claimed", "31 December 2008").await;
    // The CG decision may be known only to the month; the letter date needs the day, and says why.
    type_into(&c, "f-nrm-cg_decision-date", "03/2021").await;
    date_in_words(&c, "f-nrm-cg_decision-date", "March 2021").await;
    let format = c
        .find(Locator::Id("f-matter-letter_date-format"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        format.contains("the day is needed: ages at the letter date"),
        "{format}"
    );
    shot(&c, "9-dates-en-us").await;

    let saved = save_as(&c, &served, "us-dates").await;
    assert!(saved.contains("letter_date = \"2026-03-01\""), "{saved}");
    assert!(saved.contains("referral_date = \"2021-02\""), "{saved}");
    assert!(saved.contains("date = \"2021-03\""), "{saved}");
    assert!(saved.contains("dob_claimed = \"2008-12-31\""), "{saved}");

    // An impossible date and unreadable text are problems beside the field, in words.
    type_into(&c, "f-client-dob_claimed", "31/02/2026").await;
    let error = field_error(&c, "f-client-dob_claimed").await;
    assert!(
        error.contains("There is no day 31 in February 2026"),
        "{error}"
    );
    date_in_words(&c, "f-client-dob_claimed", "").await;
    let invalid = c
        .find(Locator::Id("f-client-dob_claimed"))
        .await
        .unwrap()
        .attr("aria-invalid")
        .await
        .unwrap();
    assert_eq!(invalid.as_deref(), Some("true"));
    type_into(&c, "f-matter-letter_date", "next Tuesday").await;
    let error = field_error(&c, "f-matter-letter_date").await;
    assert!(
        error.contains("Write the date as day/month/year, e.g. 27/03/2024."),
        "{error}"
    );
    shot(&c, "10-date-errors-en-us").await;

    // Opening the saved case shows its dates day first again.
    click(&c, "open").await;
    let button = wait_for(
        &c,
        "(i => i >= 0 ? i + 1 : null)(Array.from(document.querySelectorAll('#case-list button')).findIndex(b => b.innerText.startsWith('us-dates.toml')))",
        "the saved case in the list",
    )
    .await;
    c.find_all(Locator::Css("#case-list button")).await.unwrap()
        [button.as_u64().unwrap() as usize - 1]
        .click()
        .await
        .unwrap();
    c.accept_alert().await.ok(); // "unsaved changes" (the errors typed since saving)
    wait_for(
        &c,
        "document.getElementById('f-matter-letter_date').value === '01/03/2026'",
        "the saved date back in its box",
    )
    .await;
    date_in_words(&c, "f-matter-letter_date", "1 March 2026").await;
    date_in_words(&c, "f-nrm-referral_date", "February 2021").await;
    c.close().await.unwrap();
}

#[test]
fn an_error_link_never_leaves_its_field_under_the_header() {
    in_chromium(error_links);
}

async fn error_links() {
    let served = Served::start();
    let browser = browser("en-GB", (1280, 800)).await;
    let c = browser.c.clone();
    log_in(&c, &served).await;
    for width in [800, 1024, 1280] {
        c.set_window_size(width, 800).await.unwrap();
        c.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
        click(&c, "check-all").await;
        // Links to boxes near the top, the middle and the end of the form.
        let targets = wait_for(
            &c,
            // "Check all" moves focus to the summary once its check is in: links found before
            // that may be replaced.
            "(() => { if (document.activeElement.id !== 'summary') return null;\
               const ids = Array.from(document.querySelectorAll('#summary a'), a => a.hash.slice(1))\
                 .filter(id => { const e = document.getElementById(id); return e && e.matches('input, select, textarea'); });\
               return ids.length >= 3 ? [ids[0], ids[Math.floor(ids.length / 2)], ids[ids.length - 1]] : null; })()",
            "error links to fields",
        )
        .await;
        for target in targets.as_array().unwrap() {
            let target = target.as_str().unwrap();
            c.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
            c.find(Locator::Css(&format!("#summary a[href=\"#{target}\"]")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            let seen = c
                .execute(
                    "const f = document.activeElement; const r = f.getBoundingClientRect();\
                     const bar = document.querySelector('header.bar').getBoundingClientRect();\
                     return [f.id, r.top, r.bottom, bar.bottom, window.innerHeight, getComputedStyle(document.querySelector('header.bar')).position];",
                    vec![],
                )
                .await
                .unwrap();
            let [id, top, bottom, bar, viewport, position] = seen.as_array().unwrap().as_slice()
            else {
                panic!("{seen}")
            };
            let number = |v: &serde_json::Value| v.as_f64().unwrap();
            assert_eq!(id, target, "at {width} px, focus went elsewhere: {seen}");
            // The header still sticks at these widths, so the test is about it.
            assert_eq!(position, "sticky", "{seen}");
            assert!(
                number(top) >= number(bar) && number(bottom) <= number(viewport),
                "at {width} px, {target} is under the header or off the screen: {seen}"
            );
        }
        shot(&c, &format!("11-error-link-{width}")).await;

        // A keyboard jump: Tab from the box before into a text box that sits under the header.
        let setup = c
            .execute(
                "const bar = document.querySelector('header.bar').getBoundingClientRect();\
                 const all = Array.from(document.querySelectorAll('#case input, #case select, #case textarea, #case button')).filter(e => e.getClientRects().length);\
                 const text = e => e.matches('input[type=text], select, textarea');\
                 const i = all.findIndex((e, n) => n > all.length / 3 && text(e) && text(all[n - 1]) && e.id);\
                 window.scrollBy(0, all[i].getBoundingClientRect().top - bar.bottom + 10);\
                 all[i - 1].focus({preventScroll: true});\
                 return [all[i].id, all[i].getBoundingClientRect().top < bar.bottom];",
                vec![],
            )
            .await
            .unwrap();
        let (next, hidden) = (setup[0].as_str().unwrap(), setup[1].clone());
        assert_eq!(hidden, json!(true), "the box starts under the header");
        c.active_element()
            .await
            .unwrap()
            .send_keys("\u{e004}")
            .await
            .unwrap();
        let seen = c
            .execute(
                "const f = document.activeElement; const r = f.getBoundingClientRect();\
                 return [f.id, r.top, r.bottom, document.querySelector('header.bar').getBoundingClientRect().bottom, window.innerHeight];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(seen[0], json!(next), "{seen}");
        let number = |i: usize| seen[i].as_f64().unwrap();
        assert!(
            number(1) >= number(3) && number(2) <= number(4),
            "at {width} px, Tab left {next} under the header or off the screen: {seen}"
        );
    }
    c.close().await.unwrap();
}

#[test]
fn unsaved_changes_are_offered_back_after_a_reload() {
    in_chromium(drafts);
}

async fn drafts() {
    let served = Served::start();
    let browser = browser("en-GB", (1400, 1000)).await;
    let c = browser.c.clone();
    log_in(&c, &served).await;
    let drafts = served.cases.join(".drafts");
    type_into(&c, "f-client-full_name", "Ardita Testova").await;
    wait_for(
        &c,
        "document.getElementById('status').innerText.startsWith('Draft kept')",
        "the draft",
    )
    .await;
    c.refresh().await.unwrap();
    let offer = wait_for(
        &c,
        "!document.getElementById('restore').hidden && document.getElementById('restore-text').innerText",
        "the offer to restore",
    )
    .await;
    assert!(
        offer
            .as_str()
            .unwrap()
            .starts_with("Restore unsaved changes from "),
        "{offer}"
    );
    let empty = c
        .execute(
            "return document.getElementById('f-client-full_name').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(empty, json!(""), "the form starts empty until restored");
    shot(&c, "12-restore-offer").await;
    click(&c, "restore-yes").await;
    wait_for(
        &c,
        "document.getElementById('f-client-full_name').value === 'Ardita Testova' && document.getElementById('restore').hidden",
        "the restored answer",
    )
    .await;

    // Discarding removes the draft from the cases folder, and nothing is offered again.
    c.refresh().await.unwrap();
    wait_for(
        &c,
        "!document.getElementById('restore').hidden",
        "the offer after another reload",
    )
    .await;
    assert_eq!(std::fs::read_dir(&drafts).unwrap().count(), 1);
    click(&c, "restore-no").await;
    wait_for(
        &c,
        "document.getElementById('restore').hidden && document.getElementById('status').innerText.includes('discarded')",
        "the discard",
    )
    .await;
    assert_eq!(std::fs::read_dir(&drafts).unwrap().count(), 0);
    c.refresh().await.unwrap();
    log_in_again(&c).await;
    let offered = c
        .execute(
            "return document.getElementById('restore').dataset.offer;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(offered, json!("none"));
    c.close().await.unwrap();
}

/// After a reload: the first check and the look for drafts are done.
async fn log_in_again(c: &Client) {
    wait_for(
        c,
        "document.querySelector('#panel-body li') && document.getElementById('restore').dataset.offer",
        "the page to load",
    )
    .await;
}

#[test]
fn evidence_references_are_picked_from_the_case_evidence_list() {
    in_chromium(evidence_choices);
}

async fn evidence_choices() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("cases")).unwrap();
    let case = dir.path().join("cases/thin.toml");
    std::fs::copy(root().join("examples/g-o-thin/case.toml"), &case).unwrap();
    let served = Served::start_in(dir, &[]);
    let browser = browser("en-GB", (1400, 1000)).await;
    let c = browser.c.clone();
    log_in(&c, &served).await;
    click(&c, "open").await;
    wait_for(
        &c,
        "document.querySelector('#case-list button')",
        "the case list",
    )
    .await;
    c.find(Locator::Css("#case-list button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(
        &c,
        "document.getElementById('f-matter-reference').value !== ''",
        "the case to open",
    )
    .await;

    // What the choices must be: the case's evidence list, enclosed documents by the tab the
    // letter gives them, the others by status.
    let expected = |path: &Path| -> Vec<(String, String)> {
        let case = vtsdraft::facts::load(path, None).unwrap().case;
        let tabs = vtsdraft::facts::derive::evidence::tabs(&case);
        case.evidence
            .iter()
            .map(|e| {
                let at = match tabs.get(&e.id) {
                    Some(tab) => format!("Tab {tab}"),
                    None => "Requested".to_string(),
                };
                (e.id.clone(), format!("{at}: {} ({})", e.description, e.id))
            })
            .collect()
    };
    let choices = |id: &str| {
        let c = c.clone();
        let script = format!(
            "return Array.from(document.getElementById('{id}').options).filter(o => o.value).map(o => [o.value, o.text]);"
        );
        async move {
            let v = c.execute(&script, vec![]).await.unwrap();
            serde_json::from_value::<Vec<(String, String)>>(v).unwrap()
        }
    };
    let listed = expected(&case);
    assert_eq!(listed.len(), 6);
    assert_eq!(choices("f-health-clinician_status_evidence").await, listed);
    // Every question that names a document offers the same list.
    let selects = c
        .execute(
            "return Array.from(document.querySelectorAll('#case select[data-kind=evref]'), s => s.id);",
            vec![],
        )
        .await
        .unwrap();
    let selects: Vec<String> = serde_json::from_value(selects).unwrap();
    assert!(selects.len() >= 4, "{selects:?}");
    for id in &selects {
        assert_eq!(choices(id).await, listed, "{id}");
    }
    // The references in the file are chosen.
    let chosen = c
        .execute(
            "return document.querySelector('#f-health-treatments .item select[data-kind=evref]').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(chosen, json!("talking-therapy-letter"));

    // Picking one stores its id.
    c.find(Locator::Css(
        "#f-health-clinician_status_evidence option[value=\"gp-registration-note\"]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    shot(&c, "13-evidence-choices").await;
    // A document added to the list is offered at once, with the next tab after the enclosed ones.
    click_add(&c, "f-evidence").await;
    let item = wait_for(
        &c,
        "(() => { const items = document.querySelectorAll('#f-evidence > .items > li'); return items.length === 7 && items[6].querySelector('[data-key=id]').id; })()",
        "a new evidence item",
    )
    .await;
    let item = item.as_str().unwrap().trim_end_matches("-id").to_string();
    type_into(&c, &format!("{item}-id"), "charity-letter").await;
    type_into(
        &c,
        &format!("{item}-description"),
        "Letter from a fictional charity",
    )
    .await;
    choose(&c, &format!("{item}-status"), "enclosed").await;
    c.find(Locator::Css(&format!(
        "#{item}-doc_type option[value=\"support_worker_letter\"]"
    )))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    wait_for(
        &c,
        "Array.from(document.getElementById('f-health-clinician_status_evidence').options).some(o => o.value === 'charity-letter')",
        "the new document among the choices",
    )
    .await;
    let text = served.cases.join("thin.toml");
    click(&c, "save").await;
    wait_for(
        &c,
        "document.getElementById('status').innerText.includes('Saved as')",
        "the save",
    )
    .await;
    let saved = std::fs::read_to_string(&text).unwrap();
    assert!(
        saved.contains("clinician_status_evidence = \"gp-registration-note\""),
        "{saved}"
    );
    let listed = expected(&text);
    assert_eq!(listed.len(), 7);
    assert_eq!(
        listed[6].1,
        "Tab 5: Letter from a fictional charity (charity-letter)"
    );
    assert_eq!(choices("f-health-clinician_status_evidence").await, listed);
    c.close().await.unwrap();
}

/// Clicks the "Add …" button of the list `id`.
async fn click_add(c: &Client, id: &str) {
    c.find(Locator::Css(&format!("#{id} > button.add")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}
