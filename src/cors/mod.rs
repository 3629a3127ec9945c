//! CORS: why a page on one origin may or may not read a response from another.
//!
//! [`rules::evaluate`] is the browser's decision as a list of explained steps;
//! `static/cors-check.js` (with `cors-safelist.js` and `cors-checks.js`) is
//! the same rules for the explainer page's checker;
//! [`probe::run_probe`] asks a real server and feeds its answers to the same
//! rules.

mod checks;
pub mod origin;
pub mod probe;
pub mod rules;
pub mod safelist;

pub use origin::{Origin, UrlError};
pub use probe::{run_probe, ProbeArgs};
pub use rules::{
    evaluate, evaluate_until, next_request, Credentials, NextRequest, Redirect, Scenario, Step,
    Until, Verdict,
};
