//! The site's own words in Japanese (`ja`, the default) and English (`en`).

use crate::text::push_decimal;
use chrono::{Datelike, NaiveDate, Weekday};

/// Every label templates use, by key.
pub fn labels(lang: &str) -> Vec<(&'static str, &'static str)> {
    let ja = lang != "en";
    let pick = |j: &'static str, e: &'static str| if ja { j } else { e };
    vec![
        ("home", pick("ホーム", "Home")),
        ("archive", pick("アーカイブ", "Archive")),
        ("weeks", pick("週報", "Weeks")),
        ("week", pick("週", "Week")),
        ("topics", pick("トピック", "Topics")),
        ("next", pick("次やること", "Next steps")),
        ("kb", pick("トラブルシューティング", "Troubleshooting")),
        ("explainers", pick("解説", "Explainers")),
        ("search", pick("検索", "Search")),
        ("menu", pick("メニュー", "Menu")),
        ("month", pick("月", "Month")),
        (
            "search_placeholder",
            pick(
                "日報・解説を検索（例: CORS、キャッシュ）",
                "Search notes and pages (e.g. CORS, cache)",
            ),
        ),
        ("total", pick("累計", "Total")),
        ("this_week", pick("今週", "This week")),
        ("last_week", pick("先週", "Last week")),
        ("last_7_days", pick("直近7日", "Last 7 days")),
        ("active_days", pick("記録した日", "Active days")),
        ("streak", pick("連続記録", "Streak")),
        ("days_unit", pick("日", "days")),
        (
            "hours_per_week",
            pick(
                "週ごとの学習時間（直近12週）",
                "Hours per week (last 12 weeks)",
            ),
        ),
        (
            "calendar",
            pick("学習カレンダー（直近1年）", "Study calendar (last year)"),
        ),
        ("open_problems", pick("未解決の問題", "Open problems")),
        (
            "due_soon",
            pick(
                "期限が近い・過ぎた次やること",
                "Next steps due soon or overdue",
            ),
        ),
        ("latest", pick("最近の日報", "Latest notes")),
        ("tasks", pick("取り組んだ課題", "Tasks")),
        ("hours", pick("学習時間", "Study time")),
        ("declared", pick("記入", "Declared")),
        ("computed", pick("計算", "Computed")),
        ("today", pick("今日", "Today")),
        ("excluded", pick("学習時間に含めない", "not counted")),
        ("prev_day", pick("前の日", "Previous day")),
        ("next_day", pick("次の日", "Next day")),
        ("images", pick("画像", "Images")),
        ("learnings", pick("わかったこと", "Learnings")),
        ("problems", pick("問題", "Problems")),
        ("opened", pick("発生", "Opened")),
        ("resolved", pick("解決済み", "Resolved")),
        ("open", pick("未解決", "Open")),
        ("status", pick("状態", "Status")),
        ("first_seen", pick("初出", "First seen")),
        ("last_seen", pick("最終", "Last seen")),
        ("days_open", pick("日数", "Days open")),
        ("symptoms", pick("症状", "Symptoms")),
        ("analysis", pick("原因の推測", "Suspected causes")),
        ("learned", pick("わかったこと", "What was learned")),
        ("fix", pick("解決方法", "Fix")),
        ("verified", pick("確認", "How it was verified")),
        ("timeline", pick("経過", "Timeline")),
        ("area", pick("分野", "Area")),
        ("due", pick("期限", "Due")),
        ("written_on", pick("記入日", "Written on")),
        ("overdue", pick("期限切れ", "Overdue")),
        ("upcoming", pick("期限がこれから", "Due later")),
        ("no_due", pick("期限なし", "No deadline")),
        (
            "earlier_steps",
            pick("それ以前の次やること（月ごと）", "Earlier steps, by month"),
        ),
        ("steps_written", pick("件数", "Steps")),
        ("steps_done", pick("完了", "Done")),
        ("steps_open", pick("未完了", "Open")),
        ("feelings", pick("感じたこと", "Feelings")),
        ("top_of_page", pick("ページ上部", "top of the page")),
        ("newest_note", pick("最新の日報", "The newest note")),
        (
            "hours_per_area",
            pick("今週の分野別の学習時間", "Hours per area this week"),
        ),
        (
            "declared_differs",
            pick("申告と計算が違う", "declared differs"),
        ),
        ("weekly_goal", pick("今週の目標", "Weekly goal")),
        ("goal_of_week", pick("目標", "Goal")),
        ("goal_reached", pick("達成", "reached")),
        ("week_report", pick("週報", "Weekly report")),
        (
            "copy_markdown",
            pick("Markdownでコピー", "Copy as Markdown"),
        ),
        ("copied", pick("コピーしました", "Copied")),
        (
            "show_markdown",
            pick("週報のMarkdownを表示", "Show the report's Markdown"),
        ),
        ("steps_dropped", pick("取りやめ", "Dropped")),
        ("done_on", pick("完了", "Done on")),
        ("probably_done_on", pick("たぶん完了", "Probably done on")),
        (
            "dropped_on",
            pick("次やることから消えた日", "Last listed before"),
        ),
        ("closed_by_check", pick("チェック済み", "checked")),
        ("closed_by_task", pick("課題として記録", "logged as a task")),
        ("none", pick("なし", "None")),
        ("all", pick("すべて", "All")),
        ("mentions", pick("言及した日", "Days that mention it")),
        (
            "not_found",
            pick("ページが見つかりません", "Page not found"),
        ),
        (
            "not_found_text",
            pick(
                "お探しのページは見つかりませんでした。",
                "The page you asked for does not exist.",
            ),
        ),
        ("no_notes", pick("まだ日報がありません。", "No notes yet.")),
        ("minutes_of_day", pick("その日の学習時間", "Hours that day")),
        ("filter", pick("絞り込み", "Filter")),
        ("handwritten", pick("手書きの記事", "Hand-written entry")),
        ("feed", pick("フィード", "Feed")),
        ("about", pick("このログについて", "About")),
        ("explainer_link", pick("解説を読む", "Read the explainer")),
        (
            "kb_link",
            pick("トラブルシューティングで見る", "See in troubleshooting"),
        ),
        ("less", pick("少", "Less")),
        ("more", pick("多", "More")),
        ("no_study", pick("記録なし", "no note")),
    ]
}

/// A date for people: `2025年4月28日(月)` or `Mon, 28 Apr 2025`.
pub fn long_date(date: NaiveDate, lang: &str) -> String {
    if lang == "en" {
        date.format("%a, %-d %b %Y").to_string()
    } else {
        // Written by hand: pages show tens of thousands of dates, and `format!` with
        // four arguments cost several times the text it made.
        let mut out = String::with_capacity(24);
        push_decimal(&mut out, i64::from(date.year()));
        out.push('年');
        push_decimal(&mut out, i64::from(date.month()));
        out.push('月');
        push_decimal(&mut out, i64::from(date.day()));
        out.push_str("日(");
        out.push_str(weekday_ja(date.weekday()));
        out.push(')');
        out
    }
}

/// A short date: `4/28(月)` or `28 Apr`.
pub fn short_date(date: NaiveDate, lang: &str) -> String {
    if lang == "en" {
        date.format("%-d %b").to_string()
    } else {
        let mut out = String::with_capacity(12);
        push_decimal(&mut out, i64::from(date.month()));
        out.push('/');
        push_decimal(&mut out, i64::from(date.day()));
        out.push('(');
        out.push_str(weekday_ja(date.weekday()));
        out.push(')');
        out
    }
}

/// A month heading: `2025年4月` or `April 2025`.
pub fn month(date: NaiveDate, lang: &str) -> String {
    if lang == "en" {
        date.format("%B %Y").to_string()
    } else {
        format!("{}年{}月", date.year(), date.month())
    }
}

fn weekday_ja(w: Weekday) -> &'static str {
    ["月", "火", "水", "木", "金", "土", "日"][w.num_days_from_monday() as usize]
}

/// How long a problem ran: `5日分の日報・8日間` or `5 notes over 8 days`.
pub fn span(notes: usize, days: i64, lang: &str) -> String {
    match (lang, notes) {
        ("en", 1) => format!("1 note over {days} day{}", if days == 1 { "" } else { "s" }),
        ("en", _) => format!("{notes} notes over {days} days"),
        _ => format!("{notes}日分の日報・{days}日間"),
    }
}

/// Minutes for people: `6h`, `1h 30m`, in either language (the notes use the same).
pub fn hours(minutes: u32) -> String {
    crate::note::duration::format(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_dates_written_by_hand_are_those_format_wrote() {
        let dates = [
            (2025, 4, 28),
            (1, 1, 1),
            (0, 12, 31),
            (9999, 12, 31),
            (-44, 3, 15),
        ]
        .into_iter()
        .chain([(262142, 12, 31), (-262143, 1, 1), (2032, 2, 29)]);
        for (y, m, d) in dates {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("a date chrono holds");
            let weekday = weekday_ja(date.weekday());
            assert_eq!(long_date(date, "ja"), format!("{y}年{m}月{d}日({weekday})"));
            assert_eq!(short_date(date, "ja"), format!("{m}/{d}({weekday})"));
        }
        for n in [0, 7, 10, 99, 100, i64::from(i32::MAX), i64::MIN, i64::MAX] {
            let mut out = String::new();
            push_decimal(&mut out, n);
            assert_eq!(out, n.to_string());
        }
    }
}
