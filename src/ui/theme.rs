//! Colours that read on dark and light terminals: the terminal's own palette (named ANSI
//! colours), never fixed RGB backgrounds. Three themes:
//!
//! - `dark` (the default): bright-enough colours for a dark background.
//! - `light`: no yellow, cyan or pale text on white; blue, magenta, red and green, bold where
//!   a colour is thin.
//! - `mono`: no colour at all, only bold, underline and reverse video. `NO_COLOR` forces it.
//!
//! In every theme Match/Mismatch and the two speakers also differ by symbol (✓ ✗ ?, ◆ ●),
//! never by red/green alone. The theme is chosen once at startup ([`select`]: `--theme`,
//! else the config's `theme`, else `COLORFGBG`'s background, else dark) and read by every
//! tab through [`Theme::current`].

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use ratatui::style::{Color, Modifier, Style};

/// The three themes by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    Mono,
}

impl ThemeName {
    pub const ALL: [ThemeName; 3] = [ThemeName::Dark, ThemeName::Light, ThemeName::Mono];

    pub fn as_str(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::Mono => "mono",
        }
    }

    /// `dark`, `light` or `mono` (any case; `plain` and `none` also mean mono).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "dark" => Some(ThemeName::Dark),
            "light" => Some(ThemeName::Light),
            "mono" | "plain" | "none" | "no-color" => Some(ThemeName::Mono),
            _ => None,
        }
    }

    fn code(self) -> u8 {
        match self {
            ThemeName::Dark => 1,
            ThemeName::Light => 2,
            ThemeName::Mono => 3,
        }
    }

    fn from_code(c: u8) -> Option<Self> {
        match c {
            1 => Some(ThemeName::Dark),
            2 => Some(ThemeName::Light),
            3 => Some(ThemeName::Mono),
            _ => None,
        }
    }
}

/// The process-wide choice; 0 until [`set`] or [`select`] runs.
static SELECTED: AtomicU8 = AtomicU8::new(0);

/// Sets the theme every tab draws with (`NO_COLOR` still wins, see [`Theme::current`]).
pub fn set(name: ThemeName) {
    SELECTED.store(name.code(), Ordering::Relaxed);
}

/// The theme chosen, before `NO_COLOR` is taken into account.
pub fn selected() -> ThemeName {
    ThemeName::from_code(SELECTED.load(Ordering::Relaxed)).unwrap_or_default()
}

/// `NO_COLOR` set to anything non-empty (read once).
pub fn no_color() -> bool {
    static NO_COLOR: OnceLock<bool> = OnceLock::new();
    *NO_COLOR.get_or_init(|| std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()))
}

/// The background `COLORFGBG` (`"15;0"`: fg;bg, set by rxvt, Konsole and others) names.
pub fn background_from_colorfgbg(value: &str) -> Option<ThemeName> {
    let bg: u8 = value.rsplit(';').next()?.trim().parse().ok()?;
    // 7 (white) and 9-15 except 8 (grey) are light backgrounds in the 16-colour palette.
    Some(if bg == 7 || (9..=15).contains(&bg) {
        ThemeName::Light
    } else {
        ThemeName::Dark
    })
}

/// The theme from `--theme` (`flag`), else the config's `theme`, else the terminal's
/// background when `COLORFGBG` tells it, else dark; sets it for the process and returns it
/// with a warning for a config name that is not a theme.
pub fn select(flag: Option<&str>, config: Option<&str>) -> (ThemeName, Option<String>) {
    let colorfgbg = std::env::var("COLORFGBG").ok();
    let chosen = choose(flag, config, colorfgbg.as_deref());
    set(chosen.0);
    chosen
}

/// [`select`] without its effects.
pub fn choose(
    flag: Option<&str>,
    config: Option<&str>,
    colorfgbg: Option<&str>,
) -> (ThemeName, Option<String>) {
    let mut warning = None;
    let from_config = config.and_then(|c| {
        let t = ThemeName::parse(c);
        if t.is_none() {
            warning = Some(format!(
                "config: theme {:?} is not dark, light or mono; ignoring it",
                crate::text::clean(c)
            ));
        }
        t
    });
    let name = flag
        .and_then(ThemeName::parse)
        .or(from_config)
        .or_else(|| colorfgbg.and_then(background_from_colorfgbg))
        .unwrap_or_default();
    (name, warning)
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub name: ThemeName,
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
    /// The dark theme (the default).
    pub fn color() -> Self {
        Theme::dark()
    }

    /// For a dark background: no plain blue (too dark on black), bright red for trouble.
    pub fn dark() -> Self {
        let s = Style::default();
        Theme {
            name: ThemeName::Dark,
            mono: false,
            label: s.fg(Color::LightBlue),
            value: s,
            dim: s.add_modifier(Modifier::DIM),
            title: s.add_modifier(Modifier::BOLD),
            accent: s.fg(Color::Cyan),
            focus: s.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            selected: s.add_modifier(Modifier::REVERSED),
            robot: s.fg(Color::Cyan),
            callee: s.fg(Color::LightMagenta),
            good: s.fg(Color::Green),
            bad: s.fg(Color::LightRed).add_modifier(Modifier::BOLD),
            other: s.fg(Color::Yellow),
            error: s.fg(Color::LightRed).add_modifier(Modifier::BOLD),
            warn: s.fg(Color::Yellow),
            key: s.add_modifier(Modifier::BOLD),
            hit: s.fg(Color::Black).bg(Color::Yellow),
            hit_current: s
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            watch: s
                .fg(Color::LightRed)
                .add_modifier(Modifier::UNDERLINED | Modifier::BOLD),
            json_key: s.fg(Color::LightBlue),
            json_string: s.fg(Color::Green),
            json_number: s.fg(Color::LightMagenta),
            json_literal: s.fg(Color::Yellow),
        }
    }

    /// For a light background: no yellow, cyan or light colours as text; bold where the
    /// terminal's green or red may be thin on white.
    pub fn light() -> Self {
        let s = Style::default();
        let bold = Modifier::BOLD;
        Theme {
            name: ThemeName::Light,
            mono: false,
            label: s.fg(Color::Blue),
            value: s,
            dim: s.add_modifier(Modifier::DIM),
            title: s.add_modifier(bold),
            accent: s.fg(Color::Blue),
            focus: s.fg(Color::Blue).add_modifier(bold),
            selected: s.add_modifier(Modifier::REVERSED),
            robot: s.fg(Color::Blue),
            callee: s.fg(Color::Magenta),
            good: s.fg(Color::Green).add_modifier(bold),
            bad: s.fg(Color::Red).add_modifier(bold),
            other: s.fg(Color::Blue),
            error: s.fg(Color::Red).add_modifier(bold),
            warn: s.fg(Color::Magenta),
            key: s.add_modifier(bold),
            hit: s.fg(Color::Black).bg(Color::Yellow),
            hit_current: s.fg(Color::White).bg(Color::Blue).add_modifier(bold),
            watch: s.fg(Color::Red).add_modifier(Modifier::UNDERLINED | bold),
            json_key: s.fg(Color::Blue),
            json_string: s.fg(Color::Green),
            json_number: s.fg(Color::Magenta),
            json_literal: s.fg(Color::Red),
        }
    }

    /// The mono theme: no colour, only bold, underline and reverse video.
    pub fn plain() -> Self {
        let s = Style::default();
        let b = s.add_modifier(Modifier::BOLD);
        Theme {
            name: ThemeName::Mono,
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

    pub fn named(name: ThemeName) -> Self {
        match name {
            ThemeName::Dark => Theme::dark(),
            ThemeName::Light => Theme::light(),
            ThemeName::Mono => Theme::plain(),
        }
    }

    /// The theme chosen at startup ([`select`]); mono whenever `NO_COLOR` is set.
    pub fn current() -> Self {
        if no_color() {
            Theme::plain()
        } else {
            Theme::named(selected())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_then_the_config_then_the_background() {
        let c = |f, cfg, bg| choose(f, cfg, bg).0;
        assert_eq!(c(None, None, None), ThemeName::Dark);
        assert_eq!(c(None, None, Some("0;15")), ThemeName::Light);
        assert_eq!(c(None, Some("mono"), Some("0;15")), ThemeName::Mono);
        assert_eq!(c(Some("light"), Some("mono"), None), ThemeName::Light);
        assert_eq!(c(Some("dark"), None, Some("0;15")), ThemeName::Dark);
    }

    #[test]
    fn an_unknown_config_theme_is_a_warning() {
        let (name, warning) = choose(None, Some("neon\x1b[31m"), None);
        assert_eq!(name, ThemeName::Dark);
        let w = warning.unwrap();
        assert!(w.contains("neon") && !w.contains('\x1b'), "{w}");
        assert_eq!(choose(None, Some("Light"), None), (ThemeName::Light, None));
    }

    #[test]
    fn mono_is_colourless_and_keeps_marks() {
        let m = Theme::plain();
        for style in [
            m.robot, m.callee, m.good, m.bad, m.other, m.hit, m.watch, m.error,
        ] {
            assert_eq!((style.fg, style.bg), (None, None));
        }
        assert_ne!(m.hit, m.hit_current);
        assert_ne!(m.good, m.bad);
    }

    #[test]
    fn dark_and_light_keep_verdicts_and_speakers_apart() {
        for t in [Theme::dark(), Theme::light()] {
            assert_ne!(t.good.fg, t.bad.fg);
            assert_ne!(t.good.fg, t.other.fg);
            assert_ne!(t.bad.fg, t.other.fg);
            assert_ne!(t.robot.fg, t.callee.fg);
            assert_ne!(t.hit, t.hit_current);
        }
        assert_ne!(Theme::dark(), Theme::light());
    }
}
