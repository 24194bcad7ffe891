//! Colours that read on dark and light terminals: the terminal's own palette (named ANSI
//! colours), never fixed RGB backgrounds. `NO_COLOR` gives a mono theme that still marks
//! things by bold, underline and reverse video.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub mono: bool,
    pub label: Style,
    pub value: Style,
    pub dim: Style,
    pub title: Style,
    pub accent: Style,
    pub focus: Style,
    pub selected: Style,
    pub robot: Style,
    pub callee: Style,
    pub good: Style,
    pub bad: Style,
    pub other: Style,
    pub error: Style,
    pub warn: Style,
    pub key: Style,
    pub hit: Style,
    pub hit_current: Style,
    pub watch: Style,
    pub json_key: Style,
    pub json_string: Style,
    pub json_number: Style,
    pub json_literal: Style,
}

impl Theme {
    pub fn color() -> Self {
        let s = Style::default();
        Theme {
            mono: false,
            label: s.fg(Color::Blue),
            value: s,
            dim: s.add_modifier(Modifier::DIM),
            title: s.add_modifier(Modifier::BOLD),
            accent: s.fg(Color::Cyan),
            focus: s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            selected: s.add_modifier(Modifier::REVERSED),
            robot: s.fg(Color::Cyan),
            callee: s.fg(Color::Magenta),
            good: s.fg(Color::Green),
            bad: s.fg(Color::Red).add_modifier(Modifier::BOLD),
            other: s.fg(Color::Yellow),
            error: s.fg(Color::Red).add_modifier(Modifier::BOLD),
            warn: s.fg(Color::Yellow),
            key: s.add_modifier(Modifier::BOLD),
            hit: s.fg(Color::Black).bg(Color::Yellow),
            hit_current: s
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            watch: s
                .fg(Color::Red)
                .add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            json_key: s.fg(Color::Blue),
            json_string: s.fg(Color::Green),
            json_number: s.fg(Color::Magenta),
            json_literal: s.fg(Color::Yellow),
        }
    }

    pub fn plain() -> Self {
        let s = Style::default();
        let b = s.add_modifier(Modifier::BOLD);
        Theme {
            mono: true,
            label: s,
            value: s,
            dim: s,
            title: b,
            accent: s,
            focus: b,
            selected: s.add_modifier(Modifier::REVERSED),
            robot: s,
            callee: s,
            good: s,
            bad: b,
            other: s,
            error: b,
            warn: s,
            key: b,
            hit: s.add_modifier(Modifier::UNDERLINED),
            hit_current: s.add_modifier(Modifier::REVERSED),
            watch: b.add_modifier(Modifier::UNDERLINED),
            json_key: s,
            json_string: s,
            json_number: s,
            json_literal: s,
        }
    }

    /// Colour unless `NO_COLOR` is set (to anything non-empty).
    pub fn current() -> Self {
        static NO_COLOR: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let mono =
            *NO_COLOR.get_or_init(|| std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()));
        if mono { Theme::plain() } else { Theme::color() }
    }
}
