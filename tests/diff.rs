//! `vtsdraft diff` tests (issue 6).
