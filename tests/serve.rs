//! `vtsdraft serve` over real HTTP: access token, Host, CSRF, validation, files, PDF download.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{Value, json};

use crate::support::{pdf_text, root, run};

/// A running `vtsdraft serve` on a free loopback port, stopped when dropped.
pub struct Served {
    child: Child,
    pub base: String,
    pub token: String,
    pub csrf: String,
    pub cases: PathBuf,
    _dir: tempfile::TempDir,
}

impl Served {
    pub fn start() -> Served {
        Served::start_with(&[])
    }

    /// A server started with these extra flags (`--listen 127.0.0.2`).
    pub fn start_with(extra: &[&str]) -> Served {
        Served::start_in(tempfile::tempdir().unwrap(), extra)
    }

    /// A server whose cases folder is `dir/cases` (which may hold files already).
    pub fn start_in(dir: tempfile::TempDir, extra: &[&str]) -> Served {
        let cases = dir.path().join("cases");
        let mut child = Command::new(env!("CARGO_BIN_EXE_vtsdraft"))
            .args(["serve", "--port", "0", "--cases"])
            .arg(&cases)
            .arg("--firm")
            .arg(root().join("examples/firm.toml"))
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = lines
            .by_ref()
            .map(Result::unwrap)
            .find_map(|l| {
                l.trim()
                    .strip_prefix("http://")
                    .map(|u| format!("http://{u}"))
            })
            .expect("serve prints its URL");
        // Keep reading stdout in the background so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let (base, token) = url.split_once("/#token=").unwrap();
        let mut served = Served {
            child,
            base: base.to_string(),
            token: token.to_string(),
            csrf: String::new(),
            cases: cases.canonicalize().unwrap(),
            _dir: dir,
        };
        let page = served.get("/");
        assert_eq!(page.status, 200);
        served.csrf = page
            .body_text()
            .split("name=\"csrf-token\" content=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        served
    }

    pub fn host(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// Sends one request with the access token, as the page does.
    pub fn get(&self, path: &str) -> Reply {
        let token = format!("X-Vtsdraft-Token: {}\r\n", self.token);
        self.raw("GET", path, &token, b"")
    }

    /// POSTs JSON as the page does: token and CSRF headers, JSON content type.
    pub fn post(&self, path: &str, body: &Value) -> Reply {
        let headers = format!(
            "X-Vtsdraft-Token: {}\r\nX-CSRF-Token: {}\r\nContent-Type: application/json\r\nOrigin: {}\r\n",
            self.token, self.csrf, self.base
        );
        self.raw("POST", path, &headers, body.to_string().as_bytes())
    }

    /// One HTTP/1.1 request with exactly these extra headers (and our Host).
    pub fn raw(&self, method: &str, path: &str, headers: &str, body: &[u8]) -> Reply {
        let host = format!("Host: {}\r\n", self.host());
        self.raw_with_host(method, path, &host, headers, body)
    }

    pub fn raw_with_host(
        &self,
        method: &str,
        path: &str,
        host: &str,
        headers: &str,
        body: &[u8],
    ) -> Reply {
        let mut stream = TcpStream::connect(self.host()).unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\n{host}{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        // The server may answer (413) and close before a large body is all sent.
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body);
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        Reply::parse(&bytes)
    }

    /// Stops the server and returns everything it wrote to stderr.
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        let _ = self.child.wait();
        err
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = bytes[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
        {
            body = dechunk(&body);
        }
        Reply {
            status,
            headers,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body_text()))
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 2 + size + 2..];
    }
}

/// An example case as the JSON the page would send.
pub fn example_json(name: &str) -> Value {
    let text =
        std::fs::read_to_string(root().join("examples").join(name).join("case.toml")).unwrap();
    vtsdraft::facts::node::parse_toml(&text).unwrap().to_json()
}

fn explain_ids(case: &Path) -> Vec<String> {
    let out = run(
        root().as_path(),
        &[
            "explain",
            case.to_str().unwrap(),
            "--format",
            "json",
            "--firm",
            "examples/firm.toml",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    v["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_token_travels_in_a_header_never_a_cookie_or_an_address() {
    let s = Served::start();
    // The page holds no case data and loads without the token; the API does not.
    assert_eq!(s.raw("GET", "/", "", b"").status, 200);
    let r = s.raw("GET", "/api/cases", "", b"");
    assert_eq!(r.status, 401);
    assert!(r.body_text().contains("Open the address vtsdraft printed"));
    // A wrong token: 403.
    assert_eq!(
        s.raw("GET", "/api/cases", "X-Vtsdraft-Token: 00ff\r\n", b"")
            .status,
        403
    );
    // The right one in a cookie or in the address counts for nothing, and no answer sets a
    // cookie (one for 127.0.0.1 would reach every program listening there, on any port).
    let cookie = format!("Cookie: vtsdraft_token={}\r\n", s.token);
    assert_eq!(s.raw("GET", "/api/cases", &cookie, b"").status, 401);
    let query = format!("/api/cases?token={}", s.token);
    assert_eq!(s.raw("GET", &query, "", b"").status, 401);
    let r = s.get("/api/cases");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("set-cookie"), None);
    assert_eq!(s.raw("GET", "/", "", b"").header("set-cookie"), None);
    // Every response carries the security headers, refusals included.
    for r in [r, s.get("/"), s.raw("GET", "/", "", b"")] {
        let csp = r.header("content-security-policy").unwrap();
        assert!(
            csp.contains("default-src 'none'")
                && csp.contains("script-src 'self'")
                && !csp.contains("unsafe")
        );
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("cache-control"), Some("no-store"));
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
    }
    // Another site's name resolving to 127.0.0.1 is refused (DNS rebinding).
    let cookie = format!("X-Vtsdraft-Token: {}\r\n", s.token);
    let port = s.host().rsplit(':').next().unwrap().to_string();
    let r = s.raw_with_host(
        "GET",
        "/",
        &format!("Host: evil.example:{port}\r\n"),
        &cookie,
        b"",
    );
    assert_eq!(r.status, 403);
    assert_eq!(s.get("/no/such/page").status, 404);
}

#[test]
fn state_changes_need_the_csrf_token_a_json_body_and_our_origin() {
    let s = Served::start();
    let body = json!({"case": {}}).to_string();
    let cookie = format!("X-Vtsdraft-Token: {}\r\n", s.token);
    let cases = [
        format!("{cookie}Content-Type: application/json\r\n"),
        format!("{cookie}X-CSRF-Token: wrong\r\nContent-Type: application/json\r\n"),
        format!(
            "{cookie}X-CSRF-Token: {}\r\nContent-Type: text/plain\r\n",
            s.csrf
        ),
        format!(
            "{cookie}X-CSRF-Token: {}\r\nContent-Type: application/json\r\nOrigin: http://evil.example\r\n",
            s.csrf
        ),
    ];
    for headers in &cases {
        let r = s.raw("POST", "/api/save", headers, body.as_bytes());
        assert_eq!(r.status, 403, "{headers}");
    }
    assert!(
        std::fs::read_dir(&s.cases).unwrap().next().is_none(),
        "nothing was written"
    );
    let ok = format!(
        "{cookie}X-CSRF-Token: {}\r\nContent-Type: application/json\r\n",
        s.csrf
    );
    assert_eq!(
        s.raw("POST", "/api/check", &ok, body.as_bytes()).status,
        200
    );
}

#[test]
fn the_form_has_every_field_of_the_model_and_its_help() {
    let s = Served::start();
    let page = s.get("/").body_text();
    for path in vtsdraft::facts::schema::case().leaf_paths() {
        // A list of plain values is one box (one value per line), named without the `[]`.
        let path = path.trim_end_matches("[]");
        assert!(
            page.contains(&format!("data-path=\"{path}\"")),
            "{path} missing from the form"
        );
    }
    // Help text comes from the model's doc comments; enums list their meanings.
    assert!(page.contains("The firm&#39;s matter reference"));
    assert!(page.contains("A request to reconsider a VTS or MSDL refusal"));
    // Dates are typed day first, never in a box that follows the browser's locale.
    assert!(!page.contains("type=\"date\""));
    assert!(page.contains("Day/month/year, e.g. 27/03/2024"));
    // Assets are served from the binary, nothing from elsewhere.
    assert!(!page.contains("https://") && !page.contains("<script>"));
    let js = s.get("/app.js");
    assert_eq!(js.status, 200);
    assert!(
        js.header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(s.get("/app.css").status, 200);
}

#[test]
fn check_gives_the_same_messages_as_the_command_line() {
    let s = Served::start();
    let mut case = example_json("child-at-decision");
    case["nrm"]["referral_date"] = json!("2025-13");
    case["client"]["pronouns"] = json!("shee");
    let reply = s.post("/api/check", &json!({ "case": case })).json();
    assert_eq!(reply["ready"], false);
    let problems: Vec<(String, String)> = reply["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "error")
        .map(|p| {
            (
                p["field"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // The same case through `vtsdraft check --format json`.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("case.json");
    std::fs::write(&file, case.to_string()).unwrap();
    let out = run(
        root().as_path(),
        &[
            "check",
            file.to_str().unwrap(),
            "--format",
            "json",
            "--firm",
            "examples/firm.toml",
        ],
    );
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let cli: Vec<(String, String)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["field"].as_str().unwrap().to_string(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(problems, cli);
    assert!(problems.iter().any(|(f, _)| f == "nrm.referral_date"));
    assert!(
        problems
            .iter()
            .any(|(f, m)| f == "client.pronouns" && m.contains("shee"))
    );
    // Hints travel too ("did you mean").
    let pronoun = reply["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["field"] == "client.pronouns")
        .unwrap();
    assert!(pronoun["hints"].to_string().contains("she"), "{pronoun}");
}

#[test]
fn a_complete_case_shows_the_same_selection_as_explain() {
    let s = Served::start();
    let case = example_json("child-at-decision");
    let reply = s.post("/api/check", &json!({ "case": case })).json();
    assert_eq!(reply["ready"], true, "{reply}");
    let ids: Vec<String> = reply["explain"]["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        ids,
        explain_ids(&root().join("examples/child-at-decision/case.toml"))
    );
    assert!(ids.iter().any(|id| id.starts_with("ch.")), "{ids:?}");
    assert_eq!(reply["explain"]["derived"]["child_at_cg"], true);
    // Child-care questions are shown for a child, with the reason.
    let shown = reply["relevance"]["shown"].to_string();
    assert!(shown.contains("family.looked_after") && shown.contains("was a child"));
}

#[test]
fn saving_round_trips_and_never_replaces_silently() {
    let s = Served::start();
    let case = example_json("child-at-decision");
    let r = s.post("/api/save", &json!({"name": "Gjoka 2026", "case": case}));
    assert_eq!(r.status, 200, "{}", r.body_text());
    let saved = r.json();
    assert_eq!(saved["name"], "Gjoka 2026.toml");
    let file = s.cases.join("Gjoka 2026.toml");
    // The saved TOML is a case file like any other: `check` passes and `explain` agrees.
    let out = run(
        root().as_path(),
        &[
            "check",
            file.to_str().unwrap(),
            "--firm",
            "examples/firm.toml",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        explain_ids(&file),
        explain_ids(&root().join("examples/child-at-decision/case.toml"))
    );
    // A page that did not open the file may not replace it; the page that did may.
    let again = s.post(
        "/api/save",
        &json!({"name": "Gjoka 2026", "case": {"matter": {}}}),
    );
    assert_eq!(again.status, 409);
    assert!(
        again.json()["error"]
            .as_str()
            .unwrap()
            .contains("already exists")
    );
    let opened = s
        .post("/api/open", &json!({"name": "Gjoka 2026.toml"}))
        .json();
    assert_eq!(opened["case"], case);
    assert_eq!(opened["sha"], saved["sha"]);
    let mut edited = case.clone();
    edited["client"]["full_name"] = json!("Ëndri Gjoka-Test");
    let r = s.post(
        "/api/save",
        &json!({"name": "Gjoka 2026.toml", "case": edited, "sha": saved["sha"]}),
    );
    assert_eq!(r.status, 200);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("Gjoka-Test")
    );
    // The old hash no longer matches what is on disk.
    let stale = s.post(
        "/api/save",
        &json!({"name": "Gjoka 2026.toml", "case": case, "sha": saved["sha"]}),
    );
    assert_eq!(stale.status, 409);
    // Confirmed replacement.
    assert_eq!(
        s.post(
            "/api/save",
            &json!({"name": "Gjoka 2026.toml", "case": case, "replace": true})
        )
        .status,
        200
    );
}

#[test]
fn no_path_outside_the_cases_folder_is_reachable() {
    let s = Served::start();
    std::fs::write(s.cases.parent().unwrap().join("outside.toml"), "[matter]\n").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", s.cases.join("link.toml")).unwrap();
    for name in [
        "../outside.toml",
        "/etc/passwd",
        "..",
        "sub/x.toml",
        ".drafts/../../outside.toml",
        "link.toml",
        "x\u{0}.toml",
        "%2e%2e/outside.toml",
    ] {
        let r = s.post("/api/open", &json!({"name": name}));
        assert!(matches!(r.status, 400 | 404), "{name}: {}", r.status);
        let r = s.post("/api/save", &json!({"name": name, "case": {}}));
        assert!(matches!(r.status, 400 | 409), "{name}: {}", r.status);
    }
    assert_eq!(
        s.post("/api/draft", &json!({"draft": "../x", "case": {}}))
            .status,
        400
    );
    assert_eq!(
        std::fs::read_to_string(s.cases.parent().unwrap().join("outside.toml")).unwrap(),
        "[matter]\n"
    );
    // The listing shows neither the link nor anything outside.
    let list = s.get("/api/cases").json();
    assert_eq!(list["cases"], json!([]));
    assert_eq!(
        s.post("/api/open", &json!({"name": "missing.toml"})).status,
        404
    );
}

#[test]
fn drafts_keep_unfinished_work_and_are_listed() {
    let s = Served::start();
    let partial = json!({"client": {"full_name": "Half Done", "dob_claimed": "2009-02-"}});
    let r = s.post(
        "/api/draft",
        &json!({"draft": "untitled-0a1b", "case": partial}),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    let list = s.get("/api/cases").json();
    assert_eq!(list["cases"][0]["name"], "untitled-0a1b.toml");
    assert_eq!(list["cases"][0]["draft"], true);
    // Opening the draft gives back exactly what was typed, invalid date and all.
    let opened = s
        .post(
            "/api/open",
            &json!({"name": "untitled-0a1b.toml", "draft": true}),
        )
        .json();
    assert_eq!(opened["case"], partial);
    // Saving the case for real removes its draft.
    let r = s.post(
        "/api/save",
        &json!({"name": "half", "case": partial, "draft": "untitled-0a1b"}),
    );
    assert_eq!(r.status, 200);
    let names: Vec<Value> = s.get("/api/cases").json()["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].clone())
        .collect();
    assert_eq!(names, vec![json!("half.toml")]);
}

#[test]
fn a_draft_comes_back_with_the_file_it_belongs_to_or_is_discarded() {
    let s = Served::start();
    let case = json!({"matter": {"reference": "VTS-TEST-0002"}});
    let saved = s
        .post("/api/save", &json!({"name": "vts-2", "case": case}))
        .json();
    let sha = saved["sha"].as_str().unwrap();
    let edited = json!({"matter": {"reference": "VTS-TEST-0002", "letter_mode": "pre_decision"}});
    let r = s.post(
        "/api/draft",
        &json!({"draft": "untitled-0c0d", "case": edited, "name": "vts-2.toml", "sha": sha}),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());
    let opened = s
        .post(
            "/api/open",
            &json!({"name": "untitled-0c0d.toml", "draft": true}),
        )
        .json();
    assert_eq!(opened["case"], edited);
    assert_eq!(opened["draftOf"], json!({"name": "vts-2.toml", "sha": sha}));
    // Our own lines are not the user's comments.
    assert_eq!(opened["hasComments"], false);
    // The restored draft saves over the file it came from, as the page that opened it could.
    let r = s.post(
        "/api/save",
        &json!({"name": "vts-2.toml", "case": edited, "sha": sha, "draft": "untitled-0c0d"}),
    );
    assert_eq!(r.status, 200, "{}", r.body_text());

    // Discarding removes a draft; a bad id is refused.
    s.post(
        "/api/draft",
        &json!({"draft": "untitled-0e0f", "case": edited}),
    );
    let drafts = s.cases.join(".drafts");
    assert_eq!(std::fs::read_dir(&drafts).unwrap().count(), 1);
    let r = s.post("/api/draft/discard", &json!({"draft": "untitled-0e0f"}));
    assert_eq!(r.status, 200, "{}", r.body_text());
    assert_eq!(std::fs::read_dir(&drafts).unwrap().count(), 0);
    assert_eq!(
        s.post("/api/draft/discard", &json!({"draft": "../half"}))
            .status,
        400
    );
}

#[test]
fn download_builds_the_letter_and_refuses_an_incomplete_case() {
    let s = Served::start();
    let mut case = example_json("child-at-decision");
    // Hostile text prints literally, as everywhere else.
    case["client"]["aliases"] = json!(["#read(\"/etc/passwd\")", "]*$@"]);
    let r = s.post("/api/download", &json!({ "case": case }));
    assert_eq!(r.status, 200, "{}", r.body_text());
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    let reference = case["matter"]["reference"].as_str().unwrap();
    assert!(
        r.header("content-disposition")
            .unwrap()
            .contains(&format!("{reference}.pdf"))
    );
    assert!(r.body.starts_with(b"%PDF-"));
    let text = pdf_text(&r.body);
    assert!(text.contains("Gjoka"), "{text}");
    assert!(!text.contains("root:x:0:0"));
    // The reviewer's copy: the same letter with each clause's reasons.
    let r = s.post("/api/download", &json!({ "case": case, "kind": "review" }));
    assert_eq!(r.status, 200, "{}", r.body_text());
    assert!(
        r.header("content-disposition")
            .unwrap()
            .contains(&format!("{reference}.review.pdf"))
    );
    let review = pdf_text(&r.body);
    assert!(review.contains("ch.s55_best_interests"), "{review}");
    // The Word document, from the same output path as `build --emit docx`.
    let r = s.post("/api/download", &json!({ "case": case, "kind": "docx" }));
    assert_eq!(r.status, 200, "{}", r.body_text());
    assert_eq!(
        r.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    );
    assert!(
        r.header("content-disposition")
            .unwrap()
            .contains(&format!("{reference}.docx"))
    );
    let text = crate::docx::docx_text(&r.body);
    assert!(text.contains("Gjoka") && text.contains("#read"), "{text}");
    // An unknown kind is the page's mistake, answered as such.
    let r = s.post("/api/download", &json!({ "case": case, "kind": "html" }));
    assert_eq!(r.status / 100, 4, "{}", r.body_text());
    let r = s.post(
        "/api/download",
        &json!({"case": {"matter": {"reference": "X"}}}),
    );
    assert_eq!(r.status, 422);
    assert!(
        r.json()["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["field"] == "client")
    );
    // Oversized bodies are refused before they are read.
    let big = json!({"case": {"client": {"full_name": "x".repeat(5 * 1024 * 1024)}}});
    assert_eq!(s.post("/api/check", &big).status, 413);
    // Case data never reaches the server's own output.
    let err = s.stop();
    assert!(!err.contains("Gjoka") && !err.contains("passwd"), "{err}");
}
