//! Property tests: no input makes the duration or note parser panic.

use std::path::PathBuf;

use logsite::load::read_source;
use logsite::note::{self, NoteContext, Roles};
use proptest::prelude::*;

fn note_like() -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(
        prop_oneof![
            Just("## 取り組んだ課題一覧\n".to_string()),
            Just("## 学習時間\n- Today: 6h\n- Total：48h 55m\n".to_string()),
            Just("## 現在発生している問題\n- **問題**（21:20頃）\n    → 分析\n".to_string()),
            Just("## 次やること\n- infra\n    - 修正（5/7まで）\n".to_string()),
            Just("- ハッカソン（6h）\n    - ミーティング(2h)\n".to_string()),
            Just("※ミーティングは学習時間に含めません\n".to_string()),
            Just("    - [x] (1.5h) **「太字」**を\n".to_string()),
            Just("![alt](x.png)\n".to_string()),
            "[ -~ぁ-んァ-ン一-龥（）()*_~`#>\\-\\n]{0,40}".prop_map(|s| s),
        ],
        0..12,
    );
    pieces.prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn duration_parser_never_panics(s in "\\PC{0,20}") {
        let _ = note::duration::parse(&s);
        let _ = note::duration::looks_like_duration(&s);
    }

    #[test]
    fn due_date_parser_never_panics(s in "\\PC{0,30}") {
        let _ = note::date::find_due(&s, chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
    }

    #[test]
    fn note_parser_never_panics(text in note_like(), raw in prop::collection::vec(any::<u8>(), 0..64)) {
        let roles = Roles::default();
        let ctx = NoteContext { roles: &roles, exclude: &[] };
        for bytes in [text.as_bytes().to_vec(), raw] {
            if let Ok(source) = read_source(PathBuf::from("content/2025-04-28.md"), PathBuf::from("2025-04-28.md"), &bytes) {
                let _ = note::parse(&source, &ctx, true);
            }
        }
    }
}
