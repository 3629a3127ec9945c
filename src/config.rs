//! `book.toml`: mdBook's keys where they exist, logsite's own under `[hours]`,
//! `[sections]` and `[topics]`. Every key has a default, so the file is optional;
//! unknown keys are errors, so a typo names the key instead of being ignored.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::Weekday;
use serde::Deserialize;

/// The whole configuration of one log folder.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub book: BookConfig,
    pub build: BuildConfig,
    pub hours: HoursConfig,
    pub sections: SectionsConfig,
    pub topics: TopicsConfig,
    pub output: OutputConfig,
}

/// `[book]`: as in mdBook.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookConfig {
    pub title: Option<String>,
    pub authors: Vec<String>,
    /// `ja` (the default) or `en`: the site's own words and `<html lang>`.
    pub language: String,
    pub description: Option<String>,
    /// The folder of notes, relative to the log folder (mdBook's `src`).
    pub src: PathBuf,
}

impl Default for BookConfig {
    fn default() -> Self {
        BookConfig {
            title: None,
            authors: Vec::new(),
            language: "ja".into(),
            description: None,
            src: PathBuf::from("content"),
        }
    }
}

/// `[build]`: as in mdBook.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildConfig {
    /// Where the site is written, relative to the log folder.
    pub build_dir: PathBuf,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            build_dir: PathBuf::from("public"),
        }
    }
}

/// `[hours]`: how study time is counted.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct HoursConfig {
    /// Task titles containing one of these words add nothing to the day.
    pub exclude: Vec<String>,
    /// Hours logged before the first note, as a duration (`42h 55m`); inferred when unset.
    pub baseline: Option<String>,
    /// First day of a week: `monday` (ISO, the default) … `sunday`.
    #[serde(deserialize_with = "de_weekday")]
    pub week_start: Weekday,
    /// Hours to study each week, as a duration (`15h`): progress is shown against it.
    pub weekly_goal: Option<String>,
}

impl Default for HoursConfig {
    fn default() -> Self {
        HoursConfig {
            exclude: Vec::new(),
            baseline: None,
            week_start: Weekday::Mon,
            weekly_goal: None,
        }
    }
}

fn de_weekday<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
    let s = String::deserialize(d)?;
    s.parse::<Weekday>()
        .map_err(|_| serde::de::Error::custom(format!("`{s}` is not a weekday (monday … sunday)")))
}

/// `[sections]`: extra heading names for each role, added to the built-in ones.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct SectionsConfig {
    pub tasks: Vec<String>,
    pub problems: Vec<String>,
    pub learnings: Vec<String>,
    pub feelings: Vec<String>,
    pub next: Vec<String>,
    pub hours: Vec<String>,
    /// Sections never published: no page, feed, index, export or count sees them.
    pub private: Vec<String>,
}

/// `[topics]`: the words that make topic pages.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct TopicsConfig {
    /// The topic words; front-matter `tags` are topics too.
    pub list: Vec<String>,
}

impl Default for TopicsConfig {
    fn default() -> Self {
        let list = [
            "CORS",
            "CloudFront",
            "S3",
            "Route53",
            "ACM",
            "ALB",
            "ECS",
            "ECR",
            "RDS",
            "Lambda",
            "IAM",
            "VPC",
            "CloudWatch",
            "Docker",
            "FastAPI",
            "Next.js",
            "React",
            "MySQL",
            "PostgreSQL",
            "Terraform",
            "Datadog",
            "GitHub Actions",
            "CI/CD",
            "TypeScript",
            "Python",
            "Nginx",
            "Redis",
            "SLA",
        ];
        TopicsConfig {
            list: list.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// `[output]`: as in mdBook, only `html` is known.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct OutputConfig {
    pub html: HtmlConfig,
}

/// `[output.html]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct HtmlConfig {
    /// Absolute URL of the site (`https://user.github.io/repo/`), used only where one is
    /// required: feed, sitemap, canonical links, 404 page. Everything else is relative.
    pub site_url: Option<String>,
    /// Render raw HTML written in notes instead of escaping it.
    pub allow_html: bool,
    /// Show the streak of consecutive days on the dashboard (rest days are healthy: turn off).
    pub show_streak: bool,
}

impl Default for HtmlConfig {
    fn default() -> Self {
        HtmlConfig {
            site_url: None,
            allow_html: false,
            show_streak: true,
        }
    }
}

impl Config {
    /// Reads `<root>/book.toml`; a missing file gives the defaults.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join("book.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        Config::from_toml(&text).with_context(|| format!("{} is not valid", path.display()))
    }

    /// Parses book.toml text; errors name the line and column.
    pub fn from_toml(text: &str) -> Result<Config> {
        let config: Config = toml::from_str(text.trim_start_matches('\u{feff}'))?;
        if !matches!(config.book.language.as_str(), "ja" | "en") {
            anyhow::bail!(
                "[book] language = {:?}: logsite speaks `ja` and `en`",
                config.book.language
            );
        }
        if let Some(baseline) = &config.hours.baseline {
            if crate::note::duration::parse(baseline).is_none() {
                anyhow::bail!("[hours] baseline = {baseline:?} is not a duration (like `42h 55m`)");
            }
        }
        if let Some(goal) = &config.hours.weekly_goal {
            if crate::note::duration::parse(goal).is_none_or(|m| m == 0) {
                anyhow::bail!(
                    "[hours] weekly-goal = {goal:?} is not a duration above zero (like `15h`)"
                );
            }
        }
        Ok(config)
    }

    /// The weekly goal in minutes, where configured.
    pub fn weekly_goal_minutes(&self) -> Option<u32> {
        self.hours
            .weekly_goal
            .as_deref()
            .and_then(crate::note::duration::parse)
    }

    /// The baseline in minutes, where configured.
    pub fn baseline_minutes(&self) -> Option<u32> {
        self.hours
            .baseline
            .as_deref()
            .and_then(crate::note::duration::parse)
    }
}
