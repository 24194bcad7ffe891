//! Every key, in one table of (where, keys, command, words): `update` finds what a key does
//! here ([`command`]), the help overlay lists the same rows ([`groups`]), and the README's key
//! table is made from them ([`readme_table`], a test holds the README to it). A key that is not
//! in the table for where the focus is does nothing there; in a text field (the form, a search
//! or time prompt, the history filter) only the table's keys for that field act and the rest
//! are typed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::review::list::Quick;
use super::views::Nav;
use crate::review::marks::Verdict;

mod review;

/// Where a key is pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Before anything else, wherever the focus is (the help overlay and the history pane
    /// aside, which take every key while open).
    Anywhere,
    /// A field of the form has the focus: other keys are typed into it.
    Form,
    /// The result (the tabs) has the focus.
    Result,
    /// The Transcript tab, before the result's keys.
    Transcript,
    /// A `/` search being typed: other keys are typed into it.
    Search,
    /// The help overlay.
    Help,
    /// Any screen of a review (`review DIR`): the list or a case, before their own keys.
    Review,
    /// The case list of a review.
    List,
    /// The list's `/` filter being typed: other keys are typed into it.
    ListFilter,
    /// A case's note being written (`i`): other keys edit it.
    Note,
    /// The review's figures (`s` in the list).
    Figures,
    /// The mouse (listed, not dispatched here).
    Mouse,
}

impl Mode {
    /// Modes that only a review of many cases has.
    pub fn in_review(self) -> bool {
        matches!(
            self,
            Mode::Review | Mode::List | Mode::ListFilter | Mode::Note | Mode::Figures
        )
    }

    fn title(self) -> &'static str {
        match self {
            Mode::Anywhere => "anywhere",
            Mode::Form => "form",
            Mode::Result => "result",
            Mode::Transcript => "transcript",
            Mode::Search => "search",
            Mode::Help => "help",
            Mode::Review => "review",
            Mode::List => "case list",
            Mode::ListFilter => "list filter",
            Mode::Note => "note",
            Mode::Figures => "figures",
            Mode::Mouse => "mouse",
        }
    }
}

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Quit,
    Help,
    CloseHelp,
    MouseCapture,
    ToggleForm,
    History,
    /// Cancel the running request, else what Esc means where the focus is.
    Escape,
    Submit,
    NextField,
    PrevField,
    FieldDown,
    FieldUp,
    NextDemo,
    PrevDemo,
    /// A key the focused field acts on itself (readline's `Ctrl-U`, `Ctrl-W`).
    EditField,
    /// One of the six tabs, by index.
    Tab(u8),
    DiffTab,
    PrevTab,
    NextTab,
    /// A movement, as every tab (and the help) understands it.
    Move(Nav),
    Search,
    NextMatch,
    PrevMatch,
    Copy,
    CopyAll,
    Export,
    Verify,
    DiffPrevious,
    /// Back to the form: the field it had, the first, the last.
    ToForm,
    ToFirstField,
    ToLastField,
    Mask,
    RobotOnly,
    CalleeOnly,
    AllTurns,
    Silences,
    JumpTime,
    /// In a search being typed: keep it / clear it / delete a character.
    KeepSearch,
    LeaveSearch,
    ClearSearch,
    DeleteChar,
    /// In a review: the next / previous case of the list, opened in the same tab.
    NextCase,
    PrevCase,
    /// In a review: the verdict of the case.
    Verdict(Verdict),
    /// In a review: write the case's note.
    EditNote,
    /// The list's `/` filter.
    Filter,
    /// Sort the list by the next column / reverse it.
    SortNext,
    SortReverse,
    /// Show only some cases (the same again shows all).
    Quick(Quick),
    /// The review's figures.
    Figures,
}

/// A key as the table names it: a code and the modifiers that must be held (Shift is not
/// compared for characters: `Y` arrives with it or without, depending on the terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

impl Key {
    fn matches(self, key: &KeyEvent) -> bool {
        let held = key.modifiers.contains(KeyModifiers::CONTROL);
        self.code == key.code && self.ctrl == held
    }
}

/// One row of the table: in `mode`, any of `keys` runs `command`; `label` names the keys and
/// `words` say what they do, for the help and the README.
#[derive(Debug)]
pub struct Binding {
    pub mode: Mode,
    pub keys: &'static [Key],
    /// Each key's command, in the order of `keys` when they differ (`j`/`k`), else one.
    pub commands: &'static [Command],
    pub label: &'static str,
    pub words: &'static str,
}

use Command as C;
use KeyCode as K;

const fn row(
    mode: Mode,
    keys: &'static [Key],
    commands: &'static [Command],
    label: &'static str,
    words: &'static str,
) -> Binding {
    Binding {
        mode,
        keys,
        commands,
        label,
        words,
    }
}

/// `↑` `k` `↓` `j`: a line or a row up or down, wherever something moves.
const UP_DOWN_KEYS: &[Key] = &[code(K::Up), k('k'), code(K::Down), k('j')];
const UP_DOWN: &[Command] = &[
    C::Move(Nav::Up),
    C::Move(Nav::Up),
    C::Move(Nav::Down),
    C::Move(Nav::Down),
];
/// A page up or down (`Ctrl-U` / `Ctrl-D` as in less and vim).
const PAGE_KEYS: &[Key] = &[
    code(K::PageUp),
    ctrl('u'),
    code(K::PageDown),
    k(' '),
    ctrl('d'),
];
const PAGES: &[Command] = &[
    C::Move(Nav::PageUp),
    C::Move(Nav::PageUp),
    C::Move(Nav::PageDown),
    C::Move(Nav::PageDown),
    C::Move(Nav::PageDown),
];
/// The top and the end.
const END_KEYS: &[Key] = &[code(K::Home), k('g'), code(K::End), k('G')];
const ENDS: &[Command] = &[
    C::Move(Nav::Top),
    C::Move(Nav::Top),
    C::Move(Nav::Bottom),
    C::Move(Nav::Bottom),
];
/// Every key that scrolls a text with nothing to select (the help, a review's figures).
const SCROLL_KEYS: &[Key] = &[
    code(K::Down),
    k('j'),
    code(K::Up),
    k('k'),
    code(K::PageDown),
    k(' '),
    code(K::PageUp),
    code(K::Home),
    k('g'),
    code(K::End),
    k('G'),
];
const SCROLLS: &[Command] = &[
    C::Move(Nav::Down),
    C::Move(Nav::Down),
    C::Move(Nav::Up),
    C::Move(Nav::Up),
    C::Move(Nav::PageDown),
    C::Move(Nav::PageDown),
    C::Move(Nav::PageUp),
    C::Move(Nav::Top),
    C::Move(Nav::Top),
    C::Move(Nav::Bottom),
    C::Move(Nav::Bottom),
];

/// The table.
pub const BINDINGS: &[Binding] = &[
    row(Mode::Anywhere, &[ctrl('c')], &[C::Quit], "`Ctrl-C`", "quit"),
    row(Mode::Anywhere, &[code(K::F(1))], &[C::Help], "`F1`", "help"),
    row(
        Mode::Anywhere,
        &[code(K::F(2))],
        &[C::MouseCapture],
        "`F2`",
        "mouse capture on/off (off gives the terminal's own text selection back)",
    ),
    row(
        Mode::Anywhere,
        &[ctrl('b')],
        &[C::ToggleForm],
        "`Ctrl-B`",
        "hide or show the form pane",
    ),
    row(
        Mode::Anywhere,
        &[ctrl('r')],
        &[C::History],
        "`Ctrl-R`",
        "past lookups: type to filter (fuzzy), `↑`/`↓` choose, `Enter` puts one in the form (`Enter` again sends it), `Esc` closes",
    ),
    row(
        Mode::Form,
        &[code(K::Enter)],
        &[C::Submit],
        "`Enter`",
        "send the query (from any field)",
    ),
    row(
        Mode::Form,
        &[code(K::Esc)],
        &[C::Escape],
        "`Esc`",
        "cancel the running request; else to the result",
    ),
    row(
        Mode::Form,
        &[code(K::Tab), code(K::BackTab)],
        &[C::NextField, C::PrevField],
        "`Tab` / `Shift-Tab`",
        "next / previous field, then the result",
    ),
    row(
        Mode::Form,
        &[code(K::Up), code(K::Down)],
        &[C::FieldUp, C::FieldDown],
        "`↑` / `↓`",
        "previous / next field",
    ),
    row(
        Mode::Form,
        &[ctrl('u'), ctrl('w')],
        &[C::EditField],
        "`Ctrl-U` / `Ctrl-W`",
        "clear the field / delete the word before the cursor",
    ),
    row(
        Mode::Form,
        &[ctrl('n'), ctrl('p')],
        &[C::NextDemo, C::PrevDemo],
        "`Ctrl-N` / `Ctrl-P`",
        "next / previous demo case (demo only)",
    ),
    row(
        Mode::Result,
        &[k('1'), k('2'), k('3'), k('4'), k('5'), k('6')],
        &[
            C::Tab(0),
            C::Tab(1),
            C::Tab(2),
            C::Tab(3),
            C::Tab(4),
            C::Tab(5),
        ],
        "`1`–`6`",
        "Profile, Call, Redials, Q&A, Transcript, Raw JSON",
    ),
    row(
        Mode::Result,
        &[k('7')],
        &[C::DiffTab],
        "`7`",
        "the Diff view, when there is one",
    ),
    row(
        Mode::Result,
        &[code(K::Left), k('h'), code(K::Right), k('l')],
        &[C::PrevTab, C::PrevTab, C::NextTab, C::NextTab],
        "`←` `→` / `h` `l`",
        "previous / next tab",
    ),
    row(
        Mode::Result,
        UP_DOWN_KEYS,
        UP_DOWN,
        "`↑` `↓` / `j` `k`",
        "scroll or move the selection",
    ),
    row(
        Mode::Result,
        PAGE_KEYS,
        PAGES,
        "`PgUp` `PgDn` / `Space`",
        "a page up / down (`Ctrl-U` / `Ctrl-D` too)",
    ),
    row(
        Mode::Result,
        END_KEYS,
        ENDS,
        "`g` / `G`",
        "top / end (`Home` / `End` too)",
    ),
    row(
        Mode::Result,
        &[k('/')],
        &[C::Search],
        "`/`",
        "search (Transcript, Raw JSON): incremental; `Enter` keeps it, `Esc` leaves",
    ),
    row(
        Mode::Result,
        &[k('n'), k('N')],
        &[C::NextMatch, C::PrevMatch],
        "`n` / `N`",
        "next / previous match, wrapping around",
    ),
    row(
        Mode::Result,
        &[k('y'), k('Y')],
        &[C::Copy, C::CopyAll],
        "`y` / `Y`",
        "copy the selection / the whole tab (system clipboard; inside tmux its paste buffer; else OSC 52 to the terminal)",
    ),
    row(
        Mode::Result,
        &[k('e')],
        &[C::Export],
        "`e`",
        "export the Markdown report and the transcript into the working directory (`--export-dir`)",
    ),
    row(
        Mode::Result,
        &[k('v')],
        &[C::Verify],
        "`v`",
        "compare a push opened from a file with the API's record of it",
    ),
    row(
        Mode::Result,
        &[k('d')],
        &[C::DiffPrevious],
        "`d`",
        "compare this answer with the previous one for the same case",
    ),
    row(
        Mode::Result,
        &[k('f'), code(K::Tab), code(K::BackTab)],
        &[C::ToForm, C::ToFirstField, C::ToLastField],
        "`f` / `Tab`",
        "back to the form",
    ),
    row(
        Mode::Result,
        &[code(K::Enter)],
        &[C::Submit],
        "`Enter`",
        "send the query, when no answer is on screen yet",
    ),
    row(
        Mode::Result,
        &[k('m')],
        &[C::Mask],
        "`m`",
        "mask names, phone numbers, amounts and birth dates on every tab, copy and export (the status bar says \"masked\"); again to show them",
    ),
    row(
        Mode::Result,
        &[k('M')],
        &[C::MouseCapture],
        "`M`",
        "mouse capture on/off",
    ),
    row(
        Mode::Result,
        &[code(K::Esc)],
        &[C::Escape],
        "`Esc`",
        "cancel the running request; after a failed one, show the answer that was on screen again; else clear the search",
    ),
    row(Mode::Result, &[k('?')], &[C::Help], "`?`", "help"),
    row(Mode::Result, &[k('q')], &[C::Quit], "`q`", "quit"),
    row(
        Mode::Transcript,
        &[k('r'), k('c'), k('a')],
        &[C::RobotOnly, C::CalleeOnly, C::AllTurns],
        "`r` / `c` / `a`",
        "robot only / callee only / all turns",
    ),
    row(
        Mode::Transcript,
        &[k('s')],
        &[C::Silences],
        "`s`",
        "show or fold silences",
    ),
    row(
        Mode::Transcript,
        &[k(':')],
        &[C::JumpTime],
        "`:`",
        "jump to a time (`mm:ss` or `hh:mm:ss`)",
    ),
    row(
        Mode::Search,
        &[code(K::Enter), code(K::Esc)],
        &[C::KeepSearch, C::LeaveSearch],
        "`Enter` / `Esc`",
        "keep the search (`n`/`N` step through it) / leave it (`Esc` again clears the highlights)",
    ),
    row(
        Mode::Search,
        &[code(K::Backspace), ctrl('u')],
        &[C::DeleteChar, C::ClearSearch],
        "`⌫` / `Ctrl-U`",
        "delete a character (Backspace) / the whole query",
    ),
    row(
        Mode::Help,
        &[code(K::Esc), k('?'), k('q'), code(K::F(1)), code(K::Enter)],
        &[C::CloseHelp],
        "`Esc` `?` `q`",
        "close the help (`j` `k` `Space` `g` `G` scroll it)",
    ),
    row(Mode::Help, SCROLL_KEYS, SCROLLS, "", ""),
    row(Mode::Mouse, &[], &[], "click", "a tab or a form field"),
    row(Mode::Mouse, &[], &[], "wheel", "scroll"),
];

/// Every row: the inspector's, then a review's (kept in their own file, [`review::REVIEW`]).
pub fn bindings() -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().chain(review::REVIEW)
}

/// What `key` does in `mode`, if anything.
pub fn command(mode: Mode, key: &KeyEvent) -> Option<Command> {
    bindings().filter(|b| b.mode == mode).find_map(|b| {
        let i = b.keys.iter().position(|k| k.matches(key))?;
        b.commands.get(i).or(b.commands.last()).copied()
    })
}

/// The rows shown to people (the help's scroll keys are said in its close row).
fn listed() -> impl Iterator<Item = &'static Binding> {
    bindings().filter(|b| !b.label.is_empty())
}

/// The help overlay's groups: a title and (keys, words) rows, in the table's order; in a
/// review, its keys instead of the form's.
pub fn groups(review: bool) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let mut out: Vec<(&'static str, Vec<(String, &'static str)>)> = Vec::new();
    let shown = |m: Mode| match m {
        Mode::Form => !review,
        m => !m.in_review() || review,
    };
    for b in listed().filter(|b| shown(b.mode)) {
        let row = (b.label.replace('`', ""), b.words);
        match out.last_mut() {
            Some((title, rows)) if *title == b.mode.title() => rows.push(row),
            _ => out.push((b.mode.title(), vec![row])),
        }
    }
    out
}

/// The README's key table, as Markdown.
pub fn readme_table() -> String {
    let mut out = String::from("| where | key | does |\n|---|---|---|\n");
    let mut last = None;
    for b in listed() {
        let mode = b.mode.title();
        let shown = if last == Some(mode) { "" } else { mode };
        last = Some(mode);
        let cell = if shown.is_empty() {
            "| |".to_string()
        } else {
            format!("| {shown} |")
        };
        out.push_str(&format!("{cell} {} | {} |\n", b.label, b.words));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn keys_find_their_commands() {
        let none = KeyModifiers::NONE;
        let c = |mode, code, m| command(mode, &ev(code, m));
        assert_eq!(
            c(Mode::Result, K::Char('j'), none),
            Some(C::Move(Nav::Down))
        );
        assert_eq!(c(Mode::Result, K::Char('d'), none), Some(C::DiffPrevious));
        assert_eq!(
            c(Mode::Result, K::Char('d'), KeyModifiers::CONTROL),
            Some(C::Move(Nav::PageDown))
        );
        assert_eq!(
            c(Mode::Result, K::Char('Y'), KeyModifiers::SHIFT),
            Some(C::CopyAll)
        );
        assert_eq!(c(Mode::Result, K::Char('4'), none), Some(C::Tab(3)));
        assert_eq!(c(Mode::Form, K::Char('j'), none), None, "typed, not a key");
        assert_eq!(
            c(Mode::Anywhere, K::Char('c'), KeyModifiers::CONTROL),
            Some(C::Quit)
        );
    }

    #[test]
    fn every_row_has_a_command_for_each_key() {
        for b in bindings() {
            assert!(
                b.commands.len() == 1 || b.commands.len() == b.keys.len(),
                "{}",
                b.label
            );
            assert!(b.keys.is_empty() == b.commands.is_empty(), "{}", b.label);
        }
    }

    #[test]
    fn no_key_means_two_things_in_one_mode() {
        let all: Vec<&Binding> = bindings().collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                if a.mode == b.mode {
                    for k in a.keys {
                        assert!(!b.keys.contains(k), "{k:?} twice in {:?}", a.mode);
                    }
                }
            }
        }
    }
}
