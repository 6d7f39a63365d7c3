//! A case's sessions are listed a page at a time, newest first, on the
//! therapist's case page and on the supervisor's shared case: a case kept
//! for ten years of weekly sessions would otherwise be one page of five
//! hundred entries (issue 14: 545 kB of HTML, every session's facts read).

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

/// Sessions listed per page: about a year of weekly sessions.
pub const SESSIONS_PER_PAGE: u32 = 50;

/// Which page of a case's sessions is shown, and how many sessions the
/// case has (those the reader may see).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelinePage {
    /// From 1, the newest sessions.
    pub number: u32,
    pub total_sessions: u32,
}

impl TimelinePage {
    /// The page asked for, kept within the pages there are: an address
    /// with no page, a page that is not a number or a page past the last
    /// (the case lost sessions since the link was made) shows the nearest
    /// page there is, rather than an error or an empty list.
    pub fn of(requested: Option<u32>, total_sessions: u32) -> TimelinePage {
        let first = TimelinePage {
            number: 1,
            total_sessions,
        };
        TimelinePage {
            number: requested.unwrap_or(1).clamp(1, first.pages()),
            ..first
        }
    }

    /// How many pages the sessions fill (one, even when there are none).
    pub fn pages(self) -> u32 {
        self.total_sessions.div_ceil(SESSIONS_PER_PAGE).max(1)
    }

    /// How many sessions come before this page's first, newest first.
    pub fn offset(self) -> u32 {
        (self.number - 1) * SESSIONS_PER_PAGE
    }

    /// The page of newer sessions, if this is not the first.
    pub fn newer(self) -> Option<u32> {
        (self.number > 1).then(|| self.number - 1)
    }

    /// The page of earlier sessions, if this is not the last.
    pub fn earlier(self) -> Option<u32> {
        (self.number < self.pages()).then(|| self.number + 1)
    }

    /// `None` when every session fits on one page; otherwise which of them
    /// this page shows, counted newest first: `Sessions 51–100 of 520,
    /// newest first.`
    pub fn summary(self) -> Option<String> {
        (self.pages() > 1).then(|| {
            let first = self.offset() + 1;
            let last = (self.offset() + SESSIONS_PER_PAGE).min(self.total_sessions);
            format!(
                "Sessions {first}–{last} of {}, newest first.",
                self.total_sessions
            )
        })
    }
}

/// The page number in an address's `page` parameter: anything but a
/// positive number is no page (the first).
pub fn requested_page(text: Option<&str>) -> Option<u32> {
    text?.trim().parse().ok().filter(|page| *page >= 1)
}

/// The session numbers from the smallest to the largest a page shows: the
/// facts to read for it (those of sessions in between that the page does
/// not show are read and left). Empty for a page without sessions.
pub fn numbers_of(numbers: impl IntoIterator<Item = u32>) -> RangeInclusive<u32> {
    numbers
        .into_iter()
        .fold(None, |span: Option<(u32, u32)>, number| {
            Some(span.map_or((number, number), |(low, high)| {
                (low.min(number), high.max(number))
            }))
        })
        .map_or(RangeInclusive::new(1, 0), |(low, high)| low..=high)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_case_is_one_page_without_a_summary() {
        for total in [0, 1, SESSIONS_PER_PAGE] {
            let page = TimelinePage::of(None, total);
            assert_eq!((page.number, page.pages(), page.offset()), (1, 1, 0));
            assert_eq!((page.newer(), page.earlier()), (None, None));
            assert_eq!(page.summary(), None);
        }
    }

    #[test]
    fn a_long_case_pages_newest_first_with_links_both_ways() {
        let first = TimelinePage::of(None, 520);
        assert_eq!((first.number, first.pages(), first.offset()), (1, 11, 0));
        assert_eq!((first.newer(), first.earlier()), (None, Some(2)));
        assert_eq!(
            first.summary().as_deref(),
            Some("Sessions 1–50 of 520, newest first.")
        );
        let second = TimelinePage::of(Some(2), 520);
        assert_eq!(second.offset(), 50);
        assert_eq!((second.newer(), second.earlier()), (Some(1), Some(3)));
        assert_eq!(
            second.summary().as_deref(),
            Some("Sessions 51–100 of 520, newest first.")
        );
        let last = TimelinePage::of(Some(11), 520);
        assert_eq!((last.newer(), last.earlier()), (Some(10), None));
        assert_eq!(
            last.summary().as_deref(),
            Some("Sessions 501–520 of 520, newest first.")
        );
    }

    #[test]
    fn a_page_past_the_last_or_before_the_first_shows_the_nearest() {
        assert_eq!(TimelinePage::of(Some(40), 120).number, 3);
        assert_eq!(TimelinePage::of(Some(2), 0).number, 1);
        assert_eq!(TimelinePage::of(Some(0), 120).number, 1);
        assert_eq!(TimelinePage::of(Some(u32::MAX), 51).number, 2);
    }

    #[test]
    fn a_page_reads_the_facts_of_its_span_of_numbers() {
        assert_eq!(numbers_of([7, 3, 9, 4]), 3..=9);
        assert_eq!(numbers_of([5]), 5..=5);
        assert!(numbers_of([]).is_empty());
    }

    #[test]
    fn only_a_positive_number_asks_for_a_page() {
        assert_eq!(requested_page(Some("3")), Some(3));
        assert_eq!(requested_page(Some(" 2 ")), Some(2));
        for text in ["", "0", "-1", "two", "1.5", "99999999999"] {
            assert_eq!(requested_page(Some(text)), None, "{text}");
        }
        assert_eq!(requested_page(None), None);
    }
}
