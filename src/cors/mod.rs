//! CORS: why a page on one origin may or may not read a response from another.
//!
//! [`rules::evaluate`] is the browser's decision as a list of explained steps;
//! `static/cors-check.js` is the same rules for the explainer page's checker.

pub mod origin;
pub mod rules;
pub mod safelist;

pub use origin::{Origin, UrlError};
pub use rules::{evaluate, Credentials, Scenario, Step, Verdict};
