//! The rows of the key table for a review of many cases (`review DIR`): its own file so that
//! each stays readable; [`super::bindings`] puts them after the inspector's.

use super::{
    Binding, Command as C, END_KEYS, ENDS, Mode, PAGE_KEYS, PAGES, SCROLL_KEYS, SCROLLS, UP_DOWN,
    UP_DOWN_KEYS, code, ctrl, k, row,
};
use crate::app::review::list::Quick;
use crate::app::views::Nav;
use crate::review::marks::Verdict;
use crossterm::event::KeyCode as K;

pub const REVIEW: &[Binding] = &[
    row(
        Mode::Review,
        &[k(']'), k('[')],
        &[C::NextCase, C::PrevCase],
        "`]` / `[`",
        "the next / previous case of the list (as filtered and sorted), from the list or a case: opened in the same tab, with the transcript's filter and the searches kept",
    ),
    row(
        Mode::Review,
        &[k('P'), k('X'), k('!')],
        &[
            C::Verdict(Verdict::Pass),
            C::Verdict(Verdict::Fail),
            C::Verdict(Verdict::Flag),
        ],
        "`P` / `X` / `!`",
        "verdict: pass / fail / flag for follow-up, saved at once in `DIR/review.jsonl` (the same key again takes it back); the selection stays",
    ),
    row(
        Mode::Review,
        &[k('i')],
        &[C::EditNote],
        "`i`",
        "write the case's note (one line: `Enter` saves it, `Esc` leaves it as it was)",
    ),
    row(
        Mode::List,
        UP_DOWN_KEYS,
        UP_DOWN,
        "`↑` `↓` / `j` `k`",
        "move the selection",
    ),
    row(
        Mode::List,
        PAGE_KEYS,
        PAGES,
        "`PgUp` `PgDn` / `Space`",
        "a page up / down (`Ctrl-U` / `Ctrl-D` too)",
    ),
    row(
        Mode::List,
        END_KEYS,
        ENDS,
        "`g` / `G`",
        "the first / last case (`Home` / `End` too)",
    ),
    row(
        Mode::List,
        &[code(K::Enter)],
        &[C::Submit],
        "`Enter`",
        "open the case in the tabs (`Esc` or `f` there comes back to the list)",
    ),
    row(
        Mode::List,
        &[k('/')],
        &[C::Filter],
        "`/`",
        "filter the list as you type: fuzzy, on every column shown, best match first and selected; `Enter` keeps it",
    ),
    row(
        Mode::List,
        &[k('o'), k('O')],
        &[C::SortNext, C::SortReverse],
        "`o` / `O`",
        "sort by the next column / reverse the order",
    ),
    row(
        Mode::List,
        &[k('u'), k('x'), k('w'), k('e')],
        &[
            C::Quick(Quick::Unreviewed),
            C::Quick(Quick::Mismatch),
            C::Quick(Quick::Watch),
            C::Quick(Quick::Failed),
        ],
        "`u` / `x` / `w` / `e`",
        "show only the unreviewed / Q&A mismatches / watch-word hits / failed cases (the same key again shows all)",
    ),
    row(
        Mode::List,
        &[k('s')],
        &[C::Figures],
        "`s`",
        "the review's figures: verdicts, intentions, hang-ups, watch words, mismatches by question, failed cases",
    ),
    row(
        Mode::List,
        &[k('m')],
        &[C::Mask],
        "`m`",
        "mask names and numbers (the list and every case); again to show them",
    ),
    row(
        Mode::List,
        &[code(K::Esc)],
        &[C::Escape],
        "`Esc`",
        "clear the filter and the quick filter",
    ),
    row(Mode::List, &[k('?')], &[C::Help], "`?`", "help"),
    row(Mode::List, &[k('q')], &[C::Quit], "`q`", "quit"),
    row(
        Mode::ListFilter,
        &[code(K::Enter), code(K::Esc)],
        &[C::KeepSearch, C::LeaveSearch],
        "`Enter` / `Esc`",
        "keep the filter / clear it",
    ),
    row(
        Mode::ListFilter,
        &[code(K::Backspace), ctrl('u')],
        &[C::DeleteChar, C::ClearSearch],
        "`⌫` / `Ctrl-U`",
        "delete a character / the whole filter",
    ),
    row(
        Mode::ListFilter,
        &[code(K::Up), code(K::Down)],
        &[C::Move(Nav::Up), C::Move(Nav::Down)],
        "`↑` / `↓`",
        "move the selection while typing",
    ),
    row(
        Mode::Note,
        &[code(K::Enter), code(K::Esc)],
        &[C::KeepSearch, C::LeaveSearch],
        "`Enter` / `Esc`",
        "save the note / leave it as it was",
    ),
    row(
        Mode::Figures,
        &[code(K::Esc), k('s'), k('q')],
        &[C::CloseHelp],
        "`Esc` `s` `q`",
        "back to the list (`j` `k` `Space` `g` `G` scroll)",
    ),
    row(Mode::Figures, SCROLL_KEYS, SCROLLS, "", ""),
];
