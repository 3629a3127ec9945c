//! The cohort's pages: the overview, the shared problems and the activity heatmap,
//! rendered with the embedded templates under `templates/cohort/`.

use anyhow::{Context, Result};
use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::members::Member;
use super::overview::{days_between, Overview, Row};
use super::problems::Shared;
use crate::note::duration::format as hours;
use crate::site::output::Output;

/// The templates, embedded as the site's are.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "cohort/base.html",
        include_str!("../../templates/cohort/base.html"),
    ),
    (
        "cohort/index.html",
        include_str!("../../templates/cohort/index.html"),
    ),
    (
        "cohort/problems.html",
        include_str!("../../templates/cohort/problems.html"),
    ),
    (
        "cohort/activity.html",
        include_str!("../../templates/cohort/activity.html"),
    ),
];

/// The static files, under `static/`.
const STATIC: &[(&str, &[u8])] = &[
    (
        "cohort.css",
        include_bytes!("../../static/cohort/cohort.css"),
    ),
    ("cohort.js", include_bytes!("../../static/cohort/cohort.js")),
];

/// Learners per shared problem shown with their resolution and learnings; the rest
/// are listed in a line each.
const DETAIL_LIMIT: usize = 12;
/// Days in the activity heatmap.
const HEAT_DAYS: u64 = 56;

/// The page words, Japanese and English.
fn labels(lang: &str) -> tera::Map<String, tera::Value> {
    let en = lang == "en";
    let pairs: &[(&str, &str, &str)] = &[
        ("nav", "コホート", "Cohort"),
        ("overview", "一覧", "Overview"),
        ("shared_problems", "共通の問題", "Shared problems"),
        ("activity", "記録の状況", "Activity"),
        ("as_of", "基準日", "as of"),
        ("as_of_note", "基準日 DATE（全員の最新の日報の日付）。3日以上日報のない人に印を付けています。", "As of DATE, the newest note of anyone in the cohort. Learners without a note for 3 days or more are flagged."),
        ("learners", "人", "learners"),
        ("learners_h", "受講生", "Learners"),
        ("filter", "絞り込み", "Filter"),
        ("filter_hint", "名前・問題・学び", "name, problem, learning"),
        ("only_stale", "3日以上書いていない人だけ", "Only those without a note for 3+ days"),
        ("name", "名前", "Name"),
        ("last_note", "最終日報", "Last note"),
        ("this_week", "今週", "This week"),
        ("last_8_weeks", "直近8週", "Last 8 weeks"),
        ("total", "合計", "Total"),
        ("streak", "連続", "Streak"),
        ("open_problems", "未解決の問題", "Open problems"),
        ("overdue", "期限切れの次やること", "Overdue steps"),
        ("newest_learning", "最新のわかったこと", "Newest learning"),
        ("no_notes", "日報なし", "no notes"),
        ("days_unit", "日", " d"),
        ("days_open_unit", "日間", " days"),
        ("days_ago", "日前", " days ago"),
        ("cohort_hours", "コホートの週ごとの学習時間", "Cohort hours per week"),
        ("as_table", "表で見る", "As a table"),
        ("week", "週", "Week"),
        ("hours", "時間", "Hours"),
        ("writers", "書いた人", "Learners who wrote"),
        ("activity_note", "DATE までの8週間、誰がいつ日報を書いたか。濃いほど長く学習した日。", "Who wrote when in the 8 weeks to DATE; darker is more hours."),
        ("active_days", "書いた日数", "Days written"),
        ("less", "少", "Less"),
        ("more", "多", "More"),
        ("shared_note", "2人以上が書いた問題 SHARED 件（1人だけの問題 SINGLE 件）。同じ問題は知識ベースと同じく、見出しを正規化して同じものとみなします。", "SHARED problems written by two learners or more (SINGLE by one only), matched by their folded title as in each learner's knowledge base."),
        ("shown_first", "多くの人が書いた順に N 件を表示。", "The N hit by the most learners are shown."),
        ("by_topic", "トピック別", "By topic"),
        ("by_problem", "問題別", "By problem"),
        ("still_open", "未解決", "still open:"),
        ("resolved", "解決", "resolved"),
        ("open", "未解決", "open"),
        ("learnings", "その日のわかったこと", "Learnings that day"),
        ("more_learners", "ほかの受講生", "More learners"),
        ("none_shared", "2人以上が書いた問題はまだありません。", "No problem has been written by two learners yet."),
    ];
    pairs
        .iter()
        .map(|(k, ja, e)| (k.to_string(), tera::Value::from(if en { *e } else { *ja })))
        .collect()
}

/// A row as the template shows it.
#[derive(Serialize)]
struct RowView<'a> {
    #[serde(flatten)]
    row: &'a Row,
    /// Sort key for the last note: days since the epoch (none: -1).
    last_sort: i64,
    since_label: String,
    this_week: String,
    goal: Option<String>,
    goal_met: bool,
    total: String,
    spark: String,
    overdue: usize,
    overdue_first: Option<&'a String>,
}

#[derive(Serialize)]
struct TotalView {
    week: NaiveDate,
    hours: String,
    writers: usize,
}

#[derive(Serialize)]
struct HeatRow<'a> {
    name: &'a str,
    link: Option<&'a String>,
    svg: String,
    active: usize,
}

/// Renders every page into `out`.
pub fn render(
    members: &[Member],
    overview: &Overview,
    shared: &mut Shared,
    (title, lang): (&str, &str),
    out: &dyn Output,
) -> Result<()> {
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(TEMPLATES.iter().copied())
        .context("the cohort templates")?;
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(crate::site::content::escape);
    let t = labels(lang);
    let mut base = tera::Context::new();
    base.insert("lang", lang);
    base.insert("title", title);
    base.insert("t", &t);
    base.insert("reference", &overview.reference);
    base.insert("members", &members.len());
    let days_ago = t["days_ago"].as_str().unwrap_or_default().to_string();

    let rows: Vec<RowView> = overview
        .rows
        .iter()
        .map(|r| RowView {
            last_sort: r
                .last_date
                .map(|d| (d - NaiveDate::default()).num_days())
                .unwrap_or(-1),
            since_label: format!("{}{days_ago}", r.days_since.unwrap_or(0)),
            this_week: hours(r.this_week_minutes),
            goal: r.goal_minutes.map(hours),
            goal_met: r.goal_minutes.is_some_and(|g| r.this_week_minutes >= g),
            total: hours(r.total_minutes),
            spark: spark(&r.weeks, r.goal_minutes, &overview.chart_weeks),
            overdue: r.overdue_steps.len(),
            overdue_first: r.overdue_steps.first(),
            row: r,
        })
        .collect();
    let totals: Vec<TotalView> = overview
        .totals
        .iter()
        .map(|&(week, minutes, writers)| TotalView {
            week,
            hours: hours(minutes),
            writers,
        })
        .collect();
    let mut ctx = base.clone();
    ctx.insert("rows", &rows);
    ctx.insert("totals", &totals);
    ctx.insert("totals_svg", &totals_chart(&overview.totals, title));
    write(&tera, "cohort/index.html", &ctx, "index.html", out)?;

    // Only the learners shown in full carry their lines into the page's context.
    for g in &mut shared.groups {
        for h in g.hits.iter_mut().skip(DETAIL_LIMIT) {
            h.resolution = Vec::new();
            h.learnings = Vec::new();
        }
    }
    let mut intro = t["shared_note"]
        .as_str()
        .unwrap_or_default()
        .replace("SHARED", &shared.shared_total.to_string())
        .replace("SINGLE", &shared.single.to_string());
    if shared.shared_total > shared.groups.len() {
        intro.push(' ');
        intro.push_str(
            &t["shown_first"]
                .as_str()
                .unwrap_or_default()
                .replace('N', &shared.groups.len().to_string()),
        );
    }
    let mut ctx = base.clone();
    ctx.insert("intro", &intro);
    ctx.insert("shared", &*shared);
    ctx.insert("detail_limit", &DETAIL_LIMIT);
    write(&tera, "cohort/problems.html", &ctx, "problems.html", out)?;

    let first_day = overview.reference - Days::new(HEAT_DAYS - 1);
    let heat: Vec<HeatRow> = members
        .iter()
        .map(|m| {
            let days = days_between(&m.data.days, first_day, overview.reference);
            HeatRow {
                name: &m.name,
                link: m.link.as_ref(),
                svg: heat_row(days, first_day, &m.name),
                active: days.len(),
            }
        })
        .collect();
    let mut ctx = base;
    ctx.insert("heat", &heat);
    ctx.insert("first_day", &first_day);
    write(&tera, "cohort/activity.html", &ctx, "activity.html", out)?;

    for (name, bytes) in STATIC {
        out.write(&format!("static/{name}"), bytes)?;
    }
    out.write(".nojekyll", b"")
}

fn write(
    tera: &tera::Tera,
    template: &str,
    ctx: &tera::Context,
    rel: &str,
    out: &dyn Output,
) -> Result<()> {
    let html = tera
        .render(template, ctx)
        .map_err(|e| anyhow::anyhow!("{e:?}"))
        .with_context(|| format!("template {template}"))?;
    out.write(rel, html.as_bytes())
}

/// A learner's last weeks as a tiny bar chart, with the goal as a dashed line and the
/// figures as text for screen readers.
fn spark(weeks: &[u32], goal: Option<u32>, starts: &[NaiveDate]) -> String {
    let max = weeks.iter().copied().chain(goal).max().unwrap_or(0).max(60);
    let scale = |m: u32| f64::from(m) / f64::from(max) * 22.0;
    let text: Vec<String> = starts
        .iter()
        .zip(weeks)
        .map(|(s, m)| format!("{} {}", s.format("%m/%d"), hours(*m)))
        .collect();
    let mut svg = format!(
        "<svg viewBox=\"0 0 80 24\" role=\"img\" aria-label=\"{}\">",
        text.join(", ")
    );
    for (i, &m) in weeks.iter().enumerate() {
        let h = scale(m).max(if m > 0 { 1.0 } else { 0.0 });
        svg.push_str(&format!(
            "<rect x=\"{}\" y=\"{:.1}\" width=\"8\" height=\"{h:.1}\"/>",
            i * 10 + 1,
            24.0 - h
        ));
    }
    if let Some(g) = goal {
        let y = 24.0 - scale(g);
        svg.push_str(&format!(
            "<line x1=\"0\" x2=\"80\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>"
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The cohort's hours per week as a bar chart.
fn totals_chart(totals: &[(NaiveDate, u32, usize)], title: &str) -> String {
    let max = totals.iter().map(|t| t.1).max().unwrap_or(0).max(60);
    let width = totals.len() * 24;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {width} 120\" role=\"img\" aria-label=\"{}\">",
        crate::site::content::escape(title)
    );
    for (i, &(week, minutes, _)) in totals.iter().enumerate() {
        let h = f64::from(minutes) / f64::from(max) * 100.0;
        let x = i * 24 + 4;
        svg.push_str(&format!(
            "<g><title>{week}: {}</title><rect x=\"{x}\" y=\"{:.1}\" width=\"16\" height=\"{h:.1}\"/>",
            hours(minutes),
            100.0 - h
        ));
        if i % 4 == 0 {
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"114\">{}</text>",
                x + 8,
                week.format("%m/%d")
            ));
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

/// One learner's days as a strip of squares, darker for more hours.
fn heat_row(days: &[super::members::DayData], first: NaiveDate, name: &str) -> String {
    let width = HEAT_DAYS * 12;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {width} 12\" role=\"img\" aria-label=\"{}: {}\"><rect class=\"bg\" width=\"{width}\" height=\"12\" rx=\"2\"/>",
        crate::site::content::escape(name),
        days.len()
    );
    for d in days {
        // A note without hours is still a day written: never the empty colour.
        let level = match d.minutes {
            0..=59 => 1,
            60..=119 => 2,
            120..=239 => 3,
            _ => 4,
        };
        let x = (d.date - first).num_days() * 12;
        svg.push_str(&format!(
            "<rect class=\"l{level}\" x=\"{x}\" width=\"11\" height=\"12\"><title>{} {}</title></rect>",
            d.date,
            hours(d.minutes)
        ));
    }
    svg.push_str("</svg>");
    svg
}
