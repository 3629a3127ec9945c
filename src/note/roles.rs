//! Section roles: which `##` heading is the task list, the problems, and so on.

use serde::Serialize;

use crate::config::SectionsConfig;
use crate::text::fold;

/// What a section is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Tasks,
    Problems,
    Learnings,
    Feelings,
    Next,
    Hours,
    /// Never published.
    Private,
}

impl Role {
    /// The role's name, as serialized (`role-…` classes of the day page).
    pub fn name(self) -> &'static str {
        match self {
            Role::Tasks => "tasks",
            Role::Problems => "problems",
            Role::Learnings => "learnings",
            Role::Feelings => "feelings",
            Role::Next => "next",
            Role::Hours => "hours",
            Role::Private => "private",
        }
    }
}

/// Heading names per role, folded (NFKC, lower case, trimmed) for matching.
#[derive(Clone, Debug)]
pub struct Roles {
    names: Vec<(String, Role)>,
}

impl Roles {
    /// The built-in names plus those of `[sections]` in book.toml.
    pub fn new(config: &SectionsConfig) -> Roles {
        let builtin: [(Role, &[&str]); 7] = [
            (Role::Tasks, &["取り組んだ課題一覧", "Tasks"]),
            (Role::Problems, &["現在発生している問題", "Problems"]),
            (Role::Learnings, &["わかったこと", "Learnings"]),
            (Role::Feelings, &["感じたこと", "Feelings", "Reflections"]),
            (Role::Next, &["次やること", "Next", "Next steps"]),
            (Role::Hours, &["学習時間", "Study time", "Hours"]),
            (Role::Private, &["非公開", "Private"]),
        ];
        let configured: [(Role, &Vec<String>); 7] = [
            (Role::Tasks, &config.tasks),
            (Role::Problems, &config.problems),
            (Role::Learnings, &config.learnings),
            (Role::Feelings, &config.feelings),
            (Role::Next, &config.next),
            (Role::Hours, &config.hours),
            (Role::Private, &config.private),
        ];
        let mut names = Vec::new();
        for (role, list) in builtin {
            names.extend(list.iter().map(|n| (fold(n), role)));
        }
        for (role, list) in configured {
            names.extend(list.iter().map(|n| (fold(n), role)));
        }
        Roles { names }
    }

    /// Every name of `role`, folded.
    pub fn names_of(&self, role: Role) -> Vec<&str> {
        self.names
            .iter()
            .filter(|(_, r)| *r == role)
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// The role of a heading, if it names one.
    pub fn of(&self, heading: &str) -> Option<Role> {
        let key = fold(heading);
        self.names.iter().find(|(n, _)| *n == key).map(|(_, r)| *r)
    }
}

impl Default for Roles {
    fn default() -> Self {
        Roles::new(&SectionsConfig::default())
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn names_are_the_serialized_names() {
        use Role::*;
        for role in [Tasks, Problems, Learnings, Feelings, Next, Hours, Private] {
            assert_eq!(serde_json::to_value(role).unwrap(), role.name());
        }
    }
}
