//! Addresses: email, web and IP.

use super::{scan::Text, Candidate, IdentifierClass};

/// Endings of a bare domain ("mariasgarden.net") that make it a web
/// address even without "www." or a scheme.
const TOP_LEVEL_DOMAINS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "mil", "int", "io", "co", "uk", "us", "ca", "au", "nz",
    "ie", "de", "fr", "es", "it", "nl", "be", "ch", "at", "se", "no", "dk", "fi", "pl", "pt",
    "info", "biz", "me", "tv", "ly", "app", "dev", "blog", "online", "site", "shop", "health",
];

pub(super) fn find(text: &Text, out: &mut Vec<Candidate>) {
    emails(text, out);
    web_addresses(text, out);
    ipv4(text, out);
    ipv6(text, out);
}

fn is_local_part(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-' | '\'')
}

fn is_domain_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-')
}

fn emails(text: &Text, out: &mut Vec<Candidate>) {
    for (at, _) in text.chars.iter().enumerate().filter(|(_, c)| **c == '@') {
        let mut start = at;
        while start > 0 && is_local_part(text.chars[start - 1]) {
            start -= 1;
        }
        while start < at && matches!(text.chars[start], '.' | '\'' | '-') {
            start += 1;
        }
        let mut end = at + 1;
        while text.at(end).is_some_and(is_domain_char) {
            end += 1;
        }
        while end > at + 1 && matches!(text.chars[end - 1], '.' | '-') {
            end -= 1;
        }
        let domain = &text.chars[at + 1..end];
        let Some(dot) = domain.iter().rposition(|c| *c == '.') else {
            continue;
        };
        let tld = &domain[dot + 1..];
        if start < at && dot > 0 && tld.len() >= 2 && tld.iter().all(|c| c.is_alphabetic()) {
            out.push(Candidate::new(IdentifierClass::Email, start, end));
        }
    }
}

fn is_url_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '“' | '”' | '‘' | '’' | '[' | ']')
}

/// The end of a web address that starts at `start`: up to the next space,
/// without the sentence's punctuation or a closing bracket that is not its own.
fn url_end(text: &Text, start: usize) -> usize {
    let mut end = start;
    while text.at(end).is_some_and(is_url_char) {
        end += 1;
    }
    while let Some(last) = text.before(end).filter(|_| end > start) {
        let opened = text.chars[start..end].iter().filter(|c| **c == '(').count();
        let closed = text.chars[start..end].iter().filter(|c| **c == ')').count();
        let punctuation = matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'');
        let unmatched_bracket = last == ')' && closed > opened;
        if !(punctuation || unmatched_bracket) {
            break;
        }
        end -= 1;
    }
    end
}

fn web_addresses(text: &Text, out: &mut Vec<Candidate>) {
    for (i, _) in text.words.iter().enumerate() {
        let word = text.words[i];
        let start = word.start;
        let explicit = text.starts_with_at(start, "http://")
            || text.starts_with_at(start, "https://")
            || (text.starts_with_at(start, "www.") && text.is_word_char(start + 4));
        if explicit {
            out.push(Candidate::new(
                IdentifierClass::Url,
                start,
                url_end(text, start),
            ));
            continue;
        }
        if let Some(end) = bare_domain(text, i) {
            let end = if text.at(end) == Some('/') {
                url_end(text, start)
            } else {
                end
            };
            out.push(Candidate::new(IdentifierClass::Url, start, end));
        }
    }
}

/// Where a bare domain starting at word `first` ends: labels joined by dots
/// (or hyphens inside a label), the last one a known top-level domain.
fn bare_domain(text: &Text, first: usize) -> Option<usize> {
    let start = text.words[first].start;
    if matches!(text.before(start), Some('.' | '@' | '-' | '/' | '\'')) {
        return None;
    }
    let mut w = first;
    let mut labels = 1;
    loop {
        let word = text.words[w];
        let next = text.words.get(w + 1)?;
        let joiner = text.at(word.end)?;
        if next.start != word.end + 1 || !matches!(joiner, '.' | '-') {
            break;
        }
        if joiner == '.' {
            labels += 1;
        }
        w += 1;
        if joiner == '.' && labels >= 2 && text.spells(*next, TOP_LEVEL_DOMAINS) {
            let after = next.end;
            let continues = text.at(after) == Some('.') && text.is_word_char(after + 1)
                || text.at(after).is_some_and(|c| c == '-' || c == '@');
            if !continues {
                let name_has_letters = text.chars[start..text.words[w - 1].end]
                    .iter()
                    .filter(|c| c.is_alphabetic())
                    .count()
                    >= 2;
                return name_has_letters.then_some(after);
            }
        }
    }
    None
}

fn ipv4(text: &Text, out: &mut Vec<Candidate>) {
    for (i, word) in text.words.iter().enumerate() {
        if !text.is_digit(word.start) || matches!(text.before(word.start), Some('.')) {
            continue;
        }
        let octets = &text.words[i..];
        if octets.len() < 4 {
            continue;
        }
        let dotted = octets
            .windows(2)
            .take(3)
            .all(|pair| text.at(pair[0].end) == Some('.') && pair[1].start == pair[0].end + 1);
        let numeric = octets[..4].iter().all(|o| {
            (1..=3).contains(&o.len())
                && text.digits_at(o.start) == o.len()
                && text.number(*o) <= 255
        });
        let end = octets[3].end;
        let continues = text.at(end) == Some('.') && text.is_digit(end + 1);
        if dotted && numeric && !continues {
            out.push(Candidate::new(IdentifierClass::Ip, word.start, end));
        }
    }
}

fn ipv6(text: &Text, out: &mut Vec<Candidate>) {
    let mut i = 0;
    while i < text.len() {
        let starts_here = text
            .at(i)
            .is_some_and(|c| c.is_ascii_hexdigit() || c == ':')
            && !text
                .before(i)
                .is_some_and(|c| c.is_alphanumeric() || c == ':');
        if !starts_here {
            i += 1;
            continue;
        }
        let mut end = i;
        while text
            .at(end)
            .is_some_and(|c| c.is_ascii_hexdigit() || c == ':')
        {
            end += 1;
        }
        if text.is_word_char(end) {
            i = end;
            continue;
        }
        let mut trimmed = end;
        while trimmed > i
            && text.chars[trimmed - 1] == ':'
            && !text.chars[i..trimmed].ends_with(&[':', ':'])
        {
            trimmed -= 1;
        }
        if text.chars[i..trimmed].contains(&':') && is_ipv6(&text.chars[i..trimmed]) {
            out.push(Candidate::new(IdentifierClass::Ip, i, trimmed));
        }
        i = end.max(i + 1);
    }
}

fn is_ipv6(chars: &[char]) -> bool {
    let written: String = chars.iter().collect();
    let compressed = written.matches("::").count();
    if compressed > 1 || written.contains(":::") {
        return false;
    }
    let groups: Vec<&str> = written.split(':').filter(|g| !g.is_empty()).collect();
    let well_formed = groups.iter().all(|g| g.len() <= 4);
    let has_digit = written.chars().any(|c| c.is_ascii_digit());
    let enough = if compressed == 1 {
        !groups.is_empty() && groups.len() <= 7
    } else {
        groups.len() == 8
    };
    well_formed && has_digit && enough
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, IdentifierClass)> {
        crate::domain::identifiers::proposals(text, find)
    }

    #[test]
    fn emails_are_the_address_only() {
        assert_eq!(
            found("Write to (maria.lopez+notes@mail.example.co.uk)."),
            [(
                "maria.lopez+notes@mail.example.co.uk".to_string(),
                IdentifierClass::Email
            )]
        );
        assert!(found("we met @ the clinic").is_empty());
    }

    #[test]
    fn web_addresses_leave_the_sentence_punctuation_out() {
        assert_eq!(
            found("See https://example.org/blog/post-1?id=4 (her blog)."),
            [(
                "https://example.org/blog/post-1?id=4".to_string(),
                IdentifierClass::Url
            )]
        );
        assert_eq!(
            found("her page (www.tomas-r.example.net)."),
            [("www.tomas-r.example.net".to_string(), IdentifierClass::Url)]
        );
        assert_eq!(
            found("She posts on instagram.com/tomas.r, daily."),
            [("instagram.com/tomas.r".to_string(), IdentifierClass::Url)]
        );
        assert_eq!(
            found("Her shop, mariasgarden.net."),
            [("mariasgarden.net".to_string(), IdentifierClass::Url)]
        );
    }

    #[test]
    fn abbreviations_and_codes_with_dots_are_not_domains() {
        for text in [
            "e.g. the dream",
            "i.e. anger",
            "ICD-10 F41.1",
            "Dr.Klein said",
            "at 9.15 am",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn ip_addresses_of_both_versions() {
        assert_eq!(
            found("from 192.0.2.44 and 2001:db8::8a2e:370:7334."),
            [
                ("192.0.2.44".to_string(), IdentifierClass::Ip),
                ("2001:db8::8a2e:370:7334".to_string(), IdentifierClass::Ip)
            ]
        );
        assert_eq!(
            found("fe80::1ff:fe23:4567:890a"),
            [("fe80::1ff:fe23:4567:890a".to_string(), IdentifierClass::Ip)]
        );
    }

    #[test]
    fn times_dates_and_versions_are_not_ip_addresses() {
        for text in [
            "at 10:30:15",
            "03.03.2024",
            "1.2.3",
            "300.1.1.1",
            "ratio 2:1",
            "Note:: x",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }
}
