pub mod cors;
