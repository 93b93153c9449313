//! One integration test binary (faster to link than one per file).

mod absorb;
mod bad_input;
mod batch;
mod browser;
mod cli;
mod diff;
mod docx;
mod drafting;
mod facts;
mod fuzz_corpus;
mod golden;
mod hardening;
mod hostile;
mod injection;
mod legal;
mod pdf;
mod periods;
mod proptest;
mod review;
mod scenarios;
mod serve;
mod support;
mod typography;
mod verify;
