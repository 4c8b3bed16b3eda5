//! Every rule at its edges, and the vocabularies both ways: written against mutants that the unit
//! tests missed (`make mutants`; docs/development.md, "Mutation testing").

use contactpro_rules::*;
use time::{Duration, OffsetDateTime};

fn text(length: usize) -> String {
    "a".repeat(length)
}

#[test]
fn password_length_is_checked_at_both_limits() {
    assert!(check_password(&text(MIN_PASSWORD_LENGTH)).is_ok());
    assert!(check_password(&text(MIN_PASSWORD_LENGTH - 1)).is_err());
    assert!(check_password(&text(MAX_PASSWORD_LENGTH)).is_ok());
    let long = check_password(&text(MAX_PASSWORD_LENGTH + 1)).unwrap_err();
    assert!(long.contains("at most 256"), "{long}");
    // A space is printable; other ASCII control characters are not.
    assert!(check_password("a password with spaces").is_ok());
    let tab = check_password("a\tpassword-long-enough").unwrap_err();
    assert!(tab.contains("character 2 "), "{tab}");
}

#[test]
fn names_are_checked_at_their_limits() {
    assert!(check_person_name(&text(NAME_MAX)).is_ok());
    assert!(check_person_name(&text(NAME_MAX + 1)).is_err());
    assert!(check_person_name("").is_err());
    assert!(check_person_name("   ").is_err());
    assert!(check_login(&text(LOGIN_MAX)).is_ok());
    assert!(check_login(&text(LOGIN_MAX + 1)).is_err());
    assert!(check_login("").is_err());
    assert!(check_login("a.b_c@d-e").is_ok());
    assert!(check_secret_name(&text(SECRET_NAME_MAX)).is_ok());
    assert!(check_secret_name(&text(SECRET_NAME_MAX + 1)).is_err());
    assert!(check_secret_name("").is_err());
    assert!(check_secret_name("a@b").is_err());
    assert!(check_secret_value(&text(SECRET_VALUE_MAX)).is_ok());
    assert!(check_secret_value(&text(SECRET_VALUE_MAX + 1)).is_err());
    assert!(check_secret_value("").is_err());
    assert!(check_description(&text(DESCRIPTION_MAX)).is_ok());
    assert!(check_description(&text(DESCRIPTION_MAX + 1)).is_err());
    assert!(check_description("").is_ok());
}

#[test]
fn every_vocabulary_word_maps_both_ways() {
    for (snake, wire) in OBJECT_TYPES {
        assert_eq!(object_type_to_wire(snake), Some(wire));
        assert_eq!(object_type_from_wire(wire), Some(snake));
        assert!(is_wire_object_type(wire));
        assert!(!is_wire_object_type(snake));
    }
    for (snake, wire) in ACCESS_TYPES {
        assert_eq!(access_type_to_wire(snake), Some(wire));
        assert_eq!(access_type_from_wire(wire), Some(snake));
        assert!(is_wire_access_type(wire));
    }
    assert_eq!(object_type_to_wire("Queue"), None);
    assert_eq!(object_type_from_wire("queue"), None);
    assert_eq!(access_type_to_wire("View"), None);
    assert_eq!(access_type_from_wire("view"), None);
    assert!(!is_wire_object_type("Nothing"));
    assert!(!is_wire_access_type("Nothing"));
}

#[test]
fn ids_timestamps_and_urls_at_their_edges() {
    assert!(!is_id("3906ECA4762C42588B55E5A66460D58"));
    assert!(!is_id("3906ECA4762C42588B55E5A66460D58EA"));
    assert!(!is_id("3906ECA4762C42588B55E5A66460D58G"));
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let at = format_timestamp(now);
    assert!(
        check_future_timestamp(&at, now).is_err(),
        "now is not the future"
    );
    let later = format_timestamp(now + Duration::seconds(1));
    assert_eq!(
        check_future_timestamp(&later, now).unwrap(),
        now + Duration::seconds(1)
    );
    assert_eq!(parse_timestamp(&at).unwrap(), now);
    assert!(at.ends_with('Z') && !at.contains('.'), "{at}");
    assert!(check_http_url("https://example.test/x").is_ok());
    assert!(check_http_url("ftp://example.test/x").is_err());
    assert!(check_http_url("not a url").is_err());
}
