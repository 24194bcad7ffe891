//! A review handed in: one CSV row per case (values as sent, guarded against spreadsheet
//! formulas), or a Markdown report (the figures, then a table of the cases).

use super::marks::Mark;
use super::report::{Case, Totals};
use super::summary::Read;

pub const CSV_COLUMNS: [&str; 16] = [
    "row",
    "workflow_id",
    "node_id",
    "callee",
    "case_id",
    "callee_name",
    "intention",
    "hangup_type",
    "duration",
    "qa_match",
    "qa_mismatch",
    "watch_hits",
    "verdict",
    "note",
    "file",
    "error",
];

/// A value a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, a tab or a return
/// first) gets a leading `'`, which spreadsheets show as text and hide.
pub fn guard(v: &str) -> String {
    let v = crate::text::clean(v);
    match v.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{v}"),
        _ => v.into_owned(),
    }
}

/// The cells of one case, in [`CSV_COLUMNS`] order; `masked`: the file's name too (it holds
/// the callee's number).
pub fn cells(case: &Case<'_>, masked: bool) -> Vec<String> {
    let e = case.entry;
    let mark = case.mark;
    let (ids, summary) = match case.read {
        Read::Done(s) => (Some(s.ids.clone()), Some(s)),
        _ => (e.asked.clone().or_else(|| mark.map(ids_of)), None),
    };
    let ids = ids.unwrap_or_default();
    let s = summary.map(|s| s.as_ref());
    let error = match case.read {
        Read::Failed(why) => why.clone(),
        Read::Pending => "not read".into(),
        Read::Done(_) => String::new(),
    };
    vec![
        e.row.map(|r| r.to_string()).unwrap_or_default(),
        ids.workflow_id,
        ids.node_id,
        ids.callee,
        ids.case_id.unwrap_or_default(),
        s.map(|s| s.callee_name.clone()).unwrap_or_default(),
        s.map(|s| s.intention.clone()).unwrap_or_default(),
        s.map(|s| s.hangup_type.clone()).unwrap_or_default(),
        s.and_then(|s| s.duration)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        s.map(|s| s.qa_match.to_string()).unwrap_or_default(),
        s.map(|s| s.qa_mismatch.join("; ")).unwrap_or_default(),
        s.map(|s| s.watch_hits().to_string()).unwrap_or_default(),
        mark.and_then(|m| m.verdict)
            .map(|v| v.word().to_string())
            .unwrap_or_default(),
        mark.map(|m| m.note.clone()).unwrap_or_default(),
        if masked {
            super::listing::masked_key(&e.key)
        } else {
            e.key.clone()
        },
        error,
    ]
}

fn ids_of(m: &Mark) -> crate::api::Query {
    crate::api::Query {
        workflow_id: m.workflow_id.clone(),
        node_id: m.node_id.clone(),
        callee: m.callee.clone(),
        case_id: m.case_id.clone(),
    }
}

/// The CSV of `cases` (summed up masked when `masked`).
pub fn csv<'a>(cases: impl IntoIterator<Item = Case<'a>>, masked: bool) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS).map_err(|e| e.to_string())?;
    for c in cases {
        w.write_record(cells(&c, masked).iter().map(|v| guard(v)))
            .map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The Markdown report: the figures, then one table row per case.
pub fn markdown<'a>(title: &str, cases: &[Case<'a>], totals: &Totals, masked: bool) -> String {
    let mut s = totals.markdown(title);
    s.push_str("\n## Cases\n\n");
    let shown = [0, 3, 5, 6, 7, 8, 10, 11, 12, 13, 15];
    let head: Vec<&str> = shown.iter().map(|&i| CSV_COLUMNS[i]).collect();
    s.push_str(&format!("| {} |\n", head.join(" | ")));
    s.push_str(&format!("|{}\n", "---|".repeat(head.len())));
    for c in cases {
        let cells = cells(c, masked);
        let row: Vec<String> = shown
            .iter()
            .map(|&i| crate::text::one_line(&cells[i]).replace('|', "\\|"))
            .collect();
        s.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::listing::Entry;
    use crate::review::marks::Verdict;
    use crate::review::summary::Summary;

    #[test]
    fn rows_hold_values_as_sent_and_formulas_are_guarded() {
        let entry = Entry {
            row: Some(4),
            path: None,
            key: "0004-+63.json".into(),
            failed: None,
            asked: None,
        };
        let read = Read::Done(Box::new(Summary {
            ids: crate::api::Query {
                workflow_id: "w".into(),
                node_id: "n".into(),
                callee: "+63".into(),
                case_id: Some("c".into()),
            },
            callee_name: "=HYPERLINK(\"x\")".into(),
            intention: "A, B".into(),
            duration: Some(65),
            qa_match: 2,
            qa_mismatch: vec!["dob".into(), "id".into()],
            watch: vec![1, 2],
            ..Summary::default()
        }));
        let mark = Mark {
            row: Some(4),
            workflow_id: "w".into(),
            node_id: "n".into(),
            callee: "+63".into(),
            case_id: Some("c".into()),
            verdict: Some(Verdict::Flag),
            note: "ask \"legal\" team".into(),
            at: String::new(),
            case: "0004-+63.json".into(),
        };
        let case = Case {
            entry: &entry,
            read: &read,
            mark: Some(&mark),
        };
        let bytes = csv([case], false).unwrap();
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(head, CSV_COLUMNS);
        let row: Vec<String> = r
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(String::from)
            .collect();
        assert_eq!(row[0], "4");
        assert_eq!(row[3], "'+63");
        assert_eq!(row[5], "'=HYPERLINK(\"x\")");
        assert_eq!(row[6], "A, B");
        assert_eq!(row[8], "65");
        assert_eq!(row[10], "dob; id");
        assert_eq!(row[11], "3");
        assert_eq!(row[12], "flag");
        assert_eq!(row[13], "ask \"legal\" team");
        let md = markdown("r", &[case], &Totals::of([case], &[]), false);
        assert!(md.contains("| 4 | +63 | =HYPERLINK"), "{md}");
        assert!(md.contains("## Cases"), "{md}");
    }
}
