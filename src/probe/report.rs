//! The probe's output: one serializable report, printed as JSON (`--json`) or as aligned tables.

use serde::Serialize;

use super::observe::Observations;
use super::verdict::{Outcome, Verdict};

/// The `format` field of the JSON; bumped when a field changes meaning or goes away.
pub const FORMAT: &str = "contactpro-probe/1";

#[derive(Serialize)]
pub struct Report {
    pub format: &'static str,
    pub provider_version: &'static str,
    pub url: String,
    pub username: String,
    #[serde(flatten)]
    pub observations: Observations,
    pub verdicts: Vec<Verdict>,
    pub all_work: bool,
    pub exit_code: i32,
}

/// The JSON printed for exit code 2 with `--json`.
#[derive(Serialize)]
pub struct FatalReport<'a> {
    pub format: &'static str,
    pub provider_version: &'static str,
    pub error: &'a str,
    pub exit_code: i32,
}

/// Columns padded to the widest cell; the last column is not padded.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < row.len() {
                let pad = widths[c] - cell.chars().count() + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn yes_no(value: Option<bool>) -> String {
    match value {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => "not checked".into(),
    }
}

fn count(value: Option<usize>) -> String {
    value.map_or_else(|| "?".into(), |n| n.to_string())
}

fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Offered => "offered",
        Outcome::Missing => "missing",
        Outcome::Forbidden => "forbidden",
        Outcome::Failed => "failed",
        Outcome::NotChecked => "not checked",
    }
}

impl Report {
    pub fn to_json(&self) -> String {
        // Every field is a plain string, number, bool or list of them: this cannot fail.
        serde_json::to_string_pretty(self).expect("the report serializes")
    }

    pub fn to_table(&self) -> String {
        let o = &self.observations;
        let mut out = format!(
            "Contact Pro probe of {} as {} (GET requests only; provider {})\n\n",
            self.url, self.username, self.provider_version
        );

        out.push_str("ENDPOINTS\n");
        let mut rows = vec![vec![
            "ENDPOINT".to_string(),
            "REQUEST".into(),
            "STATUS".into(),
            "RESULT".into(),
            "DETAIL".into(),
        ]];
        for e in &o.endpoints {
            let detail = match (&e.observed.message, e.fields.is_empty()) {
                (Some(m), _) => m.clone(),
                (None, false) => format!("fields: {}", e.fields.join(", ")),
                (None, true) => match e.items {
                    Some(0) => "empty list".into(),
                    _ => String::new(),
                },
            };
            rows.push(vec![
                e.endpoint.to_string(),
                e.request.clone(),
                e.observed
                    .status
                    .map_or_else(|| "-".into(), |s| s.to_string()),
                outcome_word(e.observed.outcome).into(),
                detail,
            ]);
        }
        out.push_str(&table(&rows));

        let l = &o.users_list;
        out.push_str("\nLIST AND WIRE BEHAVIOUR\n");
        let projection = match (&l.default_fields, l.default_projection_documented) {
            (Some(f), Some(true)) => format!("only {} (as documented)", f.join(", ")),
            (Some(f), _) => format!("{} (more than documented)", f.join(", ")),
            (None, _) => "not checked".into(),
        };
        let login = match (l.login_star_status, l.login_star_adds_login) {
            (Some(_), Some(adds)) => yes_no(Some(adds)),
            (Some(status), None) => format!("no answer with items (HTTP {status})"),
            (None, _) => "not checked".into(),
        };
        let second = match l.second_page {
            Some("another_user") => "another user (offset honoured)",
            Some("same_user") => "the same user again (offset ignored)",
            Some("empty") => "empty (only one user visible)",
            Some(_) => "failed",
            None => "not checked",
        };
        let ids = if o.ids.checked == 0 {
            "no id seen".to_string()
        } else if o.ids.upper_hex_32 == o.ids.checked {
            format!("32 upper-case hex ({} ids checked)", o.ids.checked)
        } else {
            format!(
                "{} of {} ids are 32 upper-case hex",
                o.ids.upper_hex_32, o.ids.checked
            )
        };
        let accept = format!(
            "{} ({})",
            if o.accept.json { "JSON" } else { "not JSON" },
            o.accept
                .content_type
                .as_deref()
                .unwrap_or("no content type")
        );
        out.push_str(&table(&[
            vec!["GET users returns".into(), projection],
            vec!["login=* adds login".into(), login],
            vec!["limit=1 honoured".into(), yes_no(l.limit_honoured)],
            vec!["second page (offset=1)".into(), second.into()],
            vec!["id form".into(), ids],
            vec!["Accept: application/json".into(), accept],
            vec![
                "users/{id} asked with".into(),
                o.user_id_from.replace('_', " "),
            ],
        ]));

        let v = &o.visible;
        out.push_str("\nVISIBLE TO THE API USER\n");
        out.push_str(&format!(
            "users {}, user groups {}, queues {}, queue groups {}, secrets {}\n",
            count(v.users),
            count(v.user_groups),
            count(v.queues),
            count(v.queue_groups),
            count(v.secrets)
        ));
        for f in &o.forbidden {
            out.push_str(&format!(
                "403 on {}: {}\n",
                f.request,
                f.message.as_deref().unwrap_or("(no message)")
            ));
        }

        out.push_str("\nWHAT WILL WORK\n");
        let mut rows = vec![vec![
            "SUBJECT".to_string(),
            "NEEDS".into(),
            "VERDICT".into(),
        ]];
        for verdict in &self.verdicts {
            rows.push(vec![
                verdict.subject.to_string(),
                verdict.needs.join(", "),
                if verdict.works {
                    "works"
                } else {
                    "CANNOT WORK"
                }
                .into(),
            ]);
        }
        out.push_str(&table(&rows));
        for verdict in self.verdicts.iter().filter(|v| !v.works) {
            out.push_str(&format!("\n{} cannot work:\n", verdict.subject));
            for b in &verdict.blocked_by {
                out.push_str(&format!("  `{}`: {}\n", b.endpoint, b.why));
            }
            if let Some(instead) = &verdict.instead {
                out.push_str(&format!("  instead: {instead}\n"));
            }
        }

        let failing = self.verdicts.iter().filter(|v| !v.works).count();
        out.push_str(&match failing {
            0 => format!(
                "\nResult: all {} resources, attributes and data sources can work (exit 0)\n",
                self.verdicts.len()
            ),
            n => format!(
                "\nResult: {n} of {} resources, attributes and data sources cannot work (exit 1)\n",
                self.verdicts.len()
            ),
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns_and_trims_line_ends() {
        let text = table(&[
            vec!["a".into(), "bbb".into(), "c".into()],
            vec!["dddd".into(), "e".into(), "".into()],
        ]);
        assert_eq!(text, "a     bbb  c\ndddd  e\n");
    }
}
