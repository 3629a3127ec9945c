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

    /// The role of a heading, if it names one: the name alone, or followed by a colon
    /// or an aside in parentheses (`次やること：`, `取り組んだ課題一覧（5/5）`), or a
    /// Japanese name followed by more after a separator (`わかったこと・学び`). A heading
    /// holding a Japanese private name anywhere (`非公開メモ`, `メモ（非公開）`) is
    /// private: hiding too much is the safe mistake.
    pub fn of(&self, heading: &str) -> Option<Role> {
        let key = fold(heading);
        let key = key.trim();
        let japanese = |name: &str| !name.is_ascii();
        if (self.names.iter())
            .any(|(n, r)| *r == Role::Private && japanese(n) && key.contains(n.as_str()))
        {
            return Some(Role::Private);
        }
        let bare = without_asides(key);
        if let Some((_, role)) = self.names.iter().find(|(n, _)| n == bare) {
            return Some(*role);
        }
        (self.names.iter())
            .filter(|(n, _)| japanese(n))
            .filter(|(n, _)| {
                bare.strip_prefix(n.as_str())
                    .is_some_and(|rest| rest.starts_with(SEPARATORS))
            })
            .max_by_key(|(n, _)| n.len())
            .map(|(_, r)| *r)
    }

    /// A role whose name a heading holds without naming it (`現在発生している問題点`,
    /// `今日の取り組んだ課題一覧`), for a warning: its items are not read as that role's.
    pub fn near_miss(&self, heading: &str) -> Option<(&str, Role)> {
        if self.of(heading).is_some() {
            return None;
        }
        let key = fold(heading);
        (self.names.iter())
            .filter(|(n, r)| *r != Role::Private && !n.is_ascii() && key.contains(n.as_str()))
            .max_by_key(|(n, _)| n.len())
            .map(|(n, r)| (n.as_str(), *r))
    }
}

/// What may follow a Japanese section name before more words (`わかったこと・学び`),
/// once folded.
const SEPARATORS: [char; 9] = ['・', '/', '、', ',', ' ', '&', '|', '+', '-'];

/// A folded heading without trailing colons and parenthesised asides.
fn without_asides(mut key: &str) -> &str {
    loop {
        let before = key;
        key = key.trim_end().trim_end_matches(':').trim_end();
        if key.ends_with(')') {
            if let Some(open) = key.rfind('(') {
                key = &key[..open];
            }
        }
        if key == before {
            return key;
        }
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
    fn headings_name_a_role_with_a_colon_an_aside_or_more_words() {
        let roles = super::Roles::default();
        for (heading, role) in [
            ("取り組んだ課題一覧", Some(Role::Tasks)),
            ("取り組んだ課題一覧：", Some(Role::Tasks)),
            ("取り組んだ課題一覧 (5/5)", Some(Role::Tasks)),
            ("次やること（明日）：", Some(Role::Next)),
            ("学習時間（累計）", Some(Role::Hours)),
            ("わかったこと・学び", Some(Role::Learnings)),
            ("わかったこと／メモ", Some(Role::Learnings)),
            ("Next steps:", Some(Role::Next)),
            ("Tasks (today)", Some(Role::Tasks)),
            ("非公開メモ", Some(Role::Private)),
            ("メモ（非公開）", Some(Role::Private)),
            // Not the name alone, and nothing between: not read as it, warned about.
            ("現在発生している問題点", None),
            ("今日の取り組んだ課題一覧", None),
            // English names match only whole: these are about the subject.
            ("Private subnet の構築", None),
            ("Next.js の学習", None),
            ("()", None),
            ("", None),
        ] {
            assert_eq!(roles.of(heading), role, "{heading}");
        }
        assert_eq!(
            roles.near_miss("現在発生している問題点"),
            Some(("現在発生している問題", Role::Problems))
        );
        assert_eq!(roles.near_miss("取り組んだ課題一覧："), None);
        assert_eq!(roles.near_miss("非公開の話"), None);
    }

    #[test]
    fn names_are_the_serialized_names() {
        use Role::*;
        for role in [Tasks, Problems, Learnings, Feelings, Next, Hours, Private] {
            assert_eq!(serde_json::to_value(role).unwrap(), role.name());
        }
    }
}
