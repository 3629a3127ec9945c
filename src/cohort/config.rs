//! `cohort.toml`: the cohort's title and its members, each with exactly one source.
//! Unknown keys are errors naming the member, as in `book.toml`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Deserialize;

/// The whole file.
#[derive(Debug)]
pub struct CohortConfig {
    pub cohort: CohortSettings,
    pub members: Vec<MemberConfig>,
}

/// `[cohort]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CohortSettings {
    pub title: Option<String>,
    /// `ja` (the default) or `en`.
    pub language: String,
    /// Hours a learner aims for each week, as a duration (`10h`).
    pub weekly_goal: Option<String>,
    /// Absolute URL the cohort site is served from.
    pub site_url: Option<String>,
    /// Where the site is written, relative to the cohort folder.
    pub build_dir: PathBuf,
}

impl Default for CohortSettings {
    fn default() -> Self {
        CohortSettings {
            title: None,
            language: "ja".into(),
            weekly_goal: None,
            site_url: None,
            build_dir: PathBuf::from("public"),
        }
    }
}

/// One `[[member]]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MemberConfig {
    pub name: String,
    /// A logsite log folder, relative to the cohort folder.
    pub log: Option<PathBuf>,
    /// A `data/log.json`: a file (relative to the cohort folder) or an http(s) URL.
    pub data: Option<String>,
    /// Where the learner's own site lives.
    pub site: Option<String>,
}

/// Where a member's data comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A log folder: built into the cohort's `NAME/` with `build`'s rules.
    Log(PathBuf),
    /// A `log.json` file.
    File(PathBuf),
    /// A `log.json` URL.
    Url(String),
}

impl MemberConfig {
    /// The member's one source, paths resolved against the cohort folder `dir`.
    pub fn source(&self, dir: &Path) -> Result<Source> {
        match (&self.log, &self.data) {
            (Some(log), None) => Ok(Source::Log(dir.join(log))),
            (None, Some(data)) if data.starts_with("http://") || data.starts_with("https://") => {
                Ok(Source::Url(data.clone()))
            }
            (None, Some(data)) => Ok(Source::File(dir.join(data))),
            (None, None) => bail!(
                "member \"{}\" has no source: give it `log = \"path/to/their/log\"` or `data = \"path or URL of their data/log.json\"`",
                self.name
            ),
            (Some(_), Some(_)) => bail!(
                "member \"{}\" has two sources (`log` and `data`): keep one",
                self.name
            ),
        }
    }
}

/// Names a member folder may not take: the cohort's own files live there.
const RESERVED: &[&str] = &[
    "static",
    "data",
    "index.html",
    "problems.html",
    "activity.html",
];

impl CohortConfig {
    /// Reads `DIR/cohort.toml`.
    pub fn load(dir: &Path) -> Result<CohortConfig> {
        let path = dir.join("cohort.toml");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        CohortConfig::parse(&text).with_context(|| format!("in {}", path.display()))
    }

    /// Parses the file's text. Each member is read on its own, so an error names it.
    pub fn parse(text: &str) -> Result<CohortConfig> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            #[serde(default)]
            cohort: Option<toml::Value>,
            #[serde(default)]
            member: Vec<toml::Table>,
        }
        let raw: Raw = toml::from_str(text)?;
        let cohort = match raw.cohort {
            Some(v) => CohortSettings::deserialize(v).context("in [cohort]")?,
            None => CohortSettings::default(),
        };
        let mut members = Vec::with_capacity(raw.member.len());
        let mut seen = HashSet::new();
        for (i, table) in raw.member.into_iter().enumerate() {
            let label = match table.get("name").and_then(|n| n.as_str()) {
                Some(name) => format!("member \"{name}\""),
                None => format!("member #{} (no name)", i + 1),
            };
            let member = MemberConfig::deserialize(toml::Value::Table(table))
                .with_context(|| format!("in {label}"))?;
            check_name(&member.name).with_context(|| format!("in {label}"))?;
            // Folder names compare without case: macOS and Windows would merge them.
            if !seen.insert(member.name.to_lowercase()) {
                bail!(
                    "member \"{}\" is listed twice: each member needs its own name",
                    member.name
                );
            }
            members.push(member);
        }
        if members.is_empty() {
            bail!("no [[member]]: list each learner with `name` and `log` or `data`");
        }
        Ok(CohortConfig { cohort, members })
    }
}

/// A name becomes the folder of the member's copy of their site: one path segment.
fn check_name(name: &str) -> Result<()> {
    let bad = name.trim().is_empty()
        || name.trim() != name
        || name.starts_with('.')
        || name
            .chars()
            .any(|c| c.is_control() || "/\\:*?\"<>|".contains(c))
        || RESERVED.contains(&name.to_lowercase().as_str());
    if bad {
        bail!(
            "the name \"{name}\" cannot be a folder name: use letters, digits, `-` or `_` (not {})",
            RESERVED.join(", ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> String {
        format!("{:#}", CohortConfig::parse(text).unwrap_err())
    }

    #[test]
    fn an_unknown_key_names_the_member_and_the_key() {
        let e = error_of("[[member]]\nname = \"aiko\"\nlog = \"a\"\nsite-ur = \"x\"\n");
        assert!(
            e.contains("member \"aiko\"") && e.contains("site-ur"),
            "{e}"
        );
    }

    #[test]
    fn sources_are_exactly_one() {
        let dir = Path::new("/c");
        let c = CohortConfig::parse(
            "[[member]]\nname = \"a\"\n\n[[member]]\nname = \"b\"\nlog = \"x\"\ndata = \"y\"\n",
        )
        .unwrap();
        let e = format!("{:#}", c.members[0].source(dir).unwrap_err());
        assert!(e.contains("member \"a\" has no source"), "{e}");
        let e = format!("{:#}", c.members[1].source(dir).unwrap_err());
        assert!(e.contains("member \"b\" has two sources"), "{e}");
    }

    #[test]
    fn urls_and_files_are_told_apart() {
        let c = CohortConfig::parse(
            "[[member]]\nname = \"a\"\ndata = \"https://x.test/data/log.json\"\n[[member]]\nname = \"b\"\ndata = \"b.json\"\n",
        )
        .unwrap();
        let dir = Path::new("/c");
        assert_eq!(
            c.members[0].source(dir).unwrap(),
            Source::Url("https://x.test/data/log.json".into())
        );
        assert_eq!(
            c.members[1].source(dir).unwrap(),
            Source::File("/c/b.json".into())
        );
    }

    #[test]
    fn names_that_are_not_one_folder_are_refused() {
        for name in ["../up", ".hidden", "static", "a/b", ""] {
            let e = error_of(&format!("[[member]]\nname = \"{name}\"\nlog = \"x\"\n"));
            assert!(e.contains("cannot be a folder name"), "{name}: {e}");
        }
    }
}
