//! Tab 4: the verification questions (`question_answer`) in a table — each result marked by
//! colour and a symbol (✓ match, ✗ mismatch, ? anything else) — under the tally line, and the
//! selected question's every field in full below. Columns narrow or drop by priority (name,
//! content, result and answered stay); only the rows on screen are laid out.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Theme;
use super::table::tab::{self, Column, Columns, Page, Room};
use super::table::{self, Cell, ColSpec, Field, GAP};
use super::widgets::shape_words;
use crate::api::model::QuestionAnswer;
use crate::api::tolerant::{Scalar, Shape, value_text};
use crate::app::Loaded;
use crate::case::qa::{Answered, Verdict, answered, verdict};
use crate::text::{clean, one_line, width};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Name,
    Content,
    Type,
    Answer,
    AnswerText,
    Slot,
    Var,
    Result,
    Status,
    Answered,
}

/// Columns in the order they appear.
const COLS: [Col; 10] = [
    Col::Name,
    Col::Content,
    Col::Type,
    Col::Answer,
    Col::AnswerText,
    Col::Slot,
    Col::Var,
    Col::Result,
    Col::Status,
    Col::Answered,
];

const RIGHT: [bool; COLS.len()] = [false; COLS.len()];

impl Column for Col {
    fn title(self) -> &'static str {
        match self {
            Col::Name => "name",
            Col::Content => "content",
            Col::Type => "type",
            Col::Answer => "answer",
            Col::AnswerText => "answer text",
            Col::Slot => "slot",
            Col::Var => "var",
            Col::Result => "result",
            Col::Status => "status",
            Col::Answered => "answered",
        }
    }
    fn short_title(self) -> &'static str {
        match self {
            Col::AnswerText => "text",
            Col::Result => "res",
            Col::Answered => "ans",
            c => c.title(),
        }
    }
}

impl Col {
    /// Name, result, content and answered always show; the rest come in this order.
    fn priority(self) -> u8 {
        match self {
            Col::Name => 0,
            Col::Result => 1,
            Col::Content => 2,
            Col::Answered => 3,
            Col::Answer => 4,
            Col::Var => 5,
            Col::AnswerText => 6,
            Col::Status => 7,
            Col::Slot => 8,
            Col::Type => 9,
        }
    }
    fn keep(self) -> bool {
        self.priority() <= 3
    }
    fn value(self, q: &QuestionAnswer) -> &Scalar {
        match self {
            Col::Name => &q.question_name,
            Col::Content => &q.question_content,
            Col::Type => &q.question_type,
            Col::Answer => &q.answer,
            Col::AnswerText => &q.answer_text,
            Col::Slot => &q.answer_text_slot,
            Col::Var => &q.var,
            Col::Result => &q.verification_results,
            Col::Status => &q.status,
            Col::Answered => &q.whether_answer,
        }
    }
}

/// The symbol and style of a verification result.
fn mark(v: Verdict, theme: &Theme) -> (&'static str, Style) {
    match v {
        Verdict::Match => ("✓", theme.good),
        Verdict::Mismatch => ("✗", theme.bad),
        Verdict::Other | Verdict::Empty => ("?", theme.other),
    }
}

/// The result as shown: its symbol, then the value as sent (or "(none)").
fn result_text(q: &QuestionAnswer, theme: &Theme) -> (String, &'static str, Style) {
    let v = verdict(&q.verification_results);
    let (sym, style) = mark(v, theme);
    let text = match q.verification_results.value() {
        Some(s) => format!("{sym} {}", clean(s)),
        None => format!("{sym} (none)"),
    };
    (text, sym, style)
}

fn result_width(q: &QuestionAnswer) -> usize {
    2 + q
        .verification_results
        .value()
        .map_or(width("(none)"), |s| width(&clean(s)))
}

fn specs(items: &[QuestionAnswer]) -> Vec<ColSpec> {
    let mut want = [0usize; COLS.len()];
    for q in items {
        for (i, c) in COLS.iter().enumerate() {
            let w = match c {
                Col::Result => result_width(q),
                c => width(&clean(c.value(q).show().trim())),
            };
            want[i] = want[i].max(w);
        }
    }
    COLS.iter()
        .enumerate()
        .map(|(i, &c)| {
            let want = want[i].max(width(c.title()));
            let short = width(c.short_title());
            let min = match c {
                Col::Name => want.min(8),
                Col::Content => want.min(12),
                // "✓", "yes", "no": the short forms.
                Col::Result | Col::Answered => short,
                Col::Type | Col::Status => want.min(6),
                Col::Answer | Col::AnswerText | Col::Slot | Col::Var => want.min(10),
            }
            .max(short.min(want));
            let spec = ColSpec::new(c.priority(), c.keep(), want, min);
            // Results and answers shorten to a symbol or yes/no, not to a cut word.
            if matches!(c, Col::Result | Col::Answered) {
                spec.snap()
            } else {
                spec
            }
        })
        .collect()
}

fn cells<'a>(q: &'a QuestionAnswer, theme: &Theme) -> Vec<Cell<'a>> {
    COLS.iter()
        .map(|&c| match c {
            Col::Result => {
                let (text, sym, style) = result_text(q, theme);
                Cell::new(text, style).short(sym)
            }
            Col::Answered => {
                let text = clean(q.whether_answer.show().trim());
                match answered(&q.whether_answer) {
                    Answered::Yes => Cell::new(text, theme.value).short("yes"),
                    Answered::No => Cell::new(text, theme.warn).short("no"),
                    Answered::Unknown => Cell::new(text, theme.dim),
                }
            }
            Col::Name => Cell::new(clean(q.question_name.show().trim()), theme.title),
            c => Cell::new(clean(c.value(q).show().trim()), theme.value),
        })
        .collect()
}

/// Every field of question `pos` as sent, then its unknown fields.
fn fields(items: &[QuestionAnswer], pos: usize, theme: &Theme) -> (String, Vec<Field>) {
    let Some(q) = items.get(pos) else {
        return (String::new(), Vec::new());
    };
    let v = theme.value;
    let (result, _, result_style) = result_text(q, theme);
    let result = if q.verification_results.is_set() {
        result
    } else {
        String::new()
    };
    let f = vec![
        Field::new("question_name", q.question_name.show(), theme.title),
        Field::new("question_content", q.question_content.show(), v),
        Field::new("question_type", q.question_type.show(), v),
        Field::new("answer", q.answer.show(), v),
        Field::new("answer_text", q.answer_text.show(), v),
        Field::new("answer_text_slot", q.answer_text_slot.show(), v),
        Field::new("var", q.var.show(), v),
        Field::new("verification_results", result, result_style),
        Field::new("status", q.status.show(), v),
        Field::new("whether_answer", q.whether_answer.show(), v),
    ];
    let mut f = f;
    for (k, val) in &q.unknown {
        f.push(Field::new(clean(k), value_text(val), theme.other));
    }
    (format!("Question {} of {}", pos + 1, items.len()), f)
}

/// The tally (wrapped when the width is short), and a warning when entries could not be read.
fn top_lines(loaded: &Loaded, w: u16, theme: &Theme) -> Vec<Line<'static>> {
    let t = &loaded.facts.tally;
    let style = if t.mismatched > 0 {
        theme.bad
    } else if t.total > 0 && t.matched == t.total {
        theme.good
    } else {
        theme.value
    };
    let w = (w as usize).max(10);
    let tally = t.line();
    let mut out = Vec::new();
    if width(&tally) + 5 <= w {
        out.push(Line::from(vec![
            Span::styled("Q&A  ", theme.title),
            Span::styled(tally, style),
        ]));
    } else {
        for piece in crate::text::wrap(&tally, w) {
            out.push(Line::styled(piece.to_string(), style));
        }
    }
    let list = &loaded.data().call.question_answer;
    if list.skipped > 0 {
        let warning = tab::unread_words("question_answer", list.skipped);
        for piece in crate::text::wrap(&warning, w) {
            out.push(Line::styled(piece.to_string(), theme.warn));
        }
    }
    out
}

/// The tally over the table, and the selected question's details under it.
fn compose(loaded: &Loaded, selected: usize, w: u16, h: u16, theme: &Theme) -> Page {
    let items = &loaded.data().call.question_answer.items;
    let above = top_lines(loaded, w, theme);
    let room = Room::new((h as usize).saturating_sub(above.len()), items.len(), 0);
    let (title, fields) = fields(items, selected, theme);
    let details = tab::details(&title, &fields, w, room, theme);
    let (table_h, blanks) = room.share(&[details.len()]);
    Page {
        above,
        table_h,
        blanks,
        blocks: vec![details],
    }
}

/// What shows instead of a table when there are no questions.
fn empty_words(loaded: &Loaded) -> Option<&'static str> {
    let list = &loaded.data().call.question_answer;
    if !list.items.is_empty() {
        return None;
    }
    Some(match list.shape {
        Shape::Sent | Shape::Encoded => "no questions in this push",
        shape => shape_words(shape),
    })
}

pub(crate) fn draw(frame: &mut Frame, area: Rect, loaded: &Loaded, theme: &Theme) {
    let items = &loaded.data().call.question_answer.items;
    if let Some(words) = empty_words(loaded) {
        tab::draw_empty(frame, area, "Q&A", words, theme);
        return;
    }
    let selected = loaded.views.qa.selected.min(items.len() - 1);
    let page = compose(loaded, selected, area.width, area.height, theme);
    let rows_h = page.rows();
    let offset = loaded.views.qa.settle(selected, rows_h);

    let cols = Columns {
        widths: table::fit(&specs(items), area.width as usize, GAP),
        right: &RIGHT,
    };
    let mut table = vec![cols.line(&tab::header(&COLS, theme.title), Style::default())];
    let shown = offset..offset + rows_h;
    let width = area.width as usize;
    table.extend(cols.rows(items, shown, selected, width, theme, |q| cells(q, theme)));
    page.draw(frame, area, table);
}

/// Question `pos` as `field: value` lines.
fn question_text(items: &[QuestionAnswer], pos: usize) -> Option<String> {
    let (title, fields) = fields(items, pos, &Theme::plain());
    if fields.is_empty() {
        return None;
    }
    let mut out = format!("{title}\n");
    for line in tab::field_texts(&fields) {
        out.push_str(&line);
        out.push('\n');
    }
    Some(out)
}

pub(crate) fn copy(loaded: &Loaded, whole: bool) -> Option<(String, String)> {
    let items = &loaded.data().call.question_answer.items;
    if items.is_empty() {
        return None;
    }
    if whole {
        let mut out = format!("Q&A: {}\n", loaded.facts.tally.line());
        for i in 0..items.len() {
            out.push('\n');
            out.push_str(&question_text(items, i)?);
        }
        return Some((out, "the Q&A tab".into()));
    }
    let pos = loaded.views.qa.selected.min(items.len() - 1);
    let name = one_line(items[pos].question_name.show());
    let what = if name.is_empty() {
        format!("question {}", pos + 1)
    } else {
        format!("question {name}")
    };
    question_text(items, pos).map(|t| (t, what))
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::app::{App, Effect};
    use crate::ui::table::testing::{self, REFERENCE, keys, screen};

    const MISMATCH: &[u8] = include_bytes!("../../assets/demo/03-mismatch-heavy.json");
    const MANY_REDIALS: &[u8] = include_bytes!("../../assets/demo/04-many-redials.json");
    const DRIFTED: &[u8] = include_bytes!("../../assets/demo/07-drifted.json");
    const CHINESE: &[u8] = include_bytes!("../../assets/demo/06-chinese.json");

    fn app_with(body: Vec<u8>, w: u16, h: u16) -> App {
        testing::app_on_tab(body, w, h, '4')
    }

    fn render(app: &App) -> Terminal<TestBackend> {
        testing::render(app, draw)
    }

    fn shown(body: &[u8], w: usize) -> Vec<&'static str> {
        let app = app_with(body.to_vec(), 160, 50);
        let items = &app
            .loaded
            .as_ref()
            .unwrap()
            .data()
            .call
            .question_answer
            .items;
        let widths = table::fit(&specs(items), w, GAP);
        COLS.iter()
            .zip(widths)
            .filter(|(_, w)| *w > 0)
            .map(|(c, _)| c.title())
            .collect()
    }

    #[test]
    fn columns_adapt_to_the_width() {
        assert_eq!(
            shown(REFERENCE, 125),
            [
                "name",
                "content",
                "type",
                "answer",
                "answer text",
                "slot",
                "var",
                "result",
                "status",
                "answered"
            ]
        );
        assert_eq!(
            shown(REFERENCE, 80),
            [
                "name",
                "content",
                "answer",
                "answer text",
                "var",
                "result",
                "status",
                "answered"
            ]
        );
        for body in [REFERENCE, MISMATCH] {
            assert_eq!(
                shown(body, 45),
                ["name", "content", "result", "answered"],
                "the four kept columns at 45"
            );
        }
        // Never wider than the room, down to the narrowest tab.
        let app = app_with(MISMATCH.to_vec(), 160, 50);
        let items = &app
            .loaded
            .as_ref()
            .unwrap()
            .data()
            .call
            .question_answer
            .items;
        for w in 30..200 {
            let widths = table::fit(&specs(items), w, GAP);
            assert!(table::total_width(&widths, GAP) <= w, "{w}: {widths:?}");
        }
    }

    #[test]
    fn results_carry_a_symbol_besides_the_colour() {
        let t = Theme::color();
        let q = |r: &str| QuestionAnswer {
            verification_results: Scalar::from(r),
            ..QuestionAnswer::default()
        };
        let (text, sym, style) = result_text(&q("Match"), &t);
        assert_eq!((text.as_str(), sym, style), ("✓ Match", "✓", t.good));
        let (text, sym, style) = result_text(&q("Mismatch"), &t);
        assert_eq!((text.as_str(), sym, style), ("✗ Mismatch", "✗", t.bad));
        let (text, sym, style) = result_text(&q("Partial"), &t);
        assert_eq!((text.as_str(), sym, style), ("? Partial", "?", t.other));
        let (text, _, style) = result_text(&q(""), &t);
        assert_eq!((text.as_str(), style), ("? (none)", t.other));
    }

    #[test]
    fn reference_wide() {
        let app = app_with(REFERENCE.to_vec(), 160, 50);
        let term = render(&app);
        let text = screen(&term);
        let v: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
        for q in v["data"]["call"]["question_answer"].as_array().unwrap() {
            for (k, val) in q.as_object().unwrap() {
                let s = value_text(val);
                assert!(text.contains(&s), "{k} = {s} missing");
            }
        }
        insta::assert_snapshot!(term.backend());
    }

    #[test]
    fn reference_narrow() {
        let app = app_with(REFERENCE.to_vec(), 80, 24);
        assert!(!app.show_form);
        let term = render(&app);
        let text = screen(&term);
        let v: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
        for q in v["data"]["call"]["question_answer"].as_array().unwrap() {
            for (k, val) in q.as_object().unwrap() {
                let s = value_text(val);
                assert!(text.contains(&s), "{k} = {s} missing");
            }
        }
        insta::assert_snapshot!(term.backend());
    }

    #[test]
    fn reference_narrow_with_the_form() {
        let mut app = app_with(REFERENCE.to_vec(), 80, 24);
        keys(&mut app, "f");
        assert!(app.show_form);
        insta::assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn mismatch_heavy_wide() {
        let app = app_with(MISMATCH.to_vec(), 160, 50);
        insta::assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn mismatch_heavy_narrow_second_row() {
        let mut app = app_with(MISMATCH.to_vec(), 80, 24);
        keys(&mut app, "j");
        assert_eq!(app.loaded.as_ref().unwrap().views.qa.selected, 1);
        insta::assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn mismatch_heavy_narrow_with_the_form_at_the_end() {
        let mut app = app_with(MISMATCH.to_vec(), 80, 24);
        keys(&mut app, "Gf");
        assert_eq!(app.loaded.as_ref().unwrap().views.qa.selected, 7);
        insta::assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn chinese_narrow() {
        let app = app_with(CHINESE.to_vec(), 80, 24);
        insta::assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn results_are_coloured_with_their_symbols() {
        let theme = Theme::color();
        let app = app_with(MISMATCH.to_vec(), 160, 50);
        let mut term = Terminal::new(TestBackend::new(125, 47)).unwrap();
        term.draw(|f| draw(f, f.area(), app.loaded.as_deref().unwrap(), &theme))
            .unwrap();
        let buf = term.backend().buffer();
        let find = |row: u16, sym: &str| {
            (0..125u16)
                .find(|&x| buf[(x, row)].symbol() == sym)
                .map(|x| buf[(x, row)].fg)
        };
        // Row 2 of the screen is Q1 (tally, header, Q1 …).
        assert_eq!(find(2, "✓"), theme.good.fg);
        assert_eq!(find(3, "✗"), theme.bad.fg);
        assert_eq!(find(5, "?"), theme.other.fg);
    }

    #[test]
    fn any_size_draws_without_panicking() {
        for body in [REFERENCE, MISMATCH, CHINESE] {
            let mut app = app_with(body.to_vec(), 160, 50);
            keys(&mut app, "G");
            testing::draw_small(&app, draw);
        }
    }

    #[test]
    fn drifted_rows_read_as_far_as_they_go() {
        let app = app_with(DRIFTED.to_vec(), 80, 24);
        insta::assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn not_in_this_push() {
        let body = testing::without(REFERENCE, &["data", "call", "question_answer"]);
        for (w, h) in [(80, 24), (160, 50)] {
            let app = app_with(body.clone(), w, h);
            let text = screen(&render(&app));
            assert!(text.contains("not in this push"), "{text}");
            assert!(!text.contains("no questions"), "{text}");
            assert_eq!(copy(app.loaded.as_ref().unwrap(), false), None);
        }
        insta::assert_snapshot!(render(&app_with(body, 80, 24)).backend());
    }

    #[test]
    fn an_empty_list_has_no_questions() {
        let app = app_with(MANY_REDIALS.to_vec(), 80, 24);
        let text = screen(&render(&app));
        assert!(text.contains("no questions in this push"), "{text}");
        insta::assert_snapshot!(render(&app).backend());
    }

    #[test]
    fn unknown_fields_and_untrusted_text() {
        let mut v: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
        let q = &mut v["data"]["call"]["question_answer"][0];
        q["answer_text"] = "s s\u{1b}[2J cero\u{7} dos".into();
        q["confidence"] = serde_json::json!(0.93);
        q["\u{1b}]0;key\u{7}"] = "x".into();
        let app = app_with(serde_json::to_vec(&v).unwrap(), 160, 50);
        let text = screen(&render(&app));
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'));
        assert!(text.contains("s s␛ cero␇ dos"), "{text}");
        assert!(
            text.contains("confidence") && text.contains("0.93"),
            "{text}"
        );
    }

    #[test]
    fn many_questions_only_lay_out_what_shows() {
        let mut v: serde_json::Value = serde_json::from_slice(REFERENCE).unwrap();
        let one = v["data"]["call"]["question_answer"][0].clone();
        let many: Vec<serde_json::Value> = (0..3000)
            .map(|i| {
                let mut q = one.clone();
                q["question_name"] = format!("Q{}", i + 1).into();
                q
            })
            .collect();
        v["data"]["call"]["question_answer"] = many.into();
        let mut app = app_with(serde_json::to_vec(&v).unwrap(), 80, 24);
        keys(&mut app, "jG");
        let text = screen(&render(&app));
        assert!(text.contains("Question 3000 of 3000"), "{text}");
        assert!(text.contains("Q3000"), "{text}");
    }

    #[test]
    fn copy_a_question_or_the_whole_tab() {
        let mut app = app_with(MISMATCH.to_vec(), 80, 24);
        keys(&mut app, "j");
        let effects = keys(&mut app, "y");
        let [Effect::Copy { text, what }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(what, "question Q2");
        assert_eq!(
            text,
            "Question 2 of 8\n\
             question_name: Q2\n\
             question_content: Date of birth\n\
             question_type: open\n\
             answer: 1989-08-12\n\
             answer_text: el doce de agosto de mil novecientos ochenta y nueve\n\
             answer_text_slot: 1989-08-12;12/08/1989\n\
             var: 1989-08-21\n\
             verification_results: ✗ Mismatch\n\
             status: Completed\n\
             whether_answer: Answered\n"
        );
        let effects = keys(&mut app, "Y");
        let [Effect::Copy { text, .. }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        insta::assert_snapshot!(text);
    }
}
