//! Transcript turns from `asr_result`. Each record holds what the robot said (`robottext`)
//! and what the callee said (`text`); a record with neither is a silence, and runs of them
//! fold into one entry. Turns point into the model by index instead of copying text, so a
//! transcript of 100,000 turns costs a few bytes a turn.
//!
//! Times are record start offsets, so durations are approximate: a turn lasts until the next
//! record starts, and a silence spans from the last spoken turn to the next one.

use super::time::parse_offset;
use crate::api::model::AsrItem;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    Robot,
    Callee,
}

impl Speaker {
    pub fn name(self) -> &'static str {
        match self {
            Speaker::Robot => "Robot",
            Speaker::Callee => "Callee",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Turn {
        /// Index into `asr_result`.
        item: u32,
        speaker: Speaker,
        /// Seconds from the call's start.
        at: Option<u32>,
    },
    Silence {
        /// The first empty record of the run.
        item: u32,
        at: Option<u32>,
        secs: Option<u32>,
        /// Empty records folded into this entry.
        records: u32,
    },
}

impl Entry {
    pub fn at(&self) -> Option<u32> {
        match self {
            Entry::Turn { at, .. } | Entry::Silence { at, .. } => *at,
        }
    }
    pub fn item(&self) -> usize {
        match self {
            Entry::Turn { item, .. } | Entry::Silence { item, .. } => *item as usize,
        }
    }
    pub fn speaker(&self) -> Option<Speaker> {
        match self {
            Entry::Turn { speaker, .. } => Some(*speaker),
            Entry::Silence { .. } => None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub robot_turns: usize,
    pub callee_turns: usize,
    pub robot_secs: u64,
    pub callee_secs: u64,
    /// The longest silence: its length and its index in `entries`.
    pub longest_silence: Option<(u32, usize)>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Transcript {
    pub entries: Vec<Entry>,
    pub stats: Stats,
}

/// The words of a turn (empty for a silence).
pub fn text<'a>(entry: &Entry, items: &'a [AsrItem]) -> &'a str {
    match entry {
        Entry::Turn { item, speaker, .. } => items
            .get(*item as usize)
            .map(|i| match speaker {
                Speaker::Robot => i.robottext.show(),
                Speaker::Callee => i.text.show(),
            })
            .unwrap_or(""),
        Entry::Silence { .. } => "",
    }
}

impl Transcript {
    pub fn build(items: &[AsrItem], call_duration: Option<i64>) -> Self {
        let mut entries: Vec<Entry> = Vec::with_capacity(items.len() + items.len() / 4);
        for (i, rec) in items.iter().enumerate() {
            let item = i as u32;
            let at = parse_offset(rec.time.show());
            let robot = rec.robottext.is_set();
            let callee = rec.text.is_set();
            if robot {
                entries.push(Entry::Turn {
                    item,
                    speaker: Speaker::Robot,
                    at,
                });
            }
            if callee {
                entries.push(Entry::Turn {
                    item,
                    speaker: Speaker::Callee,
                    at,
                });
            }
            if !robot && !callee {
                if let Some(Entry::Silence { records, .. }) = entries.last_mut() {
                    *records += 1;
                } else {
                    entries.push(Entry::Silence {
                        item,
                        at,
                        secs: None,
                        records: 1,
                    });
                }
            }
        }
        let mut stats = Stats::default();
        let end = call_duration.and_then(|d| u32::try_from(d).ok());
        let mut last_spoken: Option<u32> = None;
        // The next known time after each entry, and the next spoken one, found in one pass
        // from the end: a search forward from each entry is quadratic when no turn has a time.
        let mut after = vec![(None, None); entries.len()];
        let (mut next_at, mut next_spoken) = (None, None);
        for (idx, e) in entries.iter().enumerate().rev() {
            after[idx] = (next_at, next_spoken);
            if let Some(at) = e.at() {
                next_at = Some(at);
            }
            if let Entry::Turn { at: Some(at), .. } = e {
                next_spoken = Some(*at);
            }
        }
        for idx in 0..entries.len() {
            let (next_at, next_spoken) = after[idx];
            match entries[idx] {
                Entry::Turn { speaker, at, .. } => {
                    let until = next_at.or(end);
                    let secs = match (at, until) {
                        (Some(a), Some(u)) => u.saturating_sub(a) as u64,
                        _ => 0,
                    };
                    match speaker {
                        Speaker::Robot => {
                            stats.robot_turns += 1;
                            stats.robot_secs += secs;
                        }
                        Speaker::Callee => {
                            stats.callee_turns += 1;
                            stats.callee_secs += secs;
                        }
                    }
                    if at.is_some() {
                        last_spoken = at;
                    }
                }
                Entry::Silence {
                    item, at, records, ..
                } => {
                    let last_record = items
                        .get(item as usize + records as usize - 1)
                        .and_then(|r| parse_offset(r.time.show()));
                    let from = last_spoken.or(at);
                    let to = next_spoken.or(last_record);
                    let secs = match (from, to) {
                        (Some(f), Some(t)) => Some(t.saturating_sub(f)),
                        _ => None,
                    };
                    if let Some(s) = secs
                        && stats.longest_silence.is_none_or(|(l, _)| s > l)
                    {
                        stats.longest_silence = Some((s, idx));
                    }
                    entries[idx] = Entry::Silence {
                        item,
                        at,
                        secs,
                        records,
                    };
                }
            }
        }
        Transcript { entries, stats }
    }

    pub fn turns(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| matches!(e, Entry::Turn { .. }))
    }

    pub fn turn_count(&self) -> usize {
        self.stats.robot_turns + self.stats.callee_turns
    }
}

/// `mm:ss Speaker: text` or `mm:ss (silence mm:ss)`, one line, made safe.
pub fn plain_line(e: &Entry, items: &[AsrItem]) -> String {
    let at = e
        .at()
        .map(super::time::clock)
        .unwrap_or_else(|| "--:--".into());
    match e {
        Entry::Turn { speaker, .. } => {
            format!(
                "{at} {}: {}",
                speaker.name(),
                crate::text::one_line(text(e, items))
            )
        }
        Entry::Silence { secs: Some(s), .. } => {
            format!("{at} (silence {})", super::time::clock(*s))
        }
        Entry::Silence { secs: None, .. } => format!("{at} (silence)"),
    }
}

/// A transcript record for tests: its time, the robot's words and the callee's.
#[cfg(test)]
pub(crate) fn rec(time: &str, robot: &str, callee: &str) -> AsrItem {
    use crate::api::tolerant::Scalar;
    AsrItem {
        time: Scalar::from(time),
        robottext: Scalar::from(robot),
        text: Scalar::from(callee),
        ..AsrItem::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference example's transcript.
    fn reference() -> Vec<AsrItem> {
        vec![
            rec("00:00:00", "halo (jeda 1-2 detik) selamat siang", ""),
            rec("00:00:03", "Apa boleh minta waktunya sebentar?", ""),
            rec("00:00:10", "", ""),
            rec("00:00:10", "Halo", ""),
            rec("00:00:13", "", ""),
            rec("00:00:13", "mengapa tidak berbicara?", ""),
            rec("00:00:18", "", ""),
            rec("00:00:18", "Halo? Apa suara saya terdengar?", ""),
        ]
    }

    #[test]
    fn reference_turns_and_silences() {
        let items = reference();
        let t = Transcript::build(&items, Some(26));
        let shape: Vec<String> = t
            .entries
            .iter()
            .map(|e| match e {
                Entry::Turn { speaker, at, .. } => format!("{}@{}", speaker.name(), at.unwrap()),
                Entry::Silence { secs, .. } => format!("silence {}", secs.unwrap()),
            })
            .collect();
        assert_eq!(
            shape,
            [
                "Robot@0",
                "Robot@3",
                "silence 7",
                "Robot@10",
                "silence 3",
                "Robot@13",
                "silence 5",
                "Robot@18"
            ]
        );
        assert_eq!(
            text(&t.entries[1], &items),
            "Apa boleh minta waktunya sebentar?"
        );
        assert_eq!(t.stats.robot_turns, 5);
        assert_eq!(t.stats.callee_turns, 0);
        // 0→3, 3→10, 10→13, 13→18, 18→26 (call end).
        assert_eq!(t.stats.robot_secs, 26);
        assert_eq!(t.stats.longest_silence, Some((7, 2)));
    }

    #[test]
    fn both_speakers_in_one_record_and_runs_of_silence() {
        let items = vec![
            rec("00:00:01", "Do you confirm?", "yes I do"),
            rec("00:00:05", "", ""),
            rec("00:00:09", "", ""),
            rec("00:00:12", "", "hello?"),
        ];
        let t = Transcript::build(&items, None);
        assert_eq!(t.entries.len(), 4);
        assert_eq!(t.entries[1].speaker(), Some(Speaker::Callee));
        assert!(matches!(
            t.entries[2],
            Entry::Silence {
                records: 2,
                secs: Some(11),
                at: Some(5),
                ..
            }
        ));
        assert_eq!(text(&t.entries[3], &items), "hello?");
        assert_eq!((t.stats.robot_turns, t.stats.callee_turns), (1, 2));
    }

    #[test]
    fn unreadable_times_do_not_break_anything() {
        let items = vec![
            rec("??", "a", ""),
            rec("", "", ""),
            rec("00:00:02", "", "b"),
        ];
        let t = Transcript::build(&items, None);
        assert_eq!(t.turn_count(), 2);
        assert!(matches!(
            t.entries[1],
            Entry::Silence {
                secs: Some(0) | None,
                ..
            }
        ));
        let empty = Transcript::build(&[], None);
        assert!(empty.entries.is_empty());
    }

    #[test]
    fn plain_lines() {
        let items = vec![
            rec("00:00:00", "Hello", ""),
            rec("00:00:05", "", "I will pay 650 dollars"),
            rec("00:00:09", "", ""),
            rec("00:00:20", "Pay on the 15th?", ""),
        ];
        let t = Transcript::build(&items, Some(70));
        assert_eq!(
            plain_line(&t.entries[1], &items),
            "00:05 Callee: I will pay 650 dollars"
        );
        assert_eq!(plain_line(&t.entries[2], &items), "00:09 (silence 00:15)");
    }
}
