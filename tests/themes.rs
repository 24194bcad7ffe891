//! The three themes on the whole screen: mono has no colour in any cell of any tab, dark and
//! light colour the same text differently, and in every theme Match/Mismatch and the two
//! speakers stay apart (by colour where there is colour, always by symbol).

mod support;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use rudder_inspect::app::{Action, App};
use rudder_inspect::ui::Theme;
use rudder_inspect::ui::theme::{ThemeName, background_from_colorfgbg};
use support::*;

const CASES: [&str; 7] = [
    "01-reference.json",
    "02-full-match.json",
    "03-mismatch-heavy.json",
    "04-many-redials.json",
    "05-long-transcript.json",
    "06-chinese.json",
    "07-drifted.json",
];

fn draw(app: &App, theme: &Theme) -> Buffer {
    let (w, h) = app.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| rudder_inspect::ui::draw_with(f, app, theme))
        .unwrap();
    t.backend().buffer().clone()
}

/// The app showing `case` on tab `n` (1-6).
fn on_tab(case: &str, n: char, w: u16, h: u16) -> App {
    let mut app = answered_app(case, w, h);
    app.update(Action::Key(code(crossterm::event::KeyCode::Esc)));
    press(&mut app, [key(n)]);
    app
}

/// Every screen worth checking: each tab of each case, the form, help, an error.
fn screens() -> Vec<(String, App)> {
    let mut v = Vec::new();
    for case in CASES {
        for n in '1'..='6' {
            v.push((format!("{case} tab {n}"), on_tab(case, n, 120, 40)));
        }
    }
    let mut help = on_tab("01-reference.json", '1', 120, 40);
    press(&mut help, [key('?')]);
    v.push(("help".into(), help));
    v.push((
        "welcome".into(),
        form_app(&rudder_inspect::api::Query::default(), 120, 40),
    ));
    v.push((
        "HTTP 500".into(),
        failed_app(&reference_query(), http_500(), 120, 40),
    ));
    let mut search = on_tab("05-long-transcript.json", '5', 120, 40);
    type_text(&mut search, "/the");
    press(&mut search, [code(crossterm::event::KeyCode::Enter)]);
    v.push(("transcript search".into(), search));
    v
}

fn cells(buf: &Buffer) -> impl Iterator<Item = (u16, u16, &ratatui::buffer::Cell)> {
    let a = buf.area;
    (a.y..a.y + a.height).flat_map(move |y| (a.x..a.x + a.width).map(move |x| (x, y, &buf[(x, y)])))
}

fn text(buf: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// The first cell showing `symbol`, after (and including) row `from`.
fn find<'a>(buf: &'a Buffer, symbol: &str) -> Option<&'a ratatui::buffer::Cell> {
    cells(buf)
        .find(|(_, _, c)| c.symbol() == symbol)
        .map(|(_, _, c)| c)
}

#[test]
fn mono_has_no_colour_anywhere() {
    let mono = Theme::named(ThemeName::Mono);
    for (name, app) in screens() {
        let buf = draw(&app, &mono);
        for (x, y, c) in cells(&buf) {
            assert!(
                c.fg == Color::Reset && c.bg == Color::Reset && c.underline_color == Color::Reset,
                "{name}: cell ({x},{y}) {:?} has colour fg {:?} bg {:?}",
                c.symbol(),
                c.fg,
                c.bg
            );
        }
    }
}

#[test]
fn the_themes_draw_the_same_text() {
    let themes = ThemeName::ALL.map(Theme::named);
    for (name, app) in screens() {
        let [d, l, m] = themes.each_ref().map(|t| draw(&app, t));
        assert_eq!(text(&d), text(&l), "{name}");
        assert_eq!(text(&d), text(&m), "{name}");
    }
}

#[test]
fn dark_and_light_differ_where_they_should() {
    let dark = Theme::named(ThemeName::Dark);
    let light = Theme::named(ThemeName::Light);
    for (name, app) in screens() {
        let d = draw(&app, &dark);
        let l = draw(&app, &light);
        assert!(
            cells(&d).any(|(_, _, c)| c.fg != Color::Reset),
            "{name}: dark has no colour"
        );
        assert_ne!(d, l, "{name}: dark and light look the same");
    }
}

/// Text on a white background: no yellow, cyan, white or light colour as a foreground
/// (a background highlight carries its own dark text).
#[test]
fn light_uses_no_pale_text_colours() {
    let light = Theme::named(ThemeName::Light);
    let pale = |c: Color| {
        matches!(
            c,
            Color::Yellow
                | Color::Cyan
                | Color::White
                | Color::Gray
                | Color::LightYellow
                | Color::LightCyan
                | Color::LightGreen
                | Color::LightBlue
                | Color::LightMagenta
                | Color::LightRed
        )
    };
    for (name, app) in screens() {
        for (x, y, c) in cells(&draw(&app, &light)) {
            if c.bg == Color::Reset {
                assert!(
                    !pale(c.fg),
                    "{name}: ({x},{y}) {:?} in {:?}",
                    c.symbol(),
                    c.fg
                );
            }
        }
    }
    // On a dark background plain blue is too dark.
    let dark = Theme::named(ThemeName::Dark);
    for (name, app) in screens() {
        for (x, y, c) in cells(&draw(&app, &dark)) {
            assert!(
                !(c.fg == Color::Blue && c.bg == Color::Reset),
                "{name}: ({x},{y}) dark blue text"
            );
        }
    }
}

#[test]
fn match_and_mismatch_stay_apart_in_every_theme() {
    let app = on_tab("03-mismatch-heavy.json", '4', 120, 40);
    for name in ThemeName::ALL {
        let theme = Theme::named(name);
        let buf = draw(&app, &theme);
        let good = find(&buf, "✓").unwrap_or_else(|| panic!("{name:?}: no ✓\n{}", text(&buf)));
        let bad = find(&buf, "✗").unwrap_or_else(|| panic!("{name:?}: no ✗\n{}", text(&buf)));
        assert_ne!(
            (good.fg, good.modifier),
            (bad.fg, bad.modifier),
            "{name:?}: ✓ and ✗ look alike"
        );
        if name != ThemeName::Mono {
            assert_ne!(good.fg, bad.fg, "{name:?}");
        } else {
            assert!(bad.modifier.contains(Modifier::BOLD));
        }
    }
}

#[test]
fn the_two_speakers_stay_apart_in_every_theme() {
    let app = on_tab("01-reference.json", '5', 120, 40);
    for name in ThemeName::ALL {
        let theme = Theme::named(name);
        let buf = draw(&app, &theme);
        let robot = find(&buf, "◆").unwrap_or_else(|| panic!("{name:?}: no ◆\n{}", text(&buf)));
        let callee = find(&buf, "●").unwrap_or_else(|| panic!("{name:?}: no ●\n{}", text(&buf)));
        if name != ThemeName::Mono {
            assert_ne!(robot.fg, callee.fg, "{name:?}: the speakers share a colour");
        }
    }
    let (d, l) = (Theme::dark(), Theme::light());
    assert_ne!(d.robot, d.callee);
    assert_ne!(l.robot, l.callee);
    assert_ne!(d.robot.fg, l.robot.fg, "light has its own robot colour");
}

#[test]
fn theme_names_and_the_terminal_background() {
    for n in ThemeName::ALL {
        assert_eq!(ThemeName::parse(n.as_str()), Some(n));
        assert_eq!(Theme::named(n).name, n);
    }
    assert_eq!(ThemeName::parse(" Light "), Some(ThemeName::Light));
    assert_eq!(ThemeName::parse("solarized"), None);
    assert!(Theme::named(ThemeName::Mono).mono);
    assert!(!Theme::named(ThemeName::Light).mono);
    assert_eq!(background_from_colorfgbg("0;15"), Some(ThemeName::Light));
    assert_eq!(background_from_colorfgbg("15;0"), Some(ThemeName::Dark));
    assert_eq!(
        background_from_colorfgbg("0;default;7"),
        Some(ThemeName::Light)
    );
    assert_eq!(background_from_colorfgbg("x"), None);
}
