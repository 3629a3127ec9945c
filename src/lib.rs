//! logsite turns a folder of daily learning notes (日報) into a static site.
//!
//! The pipeline runs in one direction, one module per stage:
//!
//! ```text
//! load  (book.toml, content/, front matter, bytes → text)
//!   → note  (one Markdown file → a typed Note: tasks, problems, steps, declared hours)
//!   → log   (all notes → days, weeks, totals, topics, knowledge base; computed once)
//!   → site  (the Log + templates → pages, feed, sitemap, data/log.json, written atomically)
//! ```
//!
//! `markdown` is pulldown-cmark with the Japanese fixes of CJK.md; `cmd` holds the
//! command-line commands as thin shells over the stages.

pub mod cmd;
pub mod cohort;
pub mod config;
pub mod cors;
pub mod diagnostic;
pub mod load;
pub mod log;
pub mod markdown;
pub mod note;
pub mod serve;
pub mod site;
pub mod text;
